namespace ImageApi.Imaging;

/// <summary>
/// Applies an EXIF orientation (1..8) to interleaved RGB pixels. Skia's decoder ignores the tag
/// (platform.md §2), so every decode passes through here before any model sees the pixels.
/// </summary>
public static class ImageOrientation
{
    /// <summary>True when the orientation swaps width and height (5..8).</summary>
    public static bool SwapsAxes(int orientation) => orientation is >= 5 and <= 8;

    public static RgbImage Apply(RgbImage src, int orientation, float scale)
    {
        if (orientation is < 2 or > 8)
        {
            return scale == src.Scale ? src : new RgbImage(src.Width, src.Height, src.Pixels, scale);
        }

        int w = src.Width, h = src.Height;
        var swap = SwapsAxes(orientation);
        int dw = swap ? h : w, dh = swap ? w : h;
        var dst = GC.AllocateUninitializedArray<byte>(dw * dh * 3); // every byte written below
        var s = src.Pixels;
        for (var y = 0; y < dh; y++)
        {
            for (var x = 0; x < dw; x++)
            {
                // Source pixel (sx, sy) in stored coordinates for display pixel (x, y).
                var (sx, sy) = orientation switch
                {
                    2 => (w - 1 - x, y),          // mirror horizontal
                    3 => (w - 1 - x, h - 1 - y),  // rotate 180
                    4 => (x, h - 1 - y),          // mirror vertical
                    5 => (y, x),                  // transpose
                    6 => (y, h - 1 - x),          // rotate 90 CW
                    7 => (w - 1 - y, h - 1 - x),  // transverse
                    _ => (w - 1 - y, x),          // 8: rotate 270 CW
                };
                var si = (sy * w + sx) * 3;
                var di = (y * dw + x) * 3;
                dst[di] = s[si];
                dst[di + 1] = s[si + 1];
                dst[di + 2] = s[si + 2];
            }
        }

        return new RgbImage(dw, dh, dst, scale);
    }
}
