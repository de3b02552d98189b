namespace ImageApi.Imaging;

/// <summary>
/// An 8-bit RGB image, interleaved, row-major, no padding (stride = 3 × width), already in display
/// orientation (EXIF applied). <see cref="Scale"/> maps its pixels to the original photo: original = this / Scale.
/// </summary>
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
    }

    public int Width { get; }
    public int Height { get; }
    public byte[] Pixels { get; }

    /// <summary>This image's size divided by the original (oriented) photo's size; 1 for a full-size decode.</summary>
    public float Scale { get; }

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
