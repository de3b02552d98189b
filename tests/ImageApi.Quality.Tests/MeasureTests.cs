using System.Numerics;

namespace ImageApi.Quality.Tests;

/// <summary>The pixel measures and geometry on synthetic inputs with hand-computed answers.</summary>
public sealed class MeasureTests
{
    private static LumaPlane Plane(int w, int h, Func<int, int, float> f)
    {
        var v = new float[w * h];
        for (var y = 0; y < h; y++) for (var x = 0; x < w; x++) v[y * w + x] = f(x, y);
        return new LumaPlane(w, h, v, Enumerable.Repeat(true, w * h).ToArray());
    }

    [Fact]
    public void LaplacianVariance_ConstantAndRamp_AreZero()
    {
        Assert.Equal(0, ImageMeasures.LaplacianVariance(Plane(16, 16, (_, _) => 100)));
        Assert.Equal(0, ImageMeasures.LaplacianVariance(Plane(16, 16, (x, y) => 3 * x + 2 * y)), 3);
    }

    [Fact]
    public void LaplacianVariance_Checkerboard_IsHandComputed()
    {
        // Values 0/10: Laplacian = 4 neighbours of the other colour − 4·self = ±40 → mean 0, variance 1600.
        Assert.Equal(1600, ImageMeasures.LaplacianVariance(Plane(16, 16, (x, y) => (x + y) % 2 == 0 ? 0 : 10)), 1);
    }

    [Fact]
    public void LaplacianVariance_MaskedPixels_AreIgnored()
    {
        var p = Plane(16, 16, (x, y) => (x + y) % 2 == 0 ? 0 : 10);
        var none = p.WithMask(new bool[256]);
        Assert.Equal(0, ImageMeasures.LaplacianVariance(none));
    }

    [Fact]
    public void NoiseSigma_WhiteGaussianNoise_RecoversSigma()
    {
        var rng = new Random(7);
        var p = Plane(200, 200, (x, y) =>
        {
            var n = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
            return (float)(128 + 10 * n + 0.5 * x);
        });
        Assert.InRange(ImageMeasures.NoiseSigma(p), 9.5f, 10.5f);
    }

    [Fact]
    public void NoiseSigma_SmoothQuadratic_IsZero()
    {
        // The Immerkær mask cancels polynomials up to second order in x and y separately.
        Assert.Equal(0, ImageMeasures.NoiseSigma(Plane(32, 32, (x, y) => 0.1f * x * x + 2 * y)), 2);
    }

    [Fact]
    public void MeanGradient_RampOfSlope2_Is2()
    {
        Assert.Equal(2, ImageMeasures.MeanGradient(Plane(16, 16, (x, _) => 2 * x)), 4);
        // Diagonal slope (3, 4) → magnitude 5.
        Assert.Equal(5, ImageMeasures.MeanGradient(Plane(16, 16, (x, y) => 3 * x + 4 * y)), 4);
    }

    [Fact]
    public void Entropy_UniformLevels_IsLog2OfTheirCount()
    {
        Assert.Equal(8, ImageMeasures.Entropy(ImageMeasures.Histogram(Plane(256, 4, (x, _) => x), 256)), 4);
        Assert.Equal(1, ImageMeasures.Entropy(ImageMeasures.Histogram(Plane(2, 4, (x, _) => 200 * x), 256)), 4);
        Assert.Equal(0, ImageMeasures.Entropy(ImageMeasures.Histogram(Plane(8, 8, (_, _) => 77), 256)), 4);
    }

    [Fact]
    public void Intersection_IdenticalAndDisjoint_AreOneAndZero()
    {
        double[] a = [0.5, 0.5, 0, 0], b = [0, 0, 0.5, 0.5], c = [0.25, 0.25, 0.25, 0.25];
        Assert.Equal(1, ImageMeasures.Intersection(a, a), 5);
        Assert.Equal(0, ImageMeasures.Intersection(a, b), 5);
        Assert.Equal(0.5, ImageMeasures.Intersection(a, c), 5);
    }

    [Fact]
    public void FractionAtOrAbove_CountsClippedPixels()
    {
        // 4 of 16 columns at 255.
        Assert.Equal(0.25f, ImageMeasures.FractionAtOrAbove(Plane(16, 4, (x, _) => x >= 12 ? 255 : 100), 250), 5);
    }

