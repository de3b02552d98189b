using ImageApi.Imaging;

namespace ImageApi.Tests;

public sealed class AreaResizeTests
{
    [Fact]
    public void Halving_AveragesEach2x2Block_Rounded()
    {
        // Blocks {10, 20, 30, 41} → 101 / 4 = 25.25 → 25, and {0, 0, 1, 2} → 0.75 → 1 (rounded, not truncated).
        var src = Grey(4, 2, [10, 20, 0, 0, 30, 41, 1, 2]);
        var half = AreaResize.Resize(src, 2, 1, 0.5f);
        Assert.Equal([25, 25, 25, 1, 1, 1], half.Pixels);
        Assert.Equal(0.5f, half.Scale);
    }

    [Fact]
    public void ThreeToTwo_WeighsEachSourcePixelByItsOverlap()
    {
        // Output 0 covers source [0, 1.5): ⅔ of 0 + ⅓ of 90 = 30; output 1 covers [1.5, 3): ⅓ of 90 + ⅔ of 180 = 150.
        var src = Grey(3, 1, [0, 90, 180]);
        var dst = AreaResize.Resize(src, 2, 1, 2 / 3f);
        Assert.Equal([30, 150], dst.Pixels.Where((_, i) => i % 3 == 0).ToArray());
    }

    [Fact]
    public void Taps_SumToExactlyOne_ForEveryOutput()
    {
        foreach (var (source, output) in new[] { (1137, 711), (910, 569), (7, 3), (100, 99), (5, 1) })
        {
            var taps = AreaResize.Taps.Of(source, output);
            for (var i = 0; i < output; i++)
            {
                var (first, count) = taps.Range(i);
                Assert.InRange(first + count, 1, source);
                Assert.Equal(1 << 14, Enumerable.Range(0, count).Sum(t => taps.Weight(i, t)));
            }
        }
    }

    [Fact]
    public void ChannelsStayApart_AndAUniformImageStaysUniform()
    {
        var src = new RgbImage(5, 3, Enumerable.Range(0, 15).SelectMany(_ => new byte[] { 200, 17, 3 }).ToArray());
        var dst = AreaResize.Resize(src, 2, 2, 0.4f);
        Assert.Equal(Enumerable.Range(0, 4).SelectMany(_ => new byte[] { 200, 17, 3 }), dst.Pixels);
    }

    [Theory]
    [InlineData(427)]
    [InlineData(285)]
    public void ImageSource_SmallerScales_AreCloseToTheDecodersOwnScaling(int longSide)
    {
        // The copies a crop is made from are area-averaged from the request's one decode instead of decoded again at
        // the JPEG's DCT scale. The two differ by ≈ 3 levels on average (the scaled IDCT keeps more of the 8×8 blocks'
        // detail and upsamples chroma differently: any area or mipmap filter lands at 3–4.5); a shift of the grid by
        // one pixel would give 5–15. The models' accuracy on these copies is what the accuracy tests check.
        var bytes = TestData.Bytes("identity/obama_1.jpg");
        var decoder = new ImageDecoder();
        var fromDecoder = decoder.DecodeAtLeast(bytes, longSide);
        var fromShared = new ImageSource(bytes, decoder).ForRegion(1137, longSide);
        Assert.Equal((fromDecoder.Width, fromDecoder.Height), (fromShared.Width, fromShared.Height));
        Assert.Equal(fromDecoder.Scale, fromShared.Scale, 3);
        var meanDifference = fromDecoder.Pixels.Zip(fromShared.Pixels, (a, b) => Math.Abs(a - b)).Average();
        Assert.True(meanDifference < 4.0, $"mean |difference| {meanDifference:F2}");
    }

    [Fact]
    public void ImageSource_ACrop_IsTheSamePixelsWhateverWasAskedBefore()
    {
        var bytes = TestData.Bytes("identity/obama_1.jpg");
        var decoder = new ImageDecoder();
        var alone = new ImageSource(bytes, decoder).ForRegion(350, 112);
        var busy = new ImageSource(bytes, decoder);
        busy.Full();
        busy.Get(640);
        busy.ForRegion(500, 64);
        Assert.Equal(alone.Pixels, busy.ForRegion(350, 112).Pixels);
    }

