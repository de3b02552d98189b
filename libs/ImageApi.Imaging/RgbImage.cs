namespace ImageApi.Imaging;

/// <summary>
/// An 8-bit RGB image, interleaved, row-major, no padding (stride = 3 × width), already in display
/// orientation (EXIF applied). <see cref="Scale"/> maps its pixels to the original photo: original = this / Scale.
/// </summary>
/// <remarks>
/// It may be a window of a larger decode (<see cref="ImageSource.Window"/>): then its pixel (0, 0) is pixel
/// (<see cref="OriginX"/>, <see cref="OriginY"/>) of a <see cref="FullWidth"/>×<see cref="FullHeight"/> image, and
/// coordinates given to <see cref="ImageSampler"/> are in that image's pixels, as for the whole decode.
/// </remarks>
public sealed class RgbImage
{
    public RgbImage(int width, int height, byte[] pixels, float scale = 1f)
    {
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width));
        if (pixels.Length < width * height * 3) throw new ArgumentException("pixel buffer too small", nameof(pixels));
        Width = width;
        Height = height;
        Pixels = pixels;
        Scale = scale;
        FullWidth = width;
        FullHeight = height;
    }

    /// <summary>A window of a <paramref name="fullWidth"/>×<paramref name="fullHeight"/> image, at
    /// (<paramref name="originX"/>, <paramref name="originY"/>) in it.</summary>
    public static RgbImage Window(int width, int height, byte[] pixels, float scale, int originX, int originY, int fullWidth, int fullHeight)
    {
        if (originX < 0 || originY < 0 || originX + width > fullWidth || originY + height > fullHeight)
        {
            throw new ArgumentOutOfRangeException(nameof(originX), "the window must lie inside the full image");
        }

        return new RgbImage(width, height, pixels, scale) { OriginX = originX, OriginY = originY, FullWidth = fullWidth, FullHeight = fullHeight };
    }

    public int Width { get; }
    public int Height { get; }
    public byte[] Pixels { get; }

    /// <summary>This image's size divided by the original (oriented) photo's size; 1 for a full-size decode.</summary>
    public float Scale { get; }

    /// <summary>Where this image starts in the image it is a window of (0 for a whole image).</summary>
    public int OriginX { get; private init; }

    public int OriginY { get; private init; }

    /// <summary>The size of the image this is a window of (its own size for a whole image).</summary>
    public int FullWidth { get; private init; }

    public int FullHeight { get; private init; }

    public int Stride => Width * 3;
    public int LongSide => Math.Max(Width, Height);

    public static RgbImage Blank(int width, int height, byte r = 0, byte g = 0, byte b = 0)
    {
        var px = new byte[width * height * 3];
        if (r != 0 || g != 0 || b != 0)
        {
            for (var i = 0; i < px.Length; i += 3) { px[i] = r; px[i + 1] = g; px[i + 2] = b; }
        }
        return new RgbImage(width, height, px);
    }
}
