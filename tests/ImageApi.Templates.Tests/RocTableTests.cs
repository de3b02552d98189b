using System.Text;

namespace ImageApi.Templates.Tests;

public sealed class RocTableTests
{
    private static RocTable Synthetic(string far, string frr) => RocTable.Load(new MemoryStream(Encoding.UTF8.GetBytes(
        $$"""{"method":"mobilefacenet_1","step":0.5,"genuine_pairs":10,"impostor_pairs":100,"eer":0.1,"far":{{far}},"frr":{{frr}}}""")));

    [Fact]
    public void RatesAt_BetweenGridPoints_InterpolatesLinearly()
    {
        var t = Synthetic("[0, 0.2, 0.6, 1, 1]", "[1, 0.5, 0.1, 0, 0]");
        var (far, frr) = t.RatesAt(0.75);
        Assert.Equal(0.4, far, 9);
        Assert.Equal(0.3, frr, 9);
        Assert.Equal((0.0, 1.0), t.RatesAt(-1));
        Assert.Equal((1.0, 0.0), t.RatesAt(5));
    }

    [Fact]
    public void Load_NonMonotoneRates_Throws()
    {
        Assert.Throws<InvalidDataException>(() => Synthetic("[0, 0.5, 0.4]", "[1, 0.5, 0]"));
    }

    /// <summary>Every template method, by name (xunit data).</summary>
    public static TheoryData<string> Methods() => [.. TemplateMethod.All.Select(m => m.Name)];

    [Theory]
    [MemberData(nameof(Methods))]
    public void LoadBuiltIn_IsTheCalibrationTable(string name)
    {
        var method = TemplateMethod.Named(name)!;
        var t = RocTable.LoadBuiltIn(method);
        Assert.Equal(method.Name, t.Method);
        // MANIFEST.md: 26,096 genuine pairs possible; the table uses all that enrolled, and every within-part impostor.
        Assert.InRange(t.GenuinePairs, 25_000, 26_096);
        Assert.True(t.ImpostorPairs > 30_000_000, $"{t.ImpostorPairs} impostor pairs");
        var d = new[] { 1e-4, 1e-3, 1e-2 }.Select(f => t.ThresholdFor(f)!.Distance).ToArray();
        Assert.True(d[0] < d[1] && d[1] < d[2], string.Join(", ", d));
        foreach (var th in t.Thresholds)
        {
            var (far, _) = t.RatesAt(th.Distance);
            Assert.InRange(far, 0, th.TargetFar * 1.2); // the grid interpolation stays near the exact threshold's FAR
            Assert.Equal(t.ScoreAt(th.Distance), th.Score, 5);
        }

        Assert.Equal((0.0, 1.0), t.RatesAt(0));
        Assert.Equal((1.0, 0.0), t.RatesAt(2));
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void Score_BuiltIn_MeetsTheVendorReading(string name)
    {
        var t = RocTable.LoadBuiltIn(TemplateMethod.Named(name)!);
        // Median impostor ≤ 0.1, median genuine ≥ 0.9 (0.95 by construction), 0.5 exactly at FAR 1e-3.
        Assert.InRange(t.ScoreAt(t.DistanceAtFar(0.5)), 0, 0.1);
        Assert.InRange(t.ScoreAt(t.DistanceAtFrr(0.5)), 0.9, 1);
        var far1e3 = t.ThresholdFor(1e-3)!;
        Assert.Equal(0.5, t.ScoreAt(far1e3.Distance), 9);
        Assert.Equal(0.5, far1e3.Score, 9);
        // "score ≥ 0.5" is never looser than FAR 1e-3: every distance scoring ≥ 0.5 has FAR ≤ 1e-3 on the table.
        for (var d = 0.0; d <= 2; d += 0.0005)
        {
            if (t.ScoreAt(d) >= 0.5) Assert.True(t.RatesAt(d).Far <= 1e-3 * (1 + 1e-6), $"distance {d}: FAR {t.RatesAt(d).Far}");
        }

        var scores = t.Thresholds.OrderBy(x => x.TargetFar).Select(x => x.Score).ToArray();
        Assert.True(scores[0] > scores[1] && scores[1] > scores[2], string.Join(", ", scores));
    }

    [Fact]
    public void BuiltIn_EachMethodHasItsOwnCalibration()
    {
        // Distances of two models are on unrelated scales: each method's score midpoint is its own FAR 1e-3 distance.
        var tables = TemplateMethod.All.Select(RocTable.LoadBuiltIn).ToList();
        foreach (var t in tables) Assert.Equal(t.ThresholdFor(1e-3)!.Distance, t.Calibration!.MidpointDistance, 9);
        Assert.NotEqual(tables[0].Calibration!.MidpointDistance, tables[1].Calibration!.MidpointDistance);
        Assert.NotEqual(tables[0].ModelSha256, tables[1].ModelSha256);
    }

    [Fact]
    public void ScoreCalibration_HandChecked()
    {
        // Midpoint 0.6, median genuine 0.3: scale = 0.3 / ln 19 = 0.101887.
        var c = ScoreCalibration.From(0.6, 0.3);
        Assert.Equal(0.3 / Math.Log(19), c.Scale, 9);
        Assert.Equal(0.5, c.Score(0.6), 12);
        Assert.Equal(0.95, c.Score(0.3), 12);
        Assert.Equal(0.05, c.Score(0.9), 12);
        Assert.Equal(1 / (1 + Math.Exp(-0.6 / c.Scale)), c.Score(0), 12);
        Assert.Equal(0.42, c.DistanceAt(c.Score(0.42)), 9);
        Assert.True(c.Score(0.5) > c.Score(0.50001));
        Assert.Throws<InvalidDataException>(() => ScoreCalibration.From(0.3, 0.6));
    }

    [Fact]
    public void Inverse_SyntheticTable_Interpolates()
    {
        var t = Synthetic("[0, 0.2, 0.6, 1, 1]", "[1, 0.5, 0.1, 0, 0]");
        Assert.Equal(0.5, t.DistanceAtFrr(0.5), 9);
        Assert.Equal(0.75, t.DistanceAtFrr(0.3), 9);
        Assert.Equal(0.75, t.DistanceAtFar(0.4), 9);
        Assert.Null(t.Calibration);
    }
}
