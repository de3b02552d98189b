using ImageApi.Hosting;
using ImageApi.Imaging;
using SkiaSharp;

namespace ImageApi.Tests;

public sealed class ImageDecoderTests
{
    private readonly ImageDecoder _decoder = new();

    [Theory]
    [InlineData("progressive.jpg")]
    [InlineData("cmyk.jpg")]
    [InlineData("gray.jpg")]
    [InlineData("png16.png")]
    [InlineData("palette.png")]
    [InlineData("gray.png")]
    [InlineData("rgba.png")]
    [InlineData("rgb24.bmp")]
    [InlineData("image.webp")]
    public void Decode_EveryFormat_GivesRgbOfTheSameSceneAsBaseline(string file)
    {
        var reference = _decoder.Decode(TestData.Bytes("identity/obama_1.jpg"), 250);
        var image = _decoder.Decode(Fixture.Bytes(file));
        Assert.Equal(200, image.Width);
        Assert.Equal(250, image.Height);
        Assert.Equal(image.Width * image.Height * 3, image.Pixels.Length);
        // Same picture: mean absolute luminance difference against a plain decode stays small
        // (grey/CMYK/palette/alpha-on-white variants all resemble the original).
        // rgba.png has 60 % alpha everywhere: composited onto white it is 0.6 × photo + 0.4 × 255.
        var expected = file == "rgba.png" ? Blend(reference, 0.6) : reference;
        var diff = MeanLumaDifference(expected, image);
        Assert.True(diff < 12, $"{file}: mean luma diff {diff:F1}");
    }

    [Theory]
    [InlineData(1, 64, 48, "top-left", "left")]
    [InlineData(2, 64, 48, "top-right", "right")]
    [InlineData(3, 64, 48, "bottom-right", "right")]
    [InlineData(4, 64, 48, "bottom-left", "left")]
    [InlineData(5, 48, 64, "top-left", "top")]
    [InlineData(6, 48, 64, "top-right", "top")]
    [InlineData(7, 48, 64, "bottom-right", "bottom")]
    [InlineData(8, 48, 64, "bottom-left", "bottom")]
    public void Decode_ExifOrientation_IsApplied(int orientation, int width, int height, string greenCorner, string redHalf)
    {
        var jpeg = Fixture.WithExifOrientation(Fixture.Bytes("base.jpg"), orientation);
        Assert.Equal(orientation, _decoder.ReadHeader(jpeg).Orientation);
        var img = _decoder.Decode(jpeg);
        Assert.Equal((width, height), (img.Width, img.Height));
        Assert.Equal((width, height), (_decoder.ReadHeader(jpeg).Width, _decoder.ReadHeader(jpeg).Height));

        var (gx, gy) = greenCorner switch
        {
            "top-left" => (3, 3),
            "top-right" => (width - 4, 3),
            "bottom-right" => (width - 4, height - 4),
            _ => (3, height - 4),
        };
        var green = Pixel(img, gx, gy);
        Assert.True(green.G > 150 && green.R < 100 && green.B < 100, $"expected green at {greenCorner}, got {green}");

        var (rx, ry) = redHalf switch
        {
            "left" => (width / 4, height - 6),
            "right" => (width * 3 / 4, height / 2 + 6),
            "top" => (width / 2, height / 4 + 4),
            _ => (width / 2, height * 3 / 4),
        };
        var red = Pixel(img, rx, ry);
        Assert.True(red.R > 150 && red.B < 100, $"expected red in the {redHalf} half at ({rx},{ry}), got {red}");
    }

    [Fact]
    public void Decode_LargeJpegWithLimit_DownscalesWhileDecoding()
    {
        var bytes = TestData.Bytes("identity/compreface_A_001.jpg");
        var header = _decoder.ReadHeader(bytes);
        Assert.Equal((4912, 7360), (header.Width, header.Height));
        var img = _decoder.Decode(bytes, 640);
        Assert.Equal(640, img.LongSide);
        Assert.Equal(640f / 7360, img.Scale, 3);
    }

