using ImageApi.Imaging;

namespace ImageApi.Liveness.Tests;

/// <summary>
/// The liveness crops of small faces in a 36 MP photo read a full-size window of it (ImageSource.Window), not the
/// whole decode: the crops must be the same bytes as from the whole image, also where the crop reaches outside the
/// photo and the border rule (reflect-101, replicate) reads pixels mirrored in from inside it.
/// </summary>
public sealed class LivenessWindowTests
{
    private static readonly byte[] Large = TestData.Bytes("identity/compreface_A_001.jpg");

    // A 50×60 face: CelebaSpoof's 1.5× square (90 px) needs the full-size decode, Silent-Face's 2.7× box (162 px) the
    // 5120 step (a 5520 decode shrunk); in the middle, at the top-left corner, at the bottom edge.
    [Theory]
    [InlineData(2000f, 2500f)]
    [InlineData(10f, 20f)]
    [InlineData(4850f, 7300f)]
    public void Crops_FromAWindow_EqualTheCropsFromTheWholeDecode(float x, float y)
    {
        var face = new Box(x, y, x + 50, y + 60);
        Compare(source => LivenessCrops.CelebaSpoofSquare(source, face, 1.5f, 128, 640), 0);
        Compare(source => LivenessCrops.SilentFace(source, face, 2.7f, 80, 640), 5120);
    }

    private static void Compare(Func<ImageSource, RgbImage> crop, int step)
    {
        var source = new ImageSource(Large, new ImageDecoder());
        var fromWindow = crop(source);
        // The crop took the one window of its decode: the next one is the whole image.
        var next = source.Window(step, new Box(0, 0, 10, 10));
        Assert.Equal((next.FullWidth, next.FullHeight), (next.Width, next.Height));
        var fromWhole = crop(source);
        Assert.Equal(fromWhole.Pixels, fromWindow.Pixels);
    }
}
