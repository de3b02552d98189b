namespace ImageApi.Faces.Tests;

public sealed class LandmarkCropTests
{
    [Fact]
    public void FromBox_TallBox_SquareOfLongSideOnCentre()
    {
        // 100 × 200 box centred at (60, 120): side 200, corner (60 − 100, 120 − 100).
        var crop = LandmarkCrop.FromBox(new Box(10, 20, 110, 220));
        Assert.Equal(new LandmarkCrop(-40, 20, 200), crop);
    }

    [Fact]
    public void FromPoints_Extent100_Side120OnBoundingBoxCentre()
    {
        // Points span x 0..100, y 0..50 → side 1.2 × 100 = 120 centred on (50, 25).
        Vector2[] points = [new(0, 0), new(100, 50), new(30, 10)];
        var crop = LandmarkCrop.FromPoints(points);
        Assert.Equal(-10, crop.X0, 3);
        Assert.Equal(-35, crop.Y0, 3);
        Assert.Equal(120, crop.Side, 3);
    }

    [Fact]
    public void ToImage_NormalisedOutput_MapsToPhotoPixels()
    {
        var crop = new LandmarkCrop(-40, 20, 200);
        Assert.Equal(new Vector2(60, 120), crop.ToImage(0.5f, 0.5f));
        Assert.Equal(new Vector2(-40, 20), crop.ToImage(0, 0));
        Assert.Equal(new Vector2(160, 220), crop.ToImage(1, 1));
    }

    [Fact]
    public void PaddedBox_Pad03_Is16TimesTheBoxClippedToPhoto()
    {
        // 100 × 50 box at (200, 100): pad 30 px and 15 px per side.
        Assert.Equal(new Box(170, 85, 330, 165), HeadPoseEstimator.PaddedBox(new Box(200, 100, 300, 150), 0.3f, 1000, 1000));
        // 290 × 145 box at (10, 5): pad 87 and 43.5 → the left/top overflow is clipped at 0.
        Assert.Equal(new Box(0, 0, 387, 193.5f), HeadPoseEstimator.PaddedBox(new Box(10, 5, 300, 150), 0.3f, 1000, 1000));
    }

    [Fact]
    public void LandmarkDisagreement_ShiftedPoints_IsShiftOverBoxSide()
    {
        Vector2[] a = [new(0, 0), new(10, 0), new(5, 5), new(2, 8), new(8, 8)];
        var b = a.Select(p => p + new Vector2(3, 4)).ToArray();
        Assert.Equal(0.05f, FaceFitting.LandmarkDisagreement(a, b, new Box(0, 0, 100, 80)), 5);
    }
}
