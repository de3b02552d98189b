using System.Buffers;
using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ImageApi.Imaging;

/// <summary>
/// Axis-aligned resize of a whole RGB image with the sampling the detectors' thresholds were measured on: Skia's
/// bilinear filter with linear mipmaps (trilinear). Skia's own resize of an RGBA bitmap cost ≈ 15 ms for the 640-px
/// copy of a 1 MP photo — as much as the detector run — mostly generic per-pixel pipeline work on four channels; this
/// does the same arithmetic on three channels, separably, several times faster (docs/performance.md). The mipmaps
/// matter: without them, below 2× the body detector found a false extra person on a group photo (NanoDetTests).
/// </summary>
/// <remarks>
/// Skia's rules, reproduced (src/core/SkMipmap.cpp, SkMipmapAccessor.cpp): the mip level is
/// <c>max(log2(1/scale) − 0.5, 0)</c> for the smaller of the two scales (the −0.5 "sharpen" bias: shrinking by less
/// than √2 is plain bilinear); level k+1 is level k halved (integer division, at least 1) with a 2-tap box filter along
/// an even side and a 1-2-1 filter along an odd one, truncating; the two levels around the fractional level are
/// sampled bilinearly at pixel centres, edges clamped, and blended by the fraction.
/// </remarks>
public static class MipmapResize
{
    public static RgbImage Resize(RgbImage src, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(src);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        var scale = Math.Min(width / (float)src.Width, height / (float)src.Height);
        var level = scale < 1 ? MathF.Max(-MathF.Log2(scale) - 0.5f, 0) : 0;
        var upperIndex = (int)MathF.Floor(level);
        var lowerWeight = level - upperIndex;

        var upper = src;
        for (var k = 0; k < upperIndex && upper.Width * upper.Height > 1; k++) upper = Halve(upper);
        // Every byte is written by Sample: no need to zero it first.
        var dst = GC.AllocateUninitializedArray<byte>(width * height * 3);
        var scaleOut = src.Scale * (width / (float)src.Width);
        if (lowerWeight <= 0 || upper.Width * upper.Height <= 1)
        {
            Sample(upper, width, height, dst, null, 0);
            return new RgbImage(width, height, dst, scaleOut);
        }

        var lower = Halve(upper);
        var blend = PixelBuffers.Floats.Rent(width * height * 3);
        try
        {
            Sample(upper, width, height, null, blend, 0);
            Sample(lower, width, height, dst, blend, lowerWeight);
        }
        finally
        {
            PixelBuffers.Floats.Return(blend);
        }

        return new RgbImage(width, height, dst, scaleOut);
    }

    /// <summary>
    /// The pixels <paramref name="window"/> of <c>Resize(whole, width, height)</c>, computed from
    /// <paramref name="src"/>, a window of that whole source (<see cref="RgbImage.FullWidth"/> ×
    /// <see cref="RgbImage.FullHeight"/>) holding every source pixel the window reads (<see cref="SourceWindow"/>):
    /// the same bytes, without the whole image. Null where the shrink needs a mip level (scale below 1/√2): the
    /// levels' filters depend on the whole image; the caller resizes the whole image then.
    /// </summary>
    public static RgbImage? ResizeWindow(RgbImage src, int width, int height, Window window)
    {
        ArgumentNullException.ThrowIfNull(src);
        if (NeedsMipmaps(src.FullWidth, src.FullHeight, width, height)) return null;
        var dst = GC.AllocateUninitializedArray<byte>(window.Width * window.Height * 3);
        Sample(src, width, height, dst, null, 0, window);
        return RgbImage.Window(window.Width, window.Height, dst, src.Scale * (width / (float)src.FullWidth), window.X, window.Y, width, height);
    }

    /// <summary>Whether a <paramref name="srcWidth"/>×<paramref name="srcHeight"/> → <paramref name="width"/>×
    /// <paramref name="height"/> resize reads a mip level (as <see cref="Resize"/> decides).</summary>
    public static bool NeedsMipmaps(int srcWidth, int srcHeight, int width, int height)
    {
        var scale = Math.Min(width / (float)srcWidth, height / (float)srcHeight);
        return scale < 1 && -MathF.Log2(scale) - 0.5f > 0;
    }

