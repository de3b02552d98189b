using ImageApi.Contracts;

namespace ImageApi.Faces.Tests;

public sealed class VendorKeypointMapTests
{
    // Point k of the synthetic WFLW set is (k, 1000 + k), so every mapped point names its source index.
    private static readonly Vector2[] Indexed = [.. Enumerable.Range(0, 98).Select(k => new Vector2(k, 1000 + k))];

    [Theory]
    [InlineData("left_eye_brow_left", 33)]
    [InlineData("left_eye_brow_up", 35)]
    [InlineData("left_eye_brow_right", 37)]
    [InlineData("right_eye_brow_left", 42)]
    [InlineData("right_eye_brow_up", 44)]
    [InlineData("right_eye_brow_right", 46)]
    [InlineData("left_eye_left", 60)]
    [InlineData("left_eye", 96)]
    [InlineData("left_eye_right", 64)]
    [InlineData("right_eye_left", 68)]
    [InlineData("right_eye", 97)]
    [InlineData("right_eye_right", 72)]
    [InlineData("left_ear_bottom", 5)]
    [InlineData("nose_left", 55)]
    [InlineData("nose", 54)]
    [InlineData("nose_right", 59)]
    [InlineData("right_ear_bottom", 27)]
    [InlineData("mouth_left", 76)]
    [InlineData("mouth_right", 82)]
    [InlineData("chin", 16)]
    public void ToVendor21_NamedPoint_ComesFromWflwIndex(string name, int wflw)
    {
        var mapped = VendorKeypointMap.ToVendor21(Indexed);
        var i = KeypointNames.All.ToList().IndexOf(name);
        Assert.Equal(new Vector2(wflw, 1000 + wflw), mapped[i]);
    }

    [Fact]
    public void ToVendor21_Mouth_IsMiddleOfInnerLips()
    {
        // mean of 90 and 94 = (92, 1092).
        Assert.Equal(new Vector2(92, 1092), VendorKeypointMap.ToVendor21(Indexed)[KeypointNames.Mouth]);
    }

    [Fact]
    public void ToFivePoints_ArcFaceOrder_PupilsNoseMouthCorners()
    {
        Assert.Equal([new(96, 1096), new(97, 1097), new(54, 1054), new(76, 1076), new(82, 1082)],
            VendorKeypointMap.ToFivePoints(Indexed));
    }

    [Fact]
    public void ToVendor21_WrongCount_Throws() =>
        Assert.Throws<ArgumentException>(() => VendorKeypointMap.ToVendor21(new Vector2[68]));
}
