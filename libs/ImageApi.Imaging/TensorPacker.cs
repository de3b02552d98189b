namespace ImageApi.Imaging;

/// <summary>Writes RGB pixels into flat float tensors (one image of a batch at a time).</summary>
public static class TensorPacker
{
    /// <summary>Writes <paramref name="img"/> as one item of a batch into <paramref name="dst"/>
    /// (length 3·W·H) in the given layout.</summary>
    public static void Pack(RgbImage img, PixelLayout layout, Span<float> dst)
    {
        int plane = img.Width * img.Height;
        if (dst.Length < plane * 3) throw new ArgumentException("tensor buffer too small", nameof(dst));
        var px = img.Pixels;
        // Source channel index for each output channel.
        int c0 = layout.Order == ChannelOrder.Rgb ? 0 : 2, c2 = 2 - c0;
        float m0 = layout.Mean[0], m1 = layout.Mean[1], m2 = layout.Mean[2];
        float s0 = 1f / layout.Std[0], s1 = 1f / layout.Std[1], s2 = 1f / layout.Std[2];
        if (layout.Nhwc)
        {
            for (int i = 0, j = 0; i < plane; i++, j += 3)
            {
                dst[j] = (px[j + c0] - m0) * s0;
                dst[j + 1] = (px[j + 1] - m1) * s1;
                dst[j + 2] = (px[j + c2] - m2) * s2;
            }

            return;
        }

        for (int i = 0, j = 0; i < plane; i++, j += 3)
        {
            dst[i] = (px[j + c0] - m0) * s0;
            dst[plane + i] = (px[j + 1] - m1) * s1;
            dst[2 * plane + i] = (px[j + c2] - m2) * s2;
        }
    }

    /// <summary>Writes the luminance (ITU-R BT.601, as OpenCV's RGB2GRAY) scaled by <paramref name="scale"/>
    /// after subtracting <paramref name="offset"/>.</summary>
    public static void PackGray(RgbImage img, Span<float> dst, float offset = 0, float scale = 1)
    {
        var px = img.Pixels;
        int plane = img.Width * img.Height;
        for (int i = 0, j = 0; i < plane; i++, j += 3)
        {
            var gray = 0.299f * px[j] + 0.587f * px[j + 1] + 0.114f * px[j + 2];
            dst[i] = (gray - offset) * scale;
        }
    }
}