    /// <summary>The source pixels (of the whole <paramref name="srcWidth"/>×<paramref name="srcHeight"/> source) that
    /// the output pixels <paramref name="window"/> of a plain bilinear resize read.</summary>
    public static Window SourceWindow(int srcWidth, int srcHeight, int width, int height, Window window)
    {
        static (int From, int To) Span(int from, int count, int srcSize, int size)
        {
            var s = srcSize / (float)size;
            var first = (int)MathF.Floor((from + 0.5f) * s - 0.5f);
            var last = (int)MathF.Floor((from + count - 1 + 0.5f) * s - 0.5f) + 1;
            return (Math.Clamp(first, 0, srcSize - 1), Math.Clamp(last, 0, srcSize - 1) + 1);
        }

        var (x0, x1) = Span(window.X, window.Width, srcWidth, width);
        var (y0, y1) = Span(window.Y, window.Height, srcHeight, height);
        return new Window(x0, y0, x1 - x0, y1 - y0);
    }

    /// <summary>The next mip level: each side halved (integer division, at least 1); 2 taps along an even side,
    /// 1-2-1 along an odd one (Skia's downsample_2_2 … downsample_3_3), the sum shifted right (truncated).</summary>
    internal static RgbImage Halve(RgbImage src)
    {
        int sw = src.Width, sh = src.Height;
        int w = Math.Max(1, sw / 2), h = Math.Max(1, sh / 2);
        // A side of 1 stays 1: Skia's 1×N levels use the 1-D procs (1_2 / 1_3), i.e. one column of weight 1.
        var tapsX = sw == 1 ? 1 : (sw & 1) == 1 ? 3 : 2;
        var tapsY = sh == 1 ? 1 : (sh & 1) == 1 ? 3 : 2;
        var shift = (tapsX == 3 ? 2 : tapsX == 2 ? 1 : 0) + (tapsY == 3 ? 2 : tapsY == 2 ? 1 : 0);
        var s = src.Pixels;
        var d = GC.AllocateUninitializedArray<byte>(w * h * 3);
        int stride = src.Stride;
        // Vertical taps summed per source column first (one row of ints), then the horizontal taps.
        var column = ArrayPool<int>.Shared.Rent(stride);
        try
        {
            for (var y = 0; y < h; y++)
            {
                var r0 = 2 * y * stride;
                var r1 = Math.Min(2 * y + 1, sh - 1) * stride;
                var r2 = Math.Min(2 * y + 2, sh - 1) * stride;
                switch (tapsY)
                {
                    case 1: for (var i = 0; i < stride; i++) column[i] = s[r0 + i]; break;
                    case 2: for (var i = 0; i < stride; i++) column[i] = s[r0 + i] + s[r1 + i]; break;
                    default: for (var i = 0; i < stride; i++) column[i] = s[r0 + i] + 2 * s[r1 + i] + s[r2 + i]; break;
                }

                var di = y * w * 3;
                for (var x = 0; x < w; x++, di += 3)
                {
                    int c0 = 2 * x * 3, c1 = Math.Min(2 * x + 1, sw - 1) * 3, c2 = Math.Min(2 * x + 2, sw - 1) * 3;
                    for (var c = 0; c < 3; c++)
                    {
                        var sum = tapsX switch
                        {
                            1 => column[c0 + c],
                            2 => column[c0 + c] + column[c1 + c],
                            _ => column[c0 + c] + 2 * column[c1 + c] + column[c2 + c],
                        };
                        d[di + c] = (byte)(sum >> shift);
                    }
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(column);
        }

        return new RgbImage(w, h, d);
    }

    /// <summary>
    /// Bilinear samples of <paramref name="level"/> at the centres of a <paramref name="width"/>×<paramref name="height"/>
    /// grid (the level covers the same photo area as the output), edges clamped. With <paramref name="dst"/> null the
    /// samples go to <paramref name="blend"/>; otherwise into <paramref name="dst"/> as bytes, blended with
    /// <paramref name="blend"/> by <paramref name="weight"/> when one is given.
    /// </summary>
    private static void Sample(RgbImage level, int width, int height, byte[]? dst, float[]? blend, float weight) =>
        Sample(level, width, height, dst, blend, weight, new Window(0, 0, width, height));

    /// <summary>The output pixels <paramref name="window"/> of a <paramref name="width"/>×<paramref name="height"/>
    /// grid; <paramref name="level"/> may be a window of its level (indices relative to its origin), holding every
    /// pixel read.</summary>
    private static void Sample(RgbImage level, int width, int height, byte[]? dst, float[]? blend, float weight, Window window)
    {
        int lw = level.FullWidth, lh = level.FullHeight, stride = level.Stride;
        var px = level.Pixels;
        var (outW, outH) = (window.Width, window.Height);
        var x0 = ArrayPool<int>.Shared.Rent(outW);
        var x1 = ArrayPool<int>.Shared.Rent(outW);
        var fx = PixelBuffers.Floats.Rent(outW);
        var rowA = PixelBuffers.Floats.Rent(outW * 3);
        var rowB = PixelBuffers.Floats.Rent(outW * 3);
        try
        {
            var sx = lw / (float)width;
            for (var x = 0; x < outW; x++)
            {
                var u = (window.X + x + 0.5f) * sx - 0.5f;
                var f = MathF.Floor(u);
                fx[x] = u - f;
                x0[x] = (Math.Clamp((int)f, 0, lw - 1) - level.OriginX) * 3;
                x1[x] = (Math.Clamp((int)f + 1, 0, lw - 1) - level.OriginX) * 3;
            }

            var sy = lh / (float)height;
            int cachedA = -1, cachedB = -1;
            for (var y = 0; y < outH; y++)
            {
                var v = (window.Y + y + 0.5f) * sy - 0.5f;
                var fv = MathF.Floor(v);
                var fy = v - fv;
                var ya = Math.Clamp((int)fv, 0, lh - 1) - level.OriginY;
                var yb = Math.Clamp((int)fv + 1, 0, lh - 1) - level.OriginY;
                // Consecutive output rows mostly share source rows: keep the last two horizontal passes.
                if (ya == cachedB)
                {
                    (rowA, rowB) = (rowB, rowA);
                    cachedA = cachedB;
                    cachedB = -1;
                }

                if (ya != cachedA) { Horizontal(px, ya * stride, x0, x1, fx, outW, rowA); cachedA = ya; }
                if (yb != cachedB) { Horizontal(px, yb * stride, x0, x1, fx, outW, rowB); cachedB = yb; }

                var o = y * outW * 3;
                var n = outW * 3;
                if (dst is null) Lerp(rowA, rowB, fy, blend!.AsSpan(o, n));
                else if (blend is null) LerpToBytes(rowA, rowB, fy, dst.AsSpan(o, n));
                else LerpBlendToBytes(rowA, rowB, fy, blend.AsSpan(o, n), weight, dst.AsSpan(o, n));
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(x0);
            ArrayPool<int>.Shared.Return(x1);
            PixelBuffers.Floats.Return(fx);
            PixelBuffers.Floats.Return(rowA);
            PixelBuffers.Floats.Return(rowB);
        }
    }

    // The vertical pass, a whole row at a time with SIMD: the same IEEE operations per element as the scalar tail
    // (a + (b − a)·f, then +0.5 truncated and clamped), so the bytes do not depend on the vector width.
    private static void Lerp(float[] a, float[] b, float f, Span<float> into)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var fv = new Vector<float>(f);
            for (; i + Vector<float>.Count <= into.Length; i += Vector<float>.Count)
            {
                var va = new Vector<float>(a.AsSpan(i));
                (va + (new Vector<float>(b.AsSpan(i)) - va) * fv).CopyTo(into[i..]);
            }
        }

        for (; i < into.Length; i++) into[i] = a[i] + (b[i] - a[i]) * f;
    }

    private static void LerpToBytes(float[] a, float[] b, float f, Span<byte> into)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var fv = new Vector<float>(f);
            var lanes = Vector<float>.Count;
            for (; i + 4 * lanes <= into.Length; i += 4 * lanes)
            {
                var q0 = Round(a.AsSpan(i), b.AsSpan(i), fv);
                var q1 = Round(a.AsSpan(i + lanes), b.AsSpan(i + lanes), fv);
                var q2 = Round(a.AsSpan(i + 2 * lanes), b.AsSpan(i + 2 * lanes), fv);
                var q3 = Round(a.AsSpan(i + 3 * lanes), b.AsSpan(i + 3 * lanes), fv);
                Vector.Narrow(Vector.Narrow(q0, q1), Vector.Narrow(q2, q3)).CopyTo(into[i..]);
            }
        }

