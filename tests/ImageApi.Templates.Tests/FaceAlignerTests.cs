using System.Numerics;
using ImageApi.Imaging;

namespace ImageApi.Templates.Tests;

public sealed class FaceAlignerTests
{
    private const float Tol = 1e-4f;

    [Fact]
    public void Umeyama_SamePoints_ReturnsIdentity()
    {
        var t = FaceAligner.Umeyama(FaceAligner.ArcFaceTemplate, FaceAligner.ArcFaceTemplate);
        AssertTransform(t, 1, 0, 0, 0, 1, 0, Tol);
    }

    [Fact]
    public void Umeyama_TwoPoints_ScaleTwoRotationNinety()
    {
        // Hand-checked: (0,0)→(0,0), (1,0)→(0,2) is x' = −2y, y' = 2x.
        Vector2[] src = [new(0, 0), new(1, 0)];
        Vector2[] dst = [new(0, 0), new(0, 2)];
        AssertTransform(FaceAligner.Umeyama(src, dst), 0, -2, 0, 2, 0, 0, Tol);
    }

    [Fact]
    public void Umeyama_KnownSimilarity_IsRecovered()
    {
        const float scale = 0.37f, angle = 0.4f, tx = 12.5f, ty = -7.25f;
        float c = scale * MathF.Cos(angle), s = scale * MathF.Sin(angle);
        Vector2[] src = [new(210, 305), new(330, 298), new(270, 370), new(225, 430), new(318, 425)];
        var dst = src.Select(p => new Vector2(c * p.X - s * p.Y + tx, s * p.X + c * p.Y + ty)).ToArray();
        AssertTransform(FaceAligner.Umeyama(src, dst), c, -s, tx, s, c, ty, 2e-3f);
    }

    [Fact]
    public void Umeyama_MirroredPoints_GivesNoReflectionAndUmeyamaScale()
    {
        // Hand-checked against Umeyama's SVD with the reflection guard: Σ_xy = diag(2, −2/3), det < 0 → R = I,
        // scale = (2 − 2/3) / (8/3) = 0.5; translation = mean(dst) − 0.5·mean(src) = (0, −1/3 − 1/6).
        Vector2[] src = [new(-1, 0), new(1, 0), new(0, 1)];
        Vector2[] dst = [new(-1, 0), new(1, 0), new(0, -1)];
        var t = FaceAligner.Umeyama(src, dst);
        AssertTransform(t, 0.5f, 0, 0, 0, 0.5f, -0.5f, Tol);
        Assert.True(t.A * t.E - t.B * t.D > 0);
    }

    [Fact]
    public void Umeyama_CoincidentPoints_Throws()
    {
        Vector2[] src = [new(3, 3), new(3, 3)];
        Assert.Throws<ArgumentException>(() => FaceAligner.Umeyama(src, src));
    }

    [Fact]
    public void AlignArcFace112_SyntheticDots_LandOnTemplate()
    {
        // Paint five 5×5 dots at template points mapped by a known similarity into a 600×500 image; aligning from
        // those points must bring each dot back to its template position.
        const float scale = 2.6f, angle = -0.3f, tx = 150, ty = 80;
        float c = scale * MathF.Cos(angle), s = scale * MathF.Sin(angle);
        var img = RgbImage.Blank(600, 500);
        var points = new Vector2[5];
        for (var k = 0; k < 5; k++)
        {
            var p = FaceAligner.ArcFaceTemplate[k];
            points[k] = new Vector2(c * p.X - s * p.Y + tx, s * p.X + c * p.Y + ty);
            int cx = (int)MathF.Round(points[k].X), cy = (int)MathF.Round(points[k].Y);
            for (var y = cy - 6; y <= cy + 6; y++)
            for (var x = cx - 6; x <= cx + 6; x++)
            {
                img.Pixels[(y * img.Width + x) * 3] = 255;
            }
        }

        var aligned = FaceAligner.AlignArcFace112(img, points);
        Assert.Equal(112, aligned.Width);
        Assert.Equal(112, aligned.Height);
        foreach (var p in FaceAligner.ArcFaceTemplate)
        {
            Assert.Equal(255, aligned.Pixels[((int)MathF.Round(p.Y) * 112 + (int)MathF.Round(p.X)) * 3]);
        }

        // A pixel between the eyes (no dot) stays black.
        Assert.Equal(0, aligned.Pixels[(40 * 112 + 56) * 3]);
    }

    [Fact]
    public void AlignArcFace112_DownscaledDecode_UsesScaleToMapPoints()
    {
        // The same face in a half-size decode (Scale 0.5) with points in original pixels gives the same crop layout.
        var img = RgbImage.Blank(300, 250);
        var half = new RgbImage(img.Width, img.Height, img.Pixels, 0.5f);
        var points = new Vector2[5];
        for (var k = 0; k < 5; k++)
        {
            var p = FaceAligner.ArcFaceTemplate[k];
            points[k] = new Vector2(2 * p.X + 100, 2 * p.Y + 100); // original pixels (face 224 px)
            int cx = (int)MathF.Round(points[k].X / 2), cy = (int)MathF.Round(points[k].Y / 2);
            for (var y = cy - 2; y <= cy + 2; y++)
            for (var x = cx - 2; x <= cx + 2; x++)
            {
                half.Pixels[(y * half.Width + x) * 3 + 1] = 200;
            }
        }

        var aligned = FaceAligner.AlignArcFace112(half, points);
        foreach (var p in FaceAligner.ArcFaceTemplate)
        {
            Assert.True(aligned.Pixels[((int)MathF.Round(p.Y) * 112 + (int)MathF.Round(p.X)) * 3 + 1] > 150);
        }
    }

    [Theory]
    [InlineData(4000, 3000, 100, 0)]     // needs 8,960 px: beyond 5,120 → full size
    [InlineData(4000, 3000, 1000, 1280)] // needs 896 px
    [InlineData(4000, 3000, 2000, 640)]  // needs 448 px: the detector's copy is enough
    [InlineData(250, 250, 120, 0)]       // calibration-sized photo: full size
    [InlineData(1000, 800, 300, 0)]      // needs 747 px: 1,280 ≥ 1,000 → full size
    public void SourceLongSide_FaceRegion_SmallestLadderDecodeWithTwiceTheTemplate(int w, int h, float regionPx, int expected)
    {
        // Template points scaled by k map onto the template with scale 1/k: the crop covers 112·k original pixels.
        var k = regionPx / 112f;
        var points = FaceAligner.ArcFaceTemplate.ToArray().Select(p => p * k + new Vector2(10, 10)).ToArray();
        Assert.Equal(expected, FaceAligner.SourceLongSide(w, h, points));
    }

    private static void AssertTransform(AffineTransform t, float a, float b, float c, float d, float e, float f, float tol)
    {
        Assert.InRange(t.A, a - tol, a + tol);
        Assert.InRange(t.B, b - tol, b + tol);
        Assert.InRange(t.C, c - tol * 100, c + tol * 100);
        Assert.InRange(t.D, d - tol, d + tol);
        Assert.InRange(t.E, e - tol, e + tol);
        Assert.InRange(t.F, f - tol * 100, f + tol * 100);
    }
}