    [Fact]
    public void Decode_LivenessPhotoWithOrientation6_IsPortrait()
    {
        var header = _decoder.ReadHeader(TestData.Bytes("liveness/real_T1.jpg"));
        Assert.Equal(6, header.Orientation);
        Assert.True(header.Height > header.Width);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.1)]
    public void Decode_TruncatedJpeg_Is400(double keep)
    {
        var bytes = TestData.Bytes("identity/obama_1.jpg");
        var cut = bytes.AsSpan(0, (int)(bytes.Length * keep)).ToArray();
        var e = ApiErrors.From(Assert.Throws<ImageDecodeException>(() => _decoder.Decode(cut)))!;
        Assert.Equal(400, e.StatusCode);
    }

    [Fact]
    public void Decode_TruncatedPng_Is400()
    {
        var bytes = Fixture.Bytes("png16.png");
        var e = ApiErrors.From(Assert.Throws<ImageDecodeException>(() => _decoder.Decode(bytes.AsSpan(0, bytes.Length / 2).ToArray())))!;
        Assert.Equal(400, e.StatusCode);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 })]
    [InlineData(new byte[] { (byte)'h', (byte)'e', (byte)'l', (byte)'l', (byte)'o' })]
    public void ReadHeader_NotAnImage_IsUnsupportedFormat(byte[] bytes)
    {
        var e = ApiErrors.From(Assert.Throws<ImageDecodeException>(() => _decoder.ReadHeader(bytes)))!;
        Assert.Equal((400, ErrorMessages.UnsupportedFormat), (e.StatusCode, e.Detail));
    }

    [Fact]
    public void ReadHeader_DecompressionBomb_IsRefusedBeforeAllocation()
    {
        var bomb = Fixture.PngHeader(60_000, 60_000);
        Assert.True(bomb.Length < 100);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var e = ApiErrors.From(Assert.Throws<ImageDecodeException>(() => _decoder.ReadHeader(bomb)))!;
        Assert.Equal(400, e.StatusCode);
        Assert.Contains("exceed", e.Detail);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1_000_000);
    }

    private static (byte R, byte G, byte B) Pixel(RgbImage img, int x, int y)
    {
        var i = (y * img.Width + x) * 3;
        return (img.Pixels[i], img.Pixels[i + 1], img.Pixels[i + 2]);
    }

    private static RgbImage Blend(RgbImage img, double alpha)
    {
        var px = img.Pixels.Select(p => (byte)Math.Round(alpha * p + (1 - alpha) * 255)).ToArray();
        return new RgbImage(img.Width, img.Height, px);
    }

    private static double MeanLumaDifference(RgbImage a, RgbImage b)
    {
        double sum = 0;
        for (var i = 0; i < a.Pixels.Length; i += 3)
        {
            var la = 0.299 * a.Pixels[i] + 0.587 * a.Pixels[i + 1] + 0.114 * a.Pixels[i + 2];
            var lb = 0.299 * b.Pixels[i] + 0.587 * b.Pixels[i + 1] + 0.114 * b.Pixels[i + 2];
            sum += Math.Abs(la - lb);
        }

        return sum / (a.Pixels.Length / 3);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(1001)]
    public void DropAlpha_EqualsThePerPixelCopy(int pixels)
    {
        var rgba = new byte[pixels * 4];
        new Random(pixels).NextBytes(rgba);
        var fast = new byte[pixels * 3];
        ImageDecoder.DropAlpha(rgba, fast);
        var expected = new byte[pixels * 3];
        for (var p = 0; p < pixels; p++)
        {
            expected[3 * p] = rgba[4 * p];
            expected[3 * p + 1] = rgba[4 * p + 1];
            expected[3 * p + 2] = rgba[4 * p + 2];
        }

        Assert.Equal(expected, fast);
    }
    // Above the pooled size a JPEG is decoded a strip of rows at a time: the pixels must be exactly those of Skia's
    // whole-image decode at the same size (a 36 MP photo at full size and at one of its DCT scales).
    [Theory]
    [InlineData(0)]
    [InlineData(5520)]
    public void Decode_LargeJpegInStrips_EqualsTheWholeImageDecode(int minLongSide)
    {
        var bytes = TestData.Bytes("identity/compreface_A_001.jpg");
        var skia = new ImageDecoder(new DecoderOptions { TurboJpeg = false }); // TurboJPEG decodes into the image whole
        Assert.Equal(1, skia.ReadHeader(bytes).Orientation);
        var image = minLongSide == 0 ? skia.Decode(bytes) : skia.DecodeAtLeast(bytes, minLongSide);
        Assert.True(image.Width * image.Height * 4 > PixelBuffers.MaxPooledLength, "the strip path is the one under test");

        using var codec = SKCodec.Create(new MemoryStream(bytes));
        var info = new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var bitmap = new SKBitmap(info);
        Assert.Equal(SKCodecResult.Success, codec.GetPixels(info, bitmap.GetPixels()));
        var rgba = bitmap.GetPixelSpan();
        var pixels = image.Width * image.Height;
        for (var p = 0; p < pixels; p++)
        {
            if (rgba[4 * p] != image.Pixels[3 * p] || rgba[4 * p + 1] != image.Pixels[3 * p + 1] || rgba[4 * p + 2] != image.Pixels[3 * p + 2])
            {
                Assert.Fail($"pixel {p % image.Width},{p / image.Width} differs");
            }
        }
    }

    [Fact]
    public void Decode_TruncatedLargeJpeg_IsRefused()
    {
        var bytes = TestData.Bytes("identity/compreface_A_001.jpg");
        var truncated = bytes.AsSpan(0, bytes.Length * 6 / 10).ToArray();
        Assert.Throws<ImageDecodeException>(() => _decoder.Decode(truncated));
    }

    /// <summary>Every JPEG of the shared test photos and the format fixtures (progressive, grey).</summary>
    public static TheoryData<string> Jpegs()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(TestData.Root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            if (file.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) || file.EndsWith(".jpeg", StringComparison.OrdinalIgnoreCase))
            {
                data.Add(Path.GetRelativePath(TestData.Root, file));
            }
        }

        data.Add("fixture:progressive.jpg");
        data.Add("fixture:gray.jpg");
        return data;
    }

    // libjpeg-turbo's TurboJPEG library (which .ci/test.sh installs) decodes whole JPEGs when it is there. It must give
    // Skia's pixels byte for byte at every DCT scale, or the library would change answers, not only their speed.
    [Theory]
    [MemberData(nameof(Jpegs))]
    public void TurboJpeg_EveryScale_EqualsSkiasDecode(string file)
    {
        Assert.True(TurboJpeg.IsAvailable, "libjpeg-turbo's libturbojpeg.so.0 is not installed (.ci/test.sh installs it: apt-get install libturbojpeg0)");
        var bytes = file.StartsWith("fixture:", StringComparison.Ordinal) ? Fixture.Bytes(file["fixture:".Length..]) : TestData.Bytes(file);
        using var codec = SKCodec.Create(new MemoryStream(bytes));
        var sizes = Enumerable.Range(1, 8).Select(k => k == 8 ? new SKSizeI(codec.Info.Width, codec.Info.Height) : codec.GetScaledDimensions(k / 8f)).Distinct();
        var decoded = 0;
        foreach (var size in sizes)
        {
            if (!TurboJpeg.IsOnlyScaleFor(codec.Info.Width, codec.Info.Height, size.Width, size.Height)) continue;
            var info = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
            using var bitmap = new SKBitmap(info);
            Assert.Equal(SKCodecResult.Success, codec.GetPixels(info, bitmap.GetPixels()));
            var rgb = new byte[size.Width * size.Height * 3];
            Assert.True(TurboJpeg.TryDecode(bytes, codec.Info.Width, codec.Info.Height, size.Width, size.Height, rgb), $"{size}: TurboJPEG refused it");
            var rgba = bitmap.GetPixelSpan();
            for (var p = 0; p < size.Width * size.Height; p++)
            {
                if (rgba[4 * p] != rgb[3 * p] || rgba[4 * p + 1] != rgb[3 * p + 1] || rgba[4 * p + 2] != rgb[3 * p + 2])
                {
                    Assert.Fail($"{size}: pixel {p % size.Width},{p / size.Width} differs");
                }
            }

            decoded++;
        }

        Assert.True(decoded >= 1, "no scale was compared");
    }

    // The decoder as the hosts use it: the same RgbImage with the library and without, EXIF orientation included.
    [Theory]
    [InlineData("identity/obama_1.jpg", 0)]
    [InlineData("identity/obama_1.jpg", 711)]
    [InlineData("identity/compreface_A_004.jpg", 1008)]
    [InlineData("fixture:base.jpg#6", 0)]
    public void Decode_WithAndWithoutTurboJpeg_GivesTheSameImage(string file, int minLongSide)
    {
        var bytes = file == "fixture:base.jpg#6" ? Fixture.WithExifOrientation(Fixture.Bytes("base.jpg"), 6) : TestData.Bytes(file);
        var turbo = new ImageDecoder();
        var skia = new ImageDecoder(new DecoderOptions { TurboJpeg = false });
        Assert.True(turbo.UsesTurboJpeg);
        Assert.False(skia.UsesTurboJpeg);
        Assert.Equal("skia", skia.JpegDecoder);
        var a = turbo.DecodeAtLeast(bytes, minLongSide);
        var b = skia.DecodeAtLeast(bytes, minLongSide);
        Assert.Equal((b.Width, b.Height, b.Scale), (a.Width, a.Height, a.Scale));
        Assert.True(a.Pixels.AsSpan().SequenceEqual(b.Pixels), "pixels differ");
    }

    // What TurboJPEG does not decode cleanly goes to Skia, which decides as before: a CMYK JPEG decodes, a truncated
    // one is refused.
    [Fact]
    public void TurboJpeg_CmykOrTruncated_IsLeftToSkia()
    {
        var cmyk = Fixture.Bytes("cmyk.jpg");
        using (var codec = SKCodec.Create(new MemoryStream(cmyk)))
        {
            var w = codec.Info.Width;
            var h = codec.Info.Height;
            Assert.False(TurboJpeg.TryDecode(cmyk, w, h, w, h, new byte[w * h * 3]));
        }

        Assert.Equal(200, _decoder.Decode(cmyk).Width);

        var obama = TestData.Bytes("identity/obama_1.jpg");
        var truncated = obama.AsSpan(0, obama.Length / 2).ToArray();
        Assert.False(TurboJpeg.TryDecode(truncated, 910, 1137, 910, 1137, new byte[910 * 1137 * 3]));
        Assert.True(TurboJpeg.TryDecode(obama, 910, 1137, 910, 1137, new byte[910 * 1137 * 3]));
        Assert.Throws<ImageDecodeException>(() => _decoder.Decode(truncated));

        // Where its own reading of the header disagrees with the size Skia read (and the limits were checked on),
        // it decodes nothing: 1137 × 910 is not this file's size, though 1137 × 910 × 3 bytes would hold it.
        Assert.False(TurboJpeg.TryDecode(obama, 1137, 910, 1137, 910, new byte[910 * 1137 * 3]));
    }

    // libjpeg's scaled size is ⌈side × k / 8⌉; a size two eighths share (tiny photos) is left to Skia.
    [Theory]
    [InlineData(910, 1137, 569, 711, true)]   // 5/8: ⌈568.75⌉, ⌈710.6⌉
    [InlineData(910, 1137, 910, 1137, true)]  // 8/8
    [InlineData(910, 1137, 114, 143, true)]   // 1/8: ⌈113.75⌉, ⌈142.1⌉
    [InlineData(910, 1137, 570, 711, false)]  // no eighth gives it
    [InlineData(4, 4, 4, 4, false)]           // 7/8 and 8/8 both give 4 × 4
    [InlineData(16, 16, 14, 14, true)]        // 7/8 only
    public void TurboJpeg_IsOnlyScaleFor_HandChecked(int fullWidth, int fullHeight, int width, int height, bool expected)
    {
        Assert.Equal(expected, TurboJpeg.IsOnlyScaleFor(fullWidth, fullHeight, width, height));
    }
}