    [Fact]
    public void WhiteTopHat_ThinBrightLine_KeepsItsContrastAndIgnoresWideAreas()
    {
        // A 1-px line of +50 on 100, and a 9-px wide bright band of +50: the 5×5 opening removes only the line.
        var p = Plane(40, 20, (x, _) => x == 5 ? 150 : x is >= 20 and < 29 ? 150 : 100);
        var t = ImageMeasures.WhiteTopHat(p, 2);
        Assert.Equal(50, t[10 * 40 + 5], 3);
        Assert.Equal(0, t[10 * 40 + 24], 3);
        Assert.Equal(0, t[10 * 40 + 12], 3);
    }

    [Fact]
    public void WhiteTopHat_IsTheSquareWindowOpening_OnAMaskedPlane()
    {
        // The filter runs separably; the values must be the square-window definition's, also where the mask leaves a
        // window empty (the pixel keeps its value) or holes in it.
        var random = new Random(5);
        int w = 37, h = 23;
        var values = Enumerable.Range(0, w * h).Select(_ => (float)random.Next(256)).ToArray();
        var mask = Enumerable.Range(0, w * h).Select(i => i % w > 3 && random.NextDouble() < 0.8).ToArray();
        var actual = ImageMeasures.WhiteTopHat(new LumaPlane(w, h, values, mask), 2);

        var eroded = Square(values, float.MaxValue, MathF.Min);
        var opened = Square(eroded, float.MinValue, MathF.Max);
        var expected = values.Select((v, i) => mask[i] ? MathF.Max(0, v - opened[i]) : 0).ToArray();
        Assert.Equal(expected, actual);

        float[] Square(float[] v, float identity, Func<float, float, float> op)
        {
            var result = new float[v.Length];
            for (var y = 0; y < h; y++)
            {
                for (var x = 0; x < w; x++)
                {
                    var acc = identity;
                    for (var yy = Math.Max(0, y - 2); yy <= Math.Min(h - 1, y + 2); yy++)
                    {
                        for (var xx = Math.Max(0, x - 2); xx <= Math.Min(w - 1, x + 2); xx++)
                        {
                            if (mask[yy * w + xx]) acc = op(acc, v[yy * w + xx]);
                        }
                    }

                    result[y * w + x] = acc == identity ? v[y * w + x] : acc;
                }
            }

            return result;
        }
    }

    [Fact]
    public void ConvexRegion_ContainsRow_AnswersAsContainsForEveryPoint()
    {
        // A row's inside is found as one run by binary searches: each point must get Contains' answer, on the edges
        // too, for rows wider than the polygon and for short rows that start or end inside it.
        var random = new Random(3);
        for (var trial = 0; trial < 20; trial++)
        {
            var hull = ConvexRegion.HullOf(Enumerable.Range(0, 30)
                .Select(_ => new Vector2(20 + 60 * random.NextSingle(), 10 + 70 * random.NextSingle())));
            var row = new bool[101];
            var part = new bool[17];
            for (var y = 0; y < 90; y++)
            {
                hull.ContainsRow(-3, y, row);
                for (var k = 0; k < row.Length; k++) Assert.Equal(hull.Contains(new Vector2(k - 3, y)), row[k]);
                foreach (var x0 in new[] { 15, 38, 44, 70 })
                {
                    hull.ContainsRow(x0, y, part);
                    for (var k = 0; k < part.Length; k++) Assert.Equal(hull.Contains(new Vector2(x0 + k, y)), part[k]);
                }
            }
        }

        // Lattice points on a square's edges are inside (Rasterise is ContainsRow over the grid).
        var square = ConvexRegion.HullOf([new(0, 0), new(10, 0), new(10, 10), new(0, 10)]);
        var edge = new bool[12];
        square.ContainsRow(0, 10, edge);
        Assert.Equal(11, edge.Count(m => m));
    }