    // A window of an area copy is that copy's bytes there: at the corners, along the edges, one pixel, the whole — on
    // a photo and on noise (rows whose width is no multiple of the vector width).
    [Theory]
    [InlineData(0, 0, 40, 30)]
    [InlineData(300, 400, 42, 27)]
    [InlineData(100, 120, 1, 1)]
    [InlineData(0, 200, 342, 5)]
    [InlineData(0, 0, 342, 427)]
    public void ResizeWindow_IsTheWholeResizesBytesThere(int x, int y, int width, int height)
    {
        var photo = new ImageDecoder().DecodeAtLeast(TestData.Bytes("identity/obama_1.jpg"), 711); // 569 × 711
        var noise = new byte[569 * 711 * 3];
        new Random(7).NextBytes(noise);
        foreach (var src in new[] { photo, new RgbImage(569, 711, noise) })
        {
            var whole = AreaResize.Resize(src, 342, 427, 0.376f);
            var part = AreaResize.ResizeWindow(src, 342, 427, 0.376f, new Window(x, y, width, height));
            Assert.Equal((x, y, width, height, 342, 427, 0.376f), (part.OriginX, part.OriginY, part.Width, part.Height, part.FullWidth, part.FullHeight, part.Scale));
            for (var row = 0; row < height; row++)
            {
                var expected = whole.Pixels.AsSpan(((y + row) * 342 + x) * 3, width * 3);
                Assert.True(expected.SequenceEqual(part.Pixels.AsSpan(row * width * 3, width * 3)), $"row {y + row} differs");
            }
        }
    }

    // ImageSource makes only the part of an area copy that a crop reads, until a crop outside it asks for the whole;
    // the crops are the same bytes either way (the fitter's landmark crop of obama_1 at the 427 copy).
    [Fact]
    public void ImageSource_AreaCopyPart_GivesTheWholeCopysCrop_AndACropOutsideMakesTheWhole()
    {
        var bytes = TestData.Bytes("identity/obama_1.jpg");
        var decoder = new ImageDecoder();
        var face = new Box(300, 350, 650, 700);
        var area = face.SampledArea(BorderMode.Constant, 910, 1137);
        var parts = new ImageSource(bytes, decoder);
        var part = parts.ForRegion(face.LongSide, 112, area);
        Assert.True(part.Width < part.FullWidth && part.Height < part.FullHeight, "only a part is made");
        var whole = new ImageSource(bytes, decoder).ForRegion(face.LongSide, 112);
        Assert.Equal((whole.Width, whole.Height, whole.Scale), (part.FullWidth, part.FullHeight, part.Scale));

        var s = part.Scale;
        var fromPart = ImageSampler.CropResize(part, face.X1 * s, face.Y1 * s, face.X2 * s, face.Y2 * s, 112, 112, BorderMode.Constant);
        var fromWhole = ImageSampler.CropResize(whole, face.X1 * s, face.Y1 * s, face.X2 * s, face.Y2 * s, 112, 112, BorderMode.Constant);
        Assert.Equal(fromWhole.Pixels, fromPart.Pixels);

        // A crop a little off the first is served by the same part; one in the far corner gets the whole copy.
        var near = new Box(310, 340, 660, 690);
        Assert.Same(part, parts.ForRegion(near.LongSide, 112, near.SampledArea(BorderMode.Constant, 910, 1137)));
        var corner = new Box(0, 0, 350, 350);
        var after = parts.ForRegion(corner.LongSide, 112, corner.SampledArea(BorderMode.Constant, 910, 1137));
        Assert.Equal((whole.Width, whole.Height, 0, 0), (after.Width, after.Height, after.OriginX, after.OriginY));
        Assert.Equal(whole.Pixels, after.Pixels);
        Assert.Same(after, parts.ForRegion(face.LongSide, 112, area));
    }

    private static RgbImage Grey(int w, int h, byte[] values) =>
        new(w, h, values.SelectMany(v => new[] { v, v, v }).ToArray());
}
