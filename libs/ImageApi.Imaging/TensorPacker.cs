using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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

        PackPlanes(px.AsSpan(0, 3 * plane), dst[..plane], dst.Slice(plane, plane), dst.Slice(2 * plane, plane),
            layout.Order != ChannelOrder.Rgb, (m0, m1, m2), (s0, s1, s2));
    }

    /// <summary>
    /// Splits interleaved RGB pixels into three float planes, <c>(value − mean) · scale</c> per plane: the first plane
    /// gets red (blue with <paramref name="blueFirst"/>), the second green, the third the other one. Sixteen pixels
    /// at a time where SSSE3 is there (three byte shuffles a plane), each value with the scalar loop's operations, so
    /// the same floats.
    /// </summary>
    public static unsafe void PackPlanes(ReadOnlySpan<byte> rgb, Span<float> first, Span<float> second, Span<float> third,
        bool blueFirst, (float First, float Second, float Third) mean, (float First, float Second, float Third) scale)
    {
        var count = rgb.Length / 3;
        if (first.Length < count || second.Length < count || third.Length < count)
        {
            throw new ArgumentException("plane too small", nameof(first));
        }

        int c0 = blueFirst ? 2 : 0, c2 = 2 - c0;
        var i = 0;
        fixed (byte* px = rgb)
        fixed (float* p0 = first)
        fixed (float* p1 = second)
        fixed (float* p2 = third)
        {
            if (Ssse3.IsSupported && Sse41.IsSupported)
            {
                for (; i + 16 <= count; i += 16)
                {
                    var a = Vector128.Load(px + 3 * i);
                    var b = Vector128.Load(px + 3 * i + 16);
                    var c = Vector128.Load(px + 3 * i + 32);
                    StorePlane(Channel(a, b, c, c0), p0 + i, mean.First, scale.First);
                    StorePlane(Channel(a, b, c, 1), p1 + i, mean.Second, scale.Second);
                    StorePlane(Channel(a, b, c, c2), p2 + i, mean.Third, scale.Third);
                }
            }

            for (var j = 3 * i; i < count; i++, j += 3)
            {
                p0[i] = (px[j + c0] - mean.First) * scale.First;
                p1[i] = (px[j + 1] - mean.Second) * scale.Second;
                p2[i] = (px[j + c2] - mean.Third) * scale.Third;
            }
        }
    }

    // Per channel, three shuffles that pick its bytes out of 16 interleaved pixels (48 bytes in three vectors); a
    // position that belongs to another vector reads 0x80, which PSHUFB turns into 0.
    private static readonly Vector128<byte>[] ChannelMasks = CreateChannelMasks();

    private static Vector128<byte>[] CreateChannelMasks()
    {
        var masks = new Vector128<byte>[9];
        Span<byte> mask = stackalloc byte[16];
        for (var channel = 0; channel < 3; channel++)
        {
            for (var part = 0; part < 3; part++)
            {
                for (var i = 0; i < 16; i++)
                {
                    var at = 3 * i + channel - 16 * part;
                    mask[i] = at is >= 0 and < 16 ? (byte)at : (byte)0x80;
                }

                masks[3 * channel + part] = Vector128.Create<byte>(mask);
            }
        }

        return masks;
    }

    private static Vector128<byte> Channel(Vector128<byte> a, Vector128<byte> b, Vector128<byte> c, int channel) =>
        Ssse3.Shuffle(a, ChannelMasks[3 * channel]) | Ssse3.Shuffle(b, ChannelMasks[3 * channel + 1])
        | Ssse3.Shuffle(c, ChannelMasks[3 * channel + 2]);

    private static unsafe void StorePlane(Vector128<byte> values, float* into, float mean, float scale)
    {
        var m = Vector128.Create(mean);
        var s = Vector128.Create(scale);
        Store(Sse41.ConvertToVector128Int32(values), into);
        Store(Sse41.ConvertToVector128Int32(Sse2.ShiftRightLogical128BitLane(values, 4)), into + 4);
        Store(Sse41.ConvertToVector128Int32(Sse2.ShiftRightLogical128BitLane(values, 8)), into + 8);
        Store(Sse41.ConvertToVector128Int32(Sse2.ShiftRightLogical128BitLane(values, 12)), into + 12);

        void Store(Vector128<int> four, float* at) => ((Sse2.ConvertToVector128Single(four) - m) * s).Store(at);
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