    [Fact]
    public void EyeOpenness_HandMadeEye_IsLidGapOverWidth()
    {
        var p = new Vector2[98];
        // Image-left eye: corners 10 px apart, lids 3 px apart → EAR 0.3.
        p[60] = new(0, 0); p[64] = new(10, 0);
        p[61] = new(2.5f, -1.5f); p[67] = new(2.5f, 1.5f);
        p[62] = new(5, -1.5f); p[66] = new(5, 1.5f);
        p[63] = new(7.5f, -1.5f); p[65] = new(7.5f, 1.5f);
        Assert.Equal(0.3f, EyeOpenness.LeftRatio(p), 5);
        // Closed image-right eye: lids on the corner line.
        p[68] = new(20, 0); p[72] = new(30, 0);
        for (var i = 69; i <= 75; i++) p[i] = new(25, 0);
        Assert.Equal(0, EyeOpenness.RightRatio(p), 5);
        Assert.Equal(0.5f, EyeOpenness.Score(0.16f, 0.16f, 0.02f), 5);
        Assert.True(EyeOpenness.Score(0.3f, 0.16f, 0.02f) > 0.99f);
        Assert.True(EyeOpenness.Score(0.05f, 0.16f, 0.02f) < 0.01f);
    }

    [Fact]
    public void ConvexRegion_SquareWithInnerPoints_HullHasFourCorners()
    {
        var hull = ConvexRegion.HullOf([new(0, 0), new(10, 0), new(10, 10), new(0, 10), new(5, 5), new(2, 7), new(5, 0)]);
        Assert.Equal(4, hull.Vertices.Count);
        Assert.True(hull.Contains(new(5, 5)));
        Assert.True(hull.Contains(new(0, 5)));
        Assert.False(hull.Contains(new(11, 5)));
        Assert.Equal(121, hull.Rasterise(12, 12).Count(m => m)); // the 11×11 lattice points of [0, 10]², edges included
    }

    [Fact]
    public void PortraitGeometry_IsoCompliantFace_HasNoDeviation()
    {
        // 400×500 image: eyes at y = 200 (40 %), chin at y = 387.5 → head length 375 = 75 %; head width 250 = 62.5 %.
        var (inner, outer) = PortraitGeometry.Deviations(new(170, 200), new(230, 200), new(200, 387.5f),
            new(75, 200), new(325, 200), 400, 500);
        Assert.Equal(0, inner, 3);
        Assert.Equal(0, outer, 3);
    }

    [Fact]
    public void PortraitGeometry_SmallFace_HasInnerDeviation()
    {
        // Head width 100 of 400 = 25 % (minimum 50 % → 25 points short); head length 2·100 = 200 of 500 = 40 % (20 short).
        var (inner, outer) = PortraitGeometry.Deviations(new(180, 200), new(220, 200), new(200, 300),
            new(150, 200), new(250, 200), 400, 500);
        Assert.Equal(25, inner, 3);
        Assert.Equal(0, outer, 3);
    }

    [Fact]
    public void PortraitGeometry_FaceCutByLeftBorder_HasOuterDeviation()
    {
        // Same size as the compliant face, centred at x = 60 of 400: 39 points left of the 45 % band, and the head box
        // reaches 65 px beyond the left edge (16.25 %). The larger one counts.
        var (_, outer) = PortraitGeometry.Deviations(new(30, 200), new(90, 200), new(60, 387.5f),
            new(-65, 200), new(185, 200), 400, 500);
        Assert.Equal(100 * (0.45f - 60 / 400f), outer, 2);
    }

    [Fact]
    public void TotalScore_GeometricMeanWithFloor()
    {
        Assert.Equal(1, QualityAssessor.TotalScore([1, 1, 1, 1]), 5);
        Assert.Equal(0.5f, QualityAssessor.TotalScore([0.25f, 1]), 5);
        // A zero counts as 0.01: (0.01 · 1 · 1 · 1)^(1/4) = 0.316.
        Assert.Equal(MathF.Pow(0.01f, 0.25f), QualityAssessor.TotalScore([0, 1, 1, 1]), 4);
    }

    [Fact]
    public void LuminanceScore_MidRangeIsBest()
    {
        Assert.Equal(1, QualityAssessor.LuminanceScore(128));
        Assert.Equal(0.5f, QualityAssessor.LuminanceScore(40), 4);
        Assert.Equal(0, QualityAssessor.LuminanceScore(255), 4);
    }

    [Fact]
    public void CamelCase_OfSnakeNames_MatchesTheV1Example()
    {
        var example = Path.Combine(TestSupport.TestData.Shared, "spec", "examples", "quality-assessment-estimator.v1.response.json");
        var qaa = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(example))!["objects"]![0]!["quality"]!["qaa"]!.AsObject();
        Assert.Equal(qaa.Select(kv => kv.Key).Order(), QualityObjectWriter.FieldNames.Select(QualityObjectWriter.CamelCase).Order());
    }
}
