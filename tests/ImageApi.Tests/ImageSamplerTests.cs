using ImageApi.Imaging;

namespace ImageApi.Tests;

public sealed class ImageSamplerTests
{
    [Fact]
    public void AffineTransform_Invert_RoundTrips()
    {
        var t = new AffineTransform(0.8f, -0.6f, 10, 0.6f, 0.8f, -5);
        var inv = t.Invert();
        var (x, y) = t.Apply(3, 7);
        var (bx, by) = inv.Apply(x, y);
        Assert.Equal(3, bx, 4);
        Assert.Equal(7, by, 4);
        Assert.Equal(1, t.ScaleFactor, 4);
    }

    [Fact]
    public void CropResize_SameSize_CopiesPixels()
    {
        var img = Gradient(8, 6);
        var crop = ImageSampler.CropResize(img, 2, 1, 6, 5, 4, 4);
        // Output (0,0) is source pixel (2,1): R = 2*10, G = 1*10.
        Assert.Equal(20, crop.Pixels[0]);
        Assert.Equal(10, crop.Pixels[1]);
        // Output (3,3) is source (5,4).
        var i = (3 * 4 + 3) * 3;
        Assert.Equal(50, crop.Pixels[i]);
        Assert.Equal(40, crop.Pixels[i + 1]);
    }

    [Fact]
    public void CropResize_OutsideImage_ReplicatesOrFills()
    {
        var img = Gradient(8, 6);
        var replicate = ImageSampler.CropResize(img, -4, 0, 4, 8, 8, 8);
        Assert.Equal(0, replicate.Pixels[0]); // x<0 replicates column 0 (R = 0)
        var constant = ImageSampler.CropResize(img, -4, 0, 4, 8, 8, 8, BorderMode.Constant, (200, 200, 200));
        Assert.Equal(200, constant.Pixels[0]);
        Assert.Equal(200, constant.Pixels[2]);
    }

    [Fact]
    public void CropResize_IntoAGivenBuffer_WritesTheSameBytes_AndRefusesOneTooSmall()
    {
        var img = Gradient(40, 30);
        var fresh = ImageSampler.CropResize(img, -3.5f, 2.25f, 31.5f, 27.75f, 17, 13);
        var into = Enumerable.Repeat((byte)99, 17 * 13 * 3 + 50).ToArray(); // longer, as a pooled array is
        var pooled = ImageSampler.CropResize(img, -3.5f, 2.25f, 31.5f, 27.75f, 17, 13, into: into);
        Assert.Same(into, pooled.Pixels);
        Assert.Equal(fresh.Pixels, into.AsSpan(0, fresh.Pixels.Length).ToArray());
        Assert.All(into.AsSpan(fresh.Pixels.Length).ToArray(), b => Assert.Equal(99, b));
        Assert.Throws<ArgumentException>(() => ImageSampler.CropResize(img, 0, 0, 40, 30, 17, 13, into: new byte[17 * 13 * 3 - 1]));
    }

    [Theory]
    [InlineData(-1, 5, 1)]
    [InlineData(-2, 5, 2)]
    [InlineData(5, 5, 3)]
    [InlineData(6, 5, 2)]
    [InlineData(2, 5, 2)]
    public void MapCoordinate_Reflect101_MirrorsWithoutRepeatingTheEdge(int v, int size, int expected) =>
        Assert.Equal(expected, ImageSampler.MapCoordinate(v, size, BorderMode.Reflect));

    [Fact]
    public void Warp_HalfScale_AveragesSourcePixels()
    {
        var img = Gradient(8, 8);
        var half = ImageSampler.Resize(img, 4, 4);
        // Output pixel 0 covers source x 0..1 → R ≈ mean(0, 10) = 5.
        Assert.InRange(half.Pixels[0], 3, 7);
    }

    [Theory]
    [InlineData(3f, 0.3f, BorderMode.Replicate)]  // 2 × 2 taps, rotated
    [InlineData(6f, 0f, BorderMode.Reflect)]      // 4 × 4 taps, axis-aligned (the liveness crops)
    [InlineData(5f, -0.2f, BorderMode.Constant)]  // 4 × 4 taps
    [InlineData(0.4f, 0f, BorderMode.Replicate)]  // one tap, axis-aligned: the mask detector's enlarged crop
    [InlineData(1.5f, 0.5f, BorderMode.Constant)] // one tap, rotated: face alignment
    public void Warp_IsTheMeanOfItsBilinearTaps_ByteForByte(float shrink, float angle, BorderMode border)
    {
        // Taps inside the image read their neighbours directly (a crop-and-resize computes its columns' and rows'
        // source positions once), the others go through the border rule: the bytes must be those of the plain
        // definition (every tap through the border rule, the same additions in the same order).
        var src = Noise(97, 61, seed: 7);
        var (cos, sin) = (MathF.Cos(angle) / shrink, MathF.Sin(angle) / shrink);
        // Reaches past the left and top edges, so both paths are taken.
        var srcToDst = new AffineTransform(cos, -sin, 3, sin, cos, 2);
        var actual = ImageSampler.Warp(src, srcToDst, 24, 20, border, (9, 99, 199));

        var taps = shrink > 2 ? Math.Min(4, (int)MathF.Ceiling(shrink / 1.5f)) : 1;
        Assert.Equal(TapDefinition(src, srcToDst, 24, 20, taps, border, (9, 99, 199)), actual.Pixels);
    }

