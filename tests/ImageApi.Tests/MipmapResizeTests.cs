using System.Runtime.InteropServices;
using ImageApi.Imaging;
using SkiaSharp;

namespace ImageApi.Tests;

public sealed class MipmapResizeTests
{
    [Fact]
    public void Halve_EvenSides_AveragesEach2x2Block_Truncating()
    {
        // 4×2 grey image: blocks {10, 20, 30, 41} and {0, 0, 1, 2} → (101 >> 2) = 25 and (3 >> 2) = 0.
        var src = Grey(4, 2, [10, 20, 0, 0, 30, 41, 1, 2]);
        var half = MipmapResize.Halve(src);
        Assert.Equal((2, 1), (half.Width, half.Height));
        Assert.Equal([25, 25, 25, 0, 0, 0], half.Pixels);
    }

    [Fact]
    public void Halve_OddSides_Uses121Filters()
    {
        // 3×3 → 1×1 with weights (1 2 1)ᵀ(1 2 1) / 16: centre 100 × 4 + edges 0 + corners 16 × 4 = 464 / 16 = 29.
        var src = Grey(3, 3, [16, 0, 16, 0, 100, 0, 16, 0, 16]);
        var half = MipmapResize.Halve(src);
        Assert.Equal((1, 1), (half.Width, half.Height));
        Assert.Equal(29, half.Pixels[0]);
    }

    [Fact]
    public void Resize_ByLessThanSqrt2_IsPlainBilinearAtPixelCentres()
    {
        // 4 px → 3 px, one row: centres map to 0.1667, 1.5, 2.8333 of the source (minus 0.5 for pixel centres).
        var src = Grey(4, 1, [0, 60, 120, 180]);
        var dst = MipmapResize.Resize(src, 3, 1);
        // x=0: u = 0.5·4/3 − 0.5 = 0.1667 → 10; x=1: u = 1.5 → 90; x=2: u = 2.8333 → 170.
        Assert.Equal([10, 90, 170], dst.Pixels.Where((_, i) => i % 3 == 0).ToArray());
    }

