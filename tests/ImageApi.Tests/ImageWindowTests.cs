using System.Numerics;
using ImageApi.Imaging;

namespace ImageApi.Tests;

/// <summary>
/// <see cref="ImageSource.Window"/> decodes (and shrinks) only the part of a large decode that a crop reads: the crop
/// must be the same bytes as from the whole image, wherever the face is and at whatever ladder step.
/// </summary>
public sealed class ImageWindowTests
{
    private static readonly byte[] Large = TestData.Bytes("identity/compreface_A_001.jpg");
    private readonly ImageDecoder _decoder = new();

    // Faces of the 36 MP photo (4912×7360) drawn as the ArcFace points scaled to a crop region of `region` original
    // pixels at (x, y): 530 and 600 px → the 5120 step (a 5520 decode shrunk, bilinear); 250 px → full size; and faces
    // reaching out of the photo at its corners (black border, nothing to decode there).
    [Theory]
    [InlineData(530f, 2000f, 2500f, 5120)]
    [InlineData(600f, 1500f, 3000f, 5120)]
    [InlineData(250f, 3100f, 1200f, 0)]
    [InlineData(530f, -200f, -150f, 5120)]
    [InlineData(250f, 4800f, 7250f, 0)]
    public void ArcFaceCrop_FromAWindow_EqualsTheCropFromTheWholeDecode(float region, float x, float y, int step)
    {
        var points = Face(region, x, y);
        var source = new ImageSource(Large, _decoder);
        Assert.Equal(step, FaceAligner.SourceLongSide(source.Width, source.Height, points));

        var window = source.Window(step, FaceAligner.Footprint(points, FaceAligner.ArcFaceTemplate, FaceAligner.ArcFaceSize));
        Assert.True(window.Width < window.FullWidth || window.Height < window.FullHeight, "a window, not the whole decode");
        Assert.True((long)window.Width * window.Height * 20 < (long)window.FullWidth * window.FullHeight, "a small part of it");

        var fromWindow = FaceAligner.AlignArcFace112(new ImageSource(Large, _decoder), points);
        var fromWhole = FaceAligner.AlignArcFace112(new ImageSource(Large, _decoder).Get(step), points);
        Assert.Equal(fromWhole.Pixels, fromWindow.Pixels);
    }

    [Fact]
    public void Window_AtFullSize_HasTheWholeDecodesPixels()
    {
        var whole = _decoder.Decode(Large);
        var window = new ImageSource(Large, _decoder).Window(0, new Box(1003.5f, 2001.2f, 1600.7f, 2900.1f));
        Assert.Equal((whole.Width, whole.Height), (window.FullWidth, window.FullHeight));
        Assert.True(window.OriginX <= 1003 && window.OriginY <= 2001 && window.OriginX + window.Width >= 1601 && window.OriginY + window.Height >= 2901);
        for (var y = 0; y < window.Height; y++)
        {
            var row = whole.Pixels.AsSpan(((window.OriginY + y) * whole.Width + window.OriginX) * 3, window.Width * 3);
            // Every row of the window, margins included: libjpeg's cropped decode gives the same pixels here.
            Assert.True(row.SequenceEqual(window.Pixels.AsSpan(y * window.Stride, window.Stride)), $"row {window.OriginY + y}");
        }
    }

    [Fact]
    public void SecondWindowOfTheSameDecode_IsTheWholeImage()
    {
        var source = new ImageSource(Large, _decoder);
        var first = source.Window(0, new Box(1000, 1000, 1200, 1200));
        var second = source.Window(0, new Box(3000, 5000, 3200, 5200));
        Assert.True(first.Width < first.FullWidth);
        Assert.Same(source.Full(), second);
    }

    [Fact]
    public void Window_OfASmallPhoto_IsTheWholeImage()
    {
        var bytes = TestData.Bytes("identity/obama_1.jpg");
        var source = new ImageSource(bytes, _decoder);
        var image = source.Window(0, new Box(100, 100, 300, 300));
        Assert.Same(source.Full(), image);
    }

    [Theory]
    [InlineData(BorderMode.Reflect, -30f, 20f, 0f, 31f)]
    [InlineData(BorderMode.Reflect, 90f, 130f, 67f, 100f)]
    [InlineData(BorderMode.Replicate, -30f, 50f, 0f, 50f)]
    [InlineData(BorderMode.Constant, 90f, 130f, 90f, 100f)]
    [InlineData(BorderMode.Reflect, -150f, 50f, 0f, 100f)]
    public void SampledArea_CoversWhatTheBorderRuleReads(BorderMode border, float from, float to, float expectedFrom, float expectedTo)
    {
        // One axis of a 100-px image: reflect-101 reads -30 as 30 and 130 as 68 (a pixel more is taken, for the
        // bilinear neighbour), beyond a period anything.
        var area = new Box(from, 10, to, 20).SampledArea(border, 100, 100);
        Assert.Equal((expectedFrom, expectedTo), (area.X1, area.X2));
    }

    private static Vector2[] Face(float region, float x, float y)
    {
        var s = region / FaceAligner.ArcFaceSize;
        var points = new Vector2[5];
        for (var i = 0; i < 5; i++) points[i] = FaceAligner.ArcFaceTemplate[i] * s + new Vector2(x, y);
        return points;
    }
}