    [Theory]
    [InlineData(0.37f, 0f)]   // one tap, axis-aligned (the mask crop's path)
    [InlineData(0.8f, 0.1f)]  // one tap, rotated
    [InlineData(3f, 0f)]      // 2 × 2 taps, axis-aligned
    [InlineData(3.5f, -0.1f)] // 3 × 3 taps, rotated
    public void Warp_OverTheWholeImage_ReadsTheLastPixelsAsTheDefinitionDoes(float shrink, float angle)
    {
        // Three channels of a tap are read as four bytes at once where that stays inside the pixel array: the warp
        // covers the bottom-right pixel (whose fourth byte would be past the end), and the bytes must still be the
        // definition's. Odd sizes, so no row ends on a multiple of anything.
        var src = Noise(29, 17, seed: 11);
        var (cos, sin) = (MathF.Cos(angle) / shrink, MathF.Sin(angle) / shrink);
        int width = (int)(29 / shrink) + 2, height = (int)(17 / shrink) + 2;
        var srcToDst = new AffineTransform(cos, -sin, 0.5f, sin, cos, 0.5f);
        var actual = ImageSampler.Warp(src, srcToDst, width, height, BorderMode.Replicate);
        var taps = shrink > 2 ? Math.Min(4, (int)MathF.Ceiling(shrink / 1.5f)) : 1;
        Assert.Equal(TapDefinition(src, srcToDst, width, height, taps, BorderMode.Replicate, default), actual.Pixels);
    }

    /// <summary>The plain definition of a warp: every tap through the border rule, the same additions in the same
    /// order, the mean of the taps rounded half to even.</summary>
    private static byte[] TapDefinition(RgbImage src, AffineTransform srcToDst, int width, int height, int taps,
        BorderMode border, (byte R, byte G, byte B) fill)
    {
        var inv = srcToDst.Invert();
        var expected = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                float r = 0, g = 0, b = 0;
                for (var ty = 0; ty < taps; ty++)
                {
                    for (var tx = 0; tx < taps; tx++)
                    {
                        var (sx, sy) = inv.Apply(x + (tx + 0.5f) / taps - 0.5f, y + (ty + 0.5f) / taps - 0.5f);
                        int x0 = (int)MathF.Floor(sx), y0 = (int)MathF.Floor(sy);
                        float fx = sx - x0, fy = sy - y0;
                        foreach (var (nx, ny, w) in new[] { (x0, y0, (1 - fx) * (1 - fy)), (x0 + 1, y0, fx * (1 - fy)), (x0, y0 + 1, (1 - fx) * fy), (x0 + 1, y0 + 1, fx * fy) })
                        {
                            var (pr, pg, pb) = PixelOrBorder(src, nx, ny, border, fill);
                            r += w * pr;
                            g += w * pg;
                            b += w * pb;
                        }
                    }
                }

                var i = (y * width + x) * 3;
                var n = taps * taps;
                (expected[i], expected[i + 1], expected[i + 2]) = (Round(r / n), Round(g / n), Round(b / n));
            }
        }

        return expected;

        static byte Round(float v) => (byte)Math.Clamp((int)MathF.Round(v), 0, 255);
    }

    private static (byte R, byte G, byte B) PixelOrBorder(RgbImage img, int x, int y, BorderMode border, (byte R, byte G, byte B) fill)
    {
        if ((uint)x >= (uint)img.Width || (uint)y >= (uint)img.Height)
        {
            if (border == BorderMode.Constant) return fill;
            x = ImageSampler.MapCoordinate(x, img.Width, border);
            y = ImageSampler.MapCoordinate(y, img.Height, border);
        }

        var i = (y * img.Width + x) * 3;
        return (img.Pixels[i], img.Pixels[i + 1], img.Pixels[i + 2]);
    }

    internal static RgbImage Noise(int w, int h, int seed)
    {
        var px = new byte[w * h * 3];
        new Random(seed).NextBytes(px);
        return new RgbImage(w, h, px);
    }

    [Fact]
    public void TensorPacker_BgrNchwWithMeanStd_WritesPlanes()
    {
        var img = new RgbImage(1, 2, [10, 20, 30, 40, 50, 60]);
        var dst = new float[6];
        TensorPacker.Pack(img, new PixelLayout(ChannelOrder.Bgr, [0, 0, 0], [10, 10, 10]), dst);
        Assert.Equal([3f, 6f, 2f, 5f, 1f, 4f], dst);
    }

    [Theory]
    [InlineData(ChannelOrder.Rgb)]
    [InlineData(ChannelOrder.Bgr)]
    public void TensorPacker_Planes_AreTheScalarFormula_ForSixteenPixelBlocksAndTheTail(ChannelOrder order)
    {
        // 37 × 5 = 185 pixels: eleven blocks of 16 split by byte shuffles, then a tail of 9 the plain way; every
        // float must be (value − mean) / std as the scalar loop computes it.
        var img = Noise(37, 5, seed: 3);
        var layout = new PixelLayout(order, [127.5f, 110f, 0.25f], [128f, 57.1f, 3f]);
        var dst = new float[3 * 185];
        TensorPacker.Pack(img, layout, dst);

        var expected = new float[3 * 185];
        for (var i = 0; i < 185; i++)
        {
            for (var k = 0; k < 3; k++)
            {
                var source = order == ChannelOrder.Rgb ? k : 2 - k;
                expected[k * 185 + i] = (img.Pixels[3 * i + source] - layout.Mean[k]) * (1f / layout.Std[k]);
            }
        }

        Assert.Equal(expected, dst);
    }

    private static RgbImage Gradient(int w, int h)
    {
        var px = new byte[w * h * 3];
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                var i = (y * w + x) * 3;
                px[i] = (byte)(x * 10);
                px[i + 1] = (byte)(y * 10);
                px[i + 2] = 100;
            }
        }

        return new RgbImage(w, h, px);
    }
}
