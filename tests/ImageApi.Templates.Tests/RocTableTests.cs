using System.Text;
using Xunit;

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

    [Fact]
    public void LoadBuiltIn_IsTheCalibrationTable()
    {
        var t = RocTable.LoadBuiltIn();
        Assert.Equal(FaceTemplate.MethodName, t.Method);
        // MANIFEST.md: 26,096 genuine pairs possible; the table uses all that enrolled, and every within-part impostor.
        Assert.InRange(t.GenuinePairs, 25_000, 26_096);
        Assert.True(t.ImpostorPairs > 30_000_000, $"{t.ImpostorPairs} impostor pairs");
        var d = new[] { 1e-4, 1e-3, 1e-2 }.Select(f => t.ThresholdFor(f)!.Distance).ToArray();
        Assert.True(d[0] < d[1] && d[1] < d[2], string.Join(", ", d));
        foreach (var th in t.Thresholds)
        {
            var (far, _) = t.RatesAt(th.Distance);
            Assert.InRange(far, 0, th.TargetFar * 1.2); // the grid interpolation stays near the exact threshold's FAR
            Assert.InRange(th.Score, 1 - th.Distance / 2 - 1e-5, 1 - th.Distance / 2 + 1e-5);
        }

        Assert.Equal((0.0, 1.0), t.RatesAt(0));
        Assert.Equal((1.0, 0.0), t.RatesAt(2));
    }
}
