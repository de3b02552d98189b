namespace ImageApi.Bodies.Tests;

public sealed class LetterboxTests
{
    [Fact]
    public void TopLeft_Landscape640x480_RatioIsWidthLimited()
    {
        // r = min(416/480, 416/640) = 0.65 → content int(640·0.65) × int(480·0.65) = 416 × 312, no offset.
        var lb = Letterbox.TopLeft(640, 480, 416);
        Assert.Equal(0.65f, lb.Ratio, 5);
        Assert.Equal((416, 312, 0, 0), (lb.ContentWidth, lb.ContentHeight, lb.PadX, lb.PadY));
    }

    [Fact]
    public void TopLeft_WidePanorama_ShortSideTruncated()
    {
        // r = min(416/200, 416/1000) = 0.416 → int(200·0.416) = int(83.2) = 83.
        var lb = Letterbox.TopLeft(1000, 200, 416);
        Assert.Equal((416, 83), (lb.ContentWidth, lb.ContentHeight));
    }

    [Fact]
    public void TopLeft_SmallImage_IsUpscaled()
    {
        // YOLOX's ValTransform resizes small images up too: r = min(416/150, 416/300) = 1.3867.
        var lb = Letterbox.TopLeft(300, 150, 416);
        Assert.Equal((416, 208), (lb.ContentWidth, lb.ContentHeight));
    }

    [Fact]
    public void ToImageByRatio_DividesByRatio()
    {
        var lb = Letterbox.TopLeft(640, 480, 416);
        var b = lb.ToImageByRatio(new Box(65, 65, 130, 130));
        Assert.Equal(100, b.X1, 3);
        Assert.Equal(100, b.Y1, 3);
        Assert.Equal(200, b.X2, 3);
        Assert.Equal(200, b.Y2, 3);
    }

    [Fact]
    public void Centered_Landscape_PadsTopAndBottomEqually()
    {
        // h/w = 0.75 → new h = int(416·0.75) = 312, top = int((416 − 312)·0.5) = 52.
        var lb = Letterbox.Centered(640, 480, 416);
        Assert.Equal((416, 312, 0, 52), (lb.ContentWidth, lb.ContentHeight, lb.PadX, lb.PadY));
    }

    [Fact]
    public void Centered_Portrait_PadsLeftAndRight()
    {
        // h/w = 2 → new w = int(416/2) = 208, left = int((416 − 208)·0.5) = 104.
        var lb = Letterbox.Centered(300, 600, 416);
        Assert.Equal((208, 416, 104, 0), (lb.ContentWidth, lb.ContentHeight, lb.PadX, lb.PadY));
    }

    [Fact]
    public void Centered_OddPadding_RoundsTheLeadingPadDown()
    {
        // h/w = 0.5 → new h = 208; pad 208 → top 104. h/w = 0.7 → new h = int(291.2) = 291; top = int(62.5) = 62.
        var lb = Letterbox.Centered(1000, 700, 416);
        Assert.Equal((291, 62), (lb.ContentHeight, lb.PadY));
    }

    [Fact]
    public void Centered_Square_FillsTheInput()
    {
        var lb = Letterbox.Centered(300, 300, 416);
        Assert.Equal((416, 416, 0, 0), (lb.ContentWidth, lb.ContentHeight, lb.PadX, lb.PadY));
    }

    [Fact]
    public void ToImageByAxes_RemovesPadAndRescales()
    {
        var lb = Letterbox.Centered(640, 480, 416);
        // The content rectangle maps to the whole image; its centre (208, 208) to (320, 240).
        var whole = lb.ToImageByAxes(new Box(0, 52, 416, 364));
        Assert.Equal(new Box(0, 0, 640, 480), whole);
        var centre = lb.ToImageByAxes(new Box(208, 208, 208, 208));
        Assert.Equal(320, centre.X1, 3);
        Assert.Equal(240, centre.Y1, 3);
    }

    [Fact]
    public void PackBgr_TopLeftWithPad114_WritesBgrPlanesAndPad()
    {
        // 4×2 image into a 4×4 input: r = min(4/2, 4/4) = 1, so no resize; rows 2–3 are pad.
        var px = new byte[4 * 2 * 3];
        for (var i = 0; i < 8; i++) { px[3 * i] = (byte)(10 + i); px[3 * i + 1] = (byte)(100 + i); px[3 * i + 2] = (byte)(200 + i); }
        var img = new RgbImage(4, 2, px);
        var lb = Letterbox.TopLeft(4, 2, 4);
        var t = new float[3 * 16];
        lb.PackBgr(img, 4, t, 114, [0, 0, 0], [1, 1, 1]);
        Assert.Equal(200, t[0]);        // B of pixel (0,0)
        Assert.Equal(100, t[16]);       // G
        Assert.Equal(10, t[32]);        // R
        Assert.Equal(17, t[32 + 7]);    // R of pixel (3,1)
        Assert.Equal(114, t[8]);        // pad, B plane, row 2
        Assert.Equal(114, t[32 + 15]);  // pad, R plane, last pixel
    }

    [Fact]
    public void PackBgr_Normalised_PadIsNormalisedZero()
    {
        var img = RgbImage.Blank(4, 2, 123, 116, 103);
        var lb = Letterbox.Centered(4, 2, 4); // h/w 0.5 → new h 2, top 1
        var t = new float[3 * 16];
        lb.PackBgr(img, 4, t, 0, [103.53f, 116.28f, 123.675f], [57.375f, 57.12f, 58.395f]);
        Assert.Equal((0 - 103.53f) / 57.375f, t[0], 4);            // row 0 is pad
        Assert.Equal((103 - 103.53f) / 57.375f, t[4], 4);          // row 1 is content, B
        Assert.Equal((123 - 123.675f) / 58.395f, t[32 + 4], 4);    // R
        Assert.Equal((0 - 123.675f) / 58.395f, t[32 + 12], 4);     // row 3 is pad
    }
}