    [Theory]
    [InlineData("identity/obama_1.jpg", 0.9f)]
    [InlineData("identity/obama_1.jpg", 0.56f)]
    [InlineData("identity/obama_1.jpg", 0.3f)]
    [InlineData("group/compreface_012_4.jpg", 0.52f)]
    [InlineData("group/compreface_012_4.jpg", 0.13f)]
    public void Resize_MatchesSkiasLinearMipmapSampling(string file, float factor)
    {
        // The detectors' thresholds were measured on copies made by Skia's resize; ours must give the same pixels.
        using var skia = SKBitmap.Decode(TestData.Bytes(file));
        using var rgba = new SKBitmap(new SKImageInfo(skia.Width, skia.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        Assert.True(skia.CopyTo(rgba, SKColorType.Rgba8888));
        var rgb = new byte[rgba.Width * rgba.Height * 3];
        ImageDecoder.DropAlpha(MemoryMarshal.AsBytes(rgba.GetPixelSpan()), rgb);
        int w = (int)MathF.Round(rgba.Width * factor), h = (int)MathF.Round(rgba.Height * factor);

        using var expected = rgba.Resize(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Premul),
            new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        var actual = MipmapResize.Resize(new RgbImage(rgba.Width, rgba.Height, rgb), w, h);

        var e = expected.GetPixelSpan();
        long sum = 0;
        var max = 0;
        for (int i = 0, j = 0; j < actual.Pixels.Length; i += 4, j += 3)
        {
            for (var c = 0; c < 3; c++)
            {
                var d = Math.Abs(e[i + c] - actual.Pixels[j + c]);
                sum += d;
                max = Math.Max(max, d);
            }
        }

        Assert.True(max <= 1, $"max difference {max}");
        Assert.True(sum / (double)actual.Pixels.Length < 0.01, $"mean difference {sum / (double)actual.Pixels.Length:F4}");
    }

    [Theory]
    [InlineData(0.9f)]   // one level, bilinear
    [InlineData(0.55f)]  // two levels blended
    public void Resize_IsTheScalarFormula_ByteForByte(float factor)
    {
        // The vertical pass runs a row at a time with SIMD (and a scalar tail), the horizontal one a pixel's channels at
        // once up to the last pixel of the image: every byte must be the plain formula's, whatever the vector width.
        // 101 px wide: rows of 303 values, not a multiple of any vector.
        var src = ImageSamplerTests.Noise(101, 67, seed: 11);
        int w = (int)MathF.Round(101 * factor), h = (int)MathF.Round(67 * factor);
        var actual = MipmapResize.Resize(src, w, h);

        var level = -MathF.Log2(Math.Min(w / 101f, h / 67f)) - 0.5f;
        var upperIndex = (int)MathF.Floor(Math.Max(level, 0));
        var lowerWeight = Math.Max(level, 0) - upperIndex;
        var upper = src;
        for (var k = 0; k < upperIndex; k++) upper = MipmapResize.Halve(upper);
        var lower = MipmapResize.Halve(upper);
        var expected = new byte[w * h * 3];
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                for (var c = 0; c < 3; c++)
                {
                    var value = Bilinear(upper, x, y, c, w, h);
                    if (lowerWeight > 0) value += (Bilinear(lower, x, y, c, w, h) - value) * lowerWeight;
                    expected[(y * w + x) * 3 + c] = (byte)Math.Clamp((int)(value + 0.5f), 0, 255);
                }
            }
        }

        Assert.Equal(expected, actual.Pixels);

        // Skia's sampling of a level at an output pixel centre: horizontal lerp of two rows, then vertical lerp.
        static float Bilinear(RgbImage img, int x, int y, int c, int w, int h)
        {
            float u = (x + 0.5f) * (img.Width / (float)w) - 0.5f, v = (y + 0.5f) * (img.Height / (float)h) - 0.5f;
            float fu = u - MathF.Floor(u), fv = v - MathF.Floor(v);
            int x0 = Math.Clamp((int)MathF.Floor(u), 0, img.Width - 1), x1 = Math.Clamp((int)MathF.Floor(u) + 1, 0, img.Width - 1);
            int y0 = Math.Clamp((int)MathF.Floor(v), 0, img.Height - 1), y1 = Math.Clamp((int)MathF.Floor(v) + 1, 0, img.Height - 1);
            float Row(int yy)
            {
                float a = img.Pixels[(yy * img.Width + x0) * 3 + c], b = img.Pixels[(yy * img.Width + x1) * 3 + c];
                return a + (b - a) * fu;
            }

            float top = Row(y0), bottom = Row(y1);
            return top + (bottom - top) * fv;
        }
    }

    [Fact]
    public void ImageSource_Get_IsTheSameWhetherOrNotOtherDecodesCameFirst()
    {
        var bytes = TestData.Bytes("identity/obama_1.jpg");
        var decoder = new ImageDecoder();
        var alone = new ImageSource(bytes, decoder).Get(640);
        var shared = new ImageSource(bytes, decoder);
        var region = shared.ForRegion(1137, 700); // the same decoder scale the 640 copy is made from
        var after = shared.Get(640);
        Assert.Equal(alone.Pixels, after.Pixels);
        Assert.Equal(alone.Scale, after.Scale);
        Assert.True(region.LongSide >= 640);
        Assert.Equal(decoder.Decode(bytes, 640).Pixels, alone.Pixels);
    }

    [Fact]
    public void ImageSource_AboveTheBase_ScalesOfThreeQuartersDecodeTheFullPhoto_ExceptInALargePhoto()
    {
        var decoder = new ImageDecoder();
        // obama_1 (910×1137): its scales are 143 … 711 (the base), 853, 995, 1137. A crop needing 800 px takes the
        // full decode (the one the mask and template stages use) instead of a 6/8 decode of its own; 700 px is the base.
        var ordinary = new ImageSource(TestData.Bytes("identity/obama_1.jpg"), decoder);
        Assert.Equal(1137, ordinary.ForRegion(1137, 800).LongSide);
        Assert.Same(ordinary.Full(), ordinary.ForRegion(1137, 990));
        Assert.Equal(711, ordinary.ForRegion(1137, 700).LongSide);
        // The 36 MP photo (7360 px; scales of 920 px) keeps its 6/8 scale: a full decode there costs hundreds of ms.
        var large = new ImageSource(TestData.Bytes("identity/compreface_A_001.jpg"), decoder);
        Assert.Equal(5520, large.ForRegion(7360, 5000).LongSide);
    }

    private static RgbImage Grey(int w, int h, byte[] values) =>
        new(w, h, values.SelectMany(v => new[] { v, v, v }).ToArray());
}
