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

    private static RgbImage Grey(int w, int h, byte[] values) =>
        new(w, h, values.SelectMany(v => new[] { v, v, v }).ToArray());
}