        for (; i < into.Length; i++) into[i] = ToByte(a[i] + (b[i] - a[i]) * f);

        static Vector<uint> Round(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Vector<float> f)
        {
            var va = new Vector<float>(a);
            return Clamp(va + (new Vector<float>(b) - va) * f);
        }
    }

    private static void LerpBlendToBytes(float[] a, float[] b, float f, ReadOnlySpan<float> blend, float weight, Span<byte> into)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var fv = new Vector<float>(f);
            var wv = new Vector<float>(weight);
            var lanes = Vector<float>.Count;
            for (; i + 4 * lanes <= into.Length; i += 4 * lanes)
            {
                var q0 = Round(a.AsSpan(i), b.AsSpan(i), blend[i..], fv, wv);
                var q1 = Round(a.AsSpan(i + lanes), b.AsSpan(i + lanes), blend[(i + lanes)..], fv, wv);
                var q2 = Round(a.AsSpan(i + 2 * lanes), b.AsSpan(i + 2 * lanes), blend[(i + 2 * lanes)..], fv, wv);
                var q3 = Round(a.AsSpan(i + 3 * lanes), b.AsSpan(i + 3 * lanes), blend[(i + 3 * lanes)..], fv, wv);
                Vector.Narrow(Vector.Narrow(q0, q1), Vector.Narrow(q2, q3)).CopyTo(into[i..]);
            }
        }

        for (; i < into.Length; i++)
        {
            var value = a[i] + (b[i] - a[i]) * f;
            into[i] = ToByte(blend[i] + (value - blend[i]) * weight);
        }

        static Vector<uint> Round(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> blend, Vector<float> f, Vector<float> weight)
        {
            var va = new Vector<float>(a);
            var value = va + (new Vector<float>(b) - va) * f;
            var vb = new Vector<float>(blend);
            return Clamp(vb + (value - vb) * weight);
        }
    }

    /// <summary><see cref="ToByte"/> per lane: + 0.5, truncated toward zero, clamped to 0..255.</summary>
    private static Vector<uint> Clamp(Vector<float> value) =>
        Vector.AsVectorUInt32(Vector.Min(Vector.Max(Vector.ConvertToInt32(value + new Vector<float>(0.5f)), Vector<int>.Zero), new Vector<int>(255)));

    private static byte ToByte(float value) => (byte)Math.Clamp((int)(value + 0.5f), 0, 255);

    private static unsafe void Horizontal(byte[] px, int rowStart, int[] x0, int[] x1, float[] fx, int width, float[] row)
    {
        var x = 0;
        if (Sse41.IsSupported)
        {
            // A pixel's three channels at once, read as four bytes and written as four floats (the fourth is the next
            // pixel's first, written again after): the scalar loop's operations lane by lane — an int difference,
            // then float(a) + float(b − a)·f — so the same floats. The last pixel, and any whose fourth byte would be
            // past the source, take the scalar loop.
            fixed (byte* source = px)
            fixed (float* target = row)
            {
                for (; x < width - 1; x++)
                {
                    int a = rowStart + x0[x], b = rowStart + x1[x];
                    if (b + 4 > px.Length) break;
                    var va = Sse41.ConvertToVector128Int32(source + a);
                    var vb = Sse41.ConvertToVector128Int32(source + b);
                    var value = Sse2.ConvertToVector128Single(va) + Sse2.ConvertToVector128Single(vb - va) * Vector128.Create(fx[x]);
                    value.Store(target + 3 * x);
                }
            }
        }

        for (var o = 3 * x; x < width; x++, o += 3)
        {
            int a = rowStart + x0[x], b = rowStart + x1[x];
            var f = fx[x];
            row[o] = px[a] + (px[b] - px[a]) * f;
            row[o + 1] = px[a + 1] + (px[b + 1] - px[a + 1]) * f;
            row[o + 2] = px[a + 2] + (px[b + 2] - px[a + 2]) * f;
        }
    }
}

/// <summary>A rectangle of whole pixels: <c>[X, X + Width) × [Y, Y + Height)</c>.</summary>
public readonly record struct Window(int X, int Y, int Width, int Height)
{
    public int Right => X + Width;

    public int Bottom => Y + Height;

    /// <summary>This window grown by <paramref name="margin"/> on every side and clipped to a
    /// <paramref name="width"/>×<paramref name="height"/> image.</summary>
    public Window Grow(int margin, int width, int height)
    {
        int x0 = Math.Max(0, X - margin), y0 = Math.Max(0, Y - margin);
        int x1 = Math.Min(width, Right + margin), y1 = Math.Min(height, Bottom + margin);
        return new Window(x0, y0, Math.Max(0, x1 - x0), Math.Max(0, y1 - y0));
    }
}
