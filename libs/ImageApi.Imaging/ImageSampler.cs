using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ImageApi.Imaging;

/// <summary>
/// Resampling of RGB images: affine warps (face alignment), axis-aligned crop-and-resize (model crops) with a
/// chosen border rule. Bilinear, with supersampling when shrinking by more than 2× so that a 600-px face reduced to a
/// 112-px crop is not aliased.
/// </summary>
public static class ImageSampler
{
    /// <summary>
    /// Warps <paramref name="src"/> into a <paramref name="width"/>×<paramref name="height"/> image where
    /// <paramref name="srcToDst"/> maps source pixel coordinates to destination coordinates; into
    /// <paramref name="into"/> (at least width × height × 3 bytes, e.g. a pooled buffer the caller returns) when given.
    /// </summary>
    public static RgbImage Warp(RgbImage src, AffineTransform srcToDst, int width, int height,
        BorderMode border = BorderMode.Replicate, (byte R, byte G, byte B) fill = default, byte[]? into = null)
    {
        var inv = srcToDst.Invert();
        if (into is not null && into.Length < width * height * 3) throw new ArgumentException("destination too small", nameof(into));
        // Every byte is written below: no need to zero it first.
        var dst = into ?? GC.AllocateUninitializedArray<byte>(width * height * 3);
        // Shrink factor: source pixels per destination pixel.
        var shrink = 1f / srcToDst.ScaleFactor;
        var taps = shrink > 2f ? Math.Min(4, (int)MathF.Ceiling(shrink / 1.5f)) : 1;
        if (taps == 1)
        {
            WarpBilinear(src, inv, dst, width, height, border, fill);
        }
        else
        {
            WarpSupersampled(src, inv, taps, dst, width, height, border, fill);
        }

        return new RgbImage(width, height, dst);
    }

    /// <summary>
    /// <paramref name="taps"/>² bilinear samples per pixel, averaged. A tap whose four neighbours lie inside the source
    /// reads them directly — nearly every tap of a crop; the border rule (<see cref="Bilinear"/>) only for the rest.
    /// The same weights are added in the same order either way, so the bytes do not depend on which path a tap took
    /// (liveness and the detector's large-face pass shrink 2–6×: 4–16 taps a pixel).
    /// </summary>
    private static unsafe void WarpSupersampled(RgbImage src, AffineTransform inv, int taps, byte[] dst, int width, int height,
        BorderMode border, (byte R, byte G, byte B) fill)
    {
        if (inv.B == 0 && inv.D == 0)
        {
            WarpAxisAligned(src, inv, taps, dst, width, height, border, fill);
            return;
        }

        var px = src.Pixels;
        int sw = src.Width, sh = src.Height, stride = src.Stride, ox = src.OriginX, oy = src.OriginY;
        Span<float> offset = stackalloc float[taps];
        // Pixel centres: tap t of a pixel samples at (x + (t + 0.5)/taps − 0.5) in destination space.
        for (var t = 0; t < taps; t++) offset[t] = (t + 0.5f) / taps;
        Span<float> acc = stackalloc float[3];
        var n = taps * taps;
        fixed (byte* source = px)
        fixed (byte* target = dst)
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                // The three channels' sums in lanes 0–2 (RgbTap).
                var v = Vector128<float>.Zero;
                for (var ty = 0; ty < taps; ty++)
                {
                    var dy = y + offset[ty] - 0.5f;
                    for (var tx = 0; tx < taps; tx++)
                    {
                        var dx = x + offset[tx] - 0.5f;
                        var (sx, sy) = inv.Apply(dx, dy);
                        if (InsideTap.Of(sx, sy, ox, oy, sw, sh, stride, out var t))
                        {
                            v = RgbTap.Fits(source + t.J, source + px.Length)
                                ? RgbTap.Add(v, source + t.I, source + t.J, t.W00, t.W10, t.W01, t.W11)
                                : Vector128.Create(t.AddTo(v[0], px, 0), t.AddTo(v[1], px, 1), t.AddTo(v[2], px, 2), 0);
                            continue;
                        }

                        (acc[0], acc[1], acc[2]) = (v[0], v[1], v[2]);
                        Bilinear(src, sx, sy, border, fill, acc);
                        v = Vector128.Create(acc[0], acc[1], acc[2], 0);
                    }
                }

                RgbTap.Store(v / n, target + (y * width + x) * 3);
            }
        }
    }

    /// <summary>
    /// <see cref="WarpBilinear"/> (<paramref name="taps"/> = 1) and <see cref="WarpSupersampled"/> for a
    /// scale-and-translate map — every crop-and-resize: the mask detector's 640×480 crop, the liveness crops. A tap's
    /// source x depends on its column alone and its y on its row alone (<c>B = D = 0</c>), so both are computed once
    /// per column and row instead of per tap (the per-tap <c>A·x + B·y + C</c> adds a zero, which changes nothing), and
    /// inside taps read their neighbours through pointers. The weights and the additions are <see cref="InsideTap"/>'s,
    /// in the same order: the same bytes as the general paths.
    /// </summary>
    private static unsafe void WarpAxisAligned(RgbImage src, AffineTransform inv, int taps, byte[] dst, int width,
        int height, BorderMode border, (byte R, byte G, byte B) fill)
    {
        int sw = src.Width, sh = src.Height, stride = src.Stride, ox = src.OriginX, oy = src.OriginY;
        Span<float> offset = stackalloc float[taps];
        // Pixel centres: tap t of a pixel samples at (x + (t + 0.5)/taps − 0.5) in destination space.
        for (var t = 0; t < taps; t++) offset[t] = (t + 0.5f) / taps;
        var n = taps * taps;
        var count = width * taps;
        // Per column tap: the left neighbour's column in the source (−1 where the tap's neighbours are not both
        // inside), 1 − fx, fx and the source x (for the border rule).
        var columns = ArrayPool<int>.Shared.Rent(count);
        var columnWeights = PixelBuffers.Floats.Rent(3 * count);
        Span<int> rows = stackalloc int[taps];
        Span<float> rowWeights = stackalloc float[3 * taps];
        Span<float> acc = stackalloc float[3];
        try
        {
            for (var x = 0; x < width; x++)
            {
                for (var tx = 0; tx < taps; tx++)
                {
                    var k = x * taps + tx;
                    var (sx, _) = inv.Apply(x + offset[tx] - 0.5f, 0);
                    columns[k] = AxisTap(sx, ox, sw, columnWeights.AsSpan(3 * k, 3));
                }
            }

            fixed (byte* source = src.Pixels)
            fixed (byte* target = dst)
            fixed (float* cw = columnWeights)
            fixed (int* column = columns)
            {
                var end = source + src.Pixels.Length;
                for (var y = 0; y < height; y++)
                {
                    for (var ty = 0; ty < taps; ty++)
                    {
                        var (_, sy) = inv.Apply(0, y + offset[ty] - 0.5f);
                        rows[ty] = AxisTap(sy, oy, sh, rowWeights.Slice(3 * ty, 3));
                    }

                    var d = target + (long)y * width * 3;
                    if (taps == 1 && rows[0] >= 0)
                    {
                        OneTapRow(src, source + (long)rows[0] * stride, end, column, cw, rowWeights[0], rowWeights[1], rowWeights[2], d, width, border, fill);
                        continue;
                    }

                    for (var x = 0; x < width; x++, d += 3)
                    {
                        var v = Vector128<float>.Zero;
                        for (var ty = 0; ty < taps; ty++)
                        {
                            var row = rows[ty];
                            float ay = rowWeights[3 * ty], by = rowWeights[3 * ty + 1];
                            for (var tx = 0; tx < taps; tx++)
                            {
                                var k = x * taps + tx;
                                var col = column[k];
                                if (row >= 0 && col >= 0)
                                {
                                    float a = cw[3 * k], b = cw[3 * k + 1];
                                    float w00 = a * ay, w10 = b * ay, w01 = a * by, w11 = b * by;
                                    var p = source + (long)row * stride + col * 3;
                                    var q = p + stride;
                                    v = RgbTap.Fits(q, end)
                                        ? RgbTap.Add(v, p, q, w00, w10, w01, w11)
                                        : Vector128.Create(AddTap(v[0], p, q, w00, w10, w01, w11), AddTap(v[1], p + 1, q + 1, w00, w10, w01, w11),
                                            AddTap(v[2], p + 2, q + 2, w00, w10, w01, w11), 0);
                                    continue;
                                }

                                (acc[0], acc[1], acc[2]) = (v[0], v[1], v[2]);
                                Bilinear(src, cw[3 * k + 2], rowWeights[3 * ty + 2], border, fill, acc);
                                v = Vector128.Create(acc[0], acc[1], acc[2], 0);
                            }
                        }

                        RgbTap.Store(v / n, d);
                    }
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(columns);
            PixelBuffers.Floats.Return(columnWeights);
        }
    }

    /// <summary>
    /// One row of a one-tap axis-aligned warp whose two source rows lie inside the image (<paramref name="upper"/> is
    /// the first): per pixel the loop above without its tap loops — the same products, added in the same order
    /// (0 + x is x), so the same bytes. Mask crops are 640×480 of these.
    /// </summary>
    private static unsafe void OneTapRow(RgbImage src, byte* upper, byte* end, int* column, float* cw, float ay, float by,
        float sy, byte* d, int width, BorderMode border, (byte R, byte G, byte B) fill)
    {
        var stride = src.Stride;
        Span<float> acc = stackalloc float[3];
        for (var x = 0; x < width; x++, d += 3, cw += 3)
        {
            var col = column[x];
            if (col >= 0)
            {
                float a = cw[0], b = cw[1];
                float w00 = a * ay, w10 = b * ay, w01 = a * by, w11 = b * by;
                var p = upper + col * 3;
                var q = p + stride;
                if (RgbTap.Fits(q, end))
                {
                    RgbTap.Store(RgbTap.Add(Vector128<float>.Zero, p, q, w00, w10, w01, w11), d);
                    continue;
                }

                d[0] = ClampByte(w00 * p[0] + w10 * p[3] + w01 * q[0] + w11 * q[3]);
                d[1] = ClampByte(w00 * p[1] + w10 * p[4] + w01 * q[1] + w11 * q[4]);
                d[2] = ClampByte(w00 * p[2] + w10 * p[5] + w01 * q[2] + w11 * q[5]);
                continue;
            }

            acc.Clear();
            Bilinear(src, cw[2], sy, border, fill, acc);
            d[0] = ClampByte(acc[0]);
            d[1] = ClampByte(acc[1]);
            d[2] = ClampByte(acc[2]);
        }
    }

    /// <summary><paramref name="acc"/> plus one channel's four weighted neighbours (<paramref name="p"/> the upper pair,
    /// <paramref name="q"/> the lower), one at a time in <see cref="InsideTap.AddTo"/>'s order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe float AddTap(float acc, byte* p, byte* q, float w00, float w10, float w01, float w11)
    {
        acc += w00 * p[0];
        acc += w10 * p[3];
        acc += w01 * q[0];
        acc += w11 * q[3];
        return acc;
    }

    /// <summary>One axis of a crop-and-resize tap at <paramref name="position"/> (source pixels): 1 − f, f
    /// (<see cref="InsideTap.At"/>'s factors) and the position itself (for the border rule) into
    /// <paramref name="weights"/>; returns the first neighbour's index relative to the image's <paramref name="origin"/>,
    /// or −1 where the two neighbours are not both inside its <paramref name="size"/>.</summary>
    private static int AxisTap(float position, int origin, int size, Span<float> weights)
    {
        var i0 = (int)MathF.Floor(position);
        var f = position - i0;
        weights[0] = 1 - f;
        weights[1] = f;
        weights[2] = position;
        return (uint)(i0 - origin) < (uint)(size - 1) ? i0 - origin : -1;
    }

    /// <summary>
    /// One bilinear sample per pixel (no supersampling): the four neighbours are read directly where they all lie
    /// inside the source, which is nearly every pixel of a crop; the border rule only for the rest. The same weights,
    /// in the same order, as <see cref="Bilinear"/>: the output is identical, at a fraction of the cost (mask and
    /// liveness crops are up to 640×480).
    /// </summary>
    private static unsafe void WarpBilinear(RgbImage src, AffineTransform inv, byte[] dst, int width, int height,
        BorderMode border, (byte R, byte G, byte B) fill)
    {
        if (inv.B == 0 && inv.D == 0)
        {
            WarpAxisAligned(src, inv, 1, dst, width, height, border, fill);
            return;
        }

        var px = src.Pixels;
        // Indices into a window of a larger image (ImageSource.Window) are taken relative to its origin.
        int sw = src.Width, sh = src.Height, stride = src.Stride, ox = src.OriginX, oy = src.OriginY;
        Span<float> acc = stackalloc float[3];
        fixed (byte* source = px)
        fixed (byte* target = dst)
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                // As Warp with one tap: the sample point (x + 0.5 - 0.5, y + 0.5 - 0.5) in destination space.
                var (sx, sy) = inv.Apply(x + 0.5f - 0.5f, y + 0.5f - 0.5f);
                var di = (y * width + x) * 3;
                if (InsideTap.Of(sx, sy, ox, oy, sw, sh, stride, out var t))
                {
                    if (RgbTap.Fits(source + t.J, source + px.Length))
                    {
                        RgbTap.Store(RgbTap.Add(Vector128<float>.Zero, source + t.I, source + t.J, t.W00, t.W10, t.W01, t.W11), target + di);
                        continue;
                    }

                    for (var c = 0; c < 3; c++) dst[di + c] = ClampByte(t.AddTo(0f, px, c));

                    continue;
                }

                acc.Clear();
                Bilinear(src, sx, sy, border, fill, acc);
                dst[di] = ClampByte(acc[0]);
                dst[di + 1] = ClampByte(acc[1]);
                dst[di + 2] = ClampByte(acc[2]);
            }
        }
    }

    /// <summary>Crops the rectangle <c>[x1,y1)–[x2,y2)</c> (source pixels, may reach outside) and resizes it.</summary>
    public static RgbImage CropResize(RgbImage src, float x1, float y1, float x2, float y2, int width, int height,
        BorderMode border = BorderMode.Replicate, (byte R, byte G, byte B) fill = default, byte[]? into = null)
    {
        var sx = width / Math.Max(1e-3f, x2 - x1);
        var sy = height / Math.Max(1e-3f, y2 - y1);
        // Pixel-centre convention: source x maps to (x - x1 + 0.5)·sx - 0.5.
        var t = AffineTransform.ScaleTranslate(sx, sy, (-x1 + 0.5f) * sx - 0.5f, (-y1 + 0.5f) * sy - 0.5f);
        return Warp(src, t, width, height, border, fill, into);
    }

    /// <summary>Resizes the whole image.</summary>
    public static RgbImage Resize(RgbImage src, int width, int height) =>
        CropResize(src, 0, 0, src.Width, src.Height, width, height);

    /// <summary>Mirrors the image left-right (for flip test-time augmentation and tests).</summary>
    public static RgbImage MirrorHorizontal(RgbImage src)
    {
        var dst = GC.AllocateUninitializedArray<byte>(src.Pixels.Length);
        int w = src.Width;
        for (var y = 0; y < src.Height; y++)
        {
            for (var x = 0; x < w; x++)
            {
                var si = (y * w + x) * 3;
                var di = (y * w + (w - 1 - x)) * 3;
                dst[di] = src.Pixels[si];
                dst[di + 1] = src.Pixels[si + 1];
                dst[di + 2] = src.Pixels[si + 2];
            }
        }

        return new RgbImage(w, src.Height, dst, src.Scale);
    }

    private static void Bilinear(RgbImage img, float x, float y, BorderMode border, (byte R, byte G, byte B) fill, Span<float> acc)
    {
        var x0 = (int)MathF.Floor(x);
        var y0 = (int)MathF.Floor(y);
        var fx = x - x0;
        var fy = y - y0;
        Accumulate(img, x0, y0, (1 - fx) * (1 - fy), border, fill, acc);
        Accumulate(img, x0 + 1, y0, fx * (1 - fy), border, fill, acc);
        Accumulate(img, x0, y0 + 1, (1 - fx) * fy, border, fill, acc);
        Accumulate(img, x0 + 1, y0 + 1, fx * fy, border, fill, acc);
    }

    private static void Accumulate(RgbImage img, int x, int y, float weight, BorderMode border, (byte R, byte G, byte B) fill, Span<float> acc)
    {
        if (weight == 0) return;
        // The border rule applies at the edges of the whole image, also when img is a window of it.
        if ((uint)x >= (uint)img.FullWidth || (uint)y >= (uint)img.FullHeight)
        {
            if (border == BorderMode.Constant)
            {
                acc[0] += weight * fill.R;
                acc[1] += weight * fill.G;
                acc[2] += weight * fill.B;
                return;
            }

            x = MapCoordinate(x, img.FullWidth, border);
            y = MapCoordinate(y, img.FullHeight, border);
        }

        x -= img.OriginX;
        y -= img.OriginY;
        if ((uint)x >= (uint)img.Width || (uint)y >= (uint)img.Height)
        {
            throw new InvalidOperationException("a sample falls outside the decoded window: the window was chosen too small");
        }

        var i = (y * img.Width + x) * 3;
        acc[0] += weight * img.Pixels[i];
        acc[1] += weight * img.Pixels[i + 1];
        acc[2] += weight * img.Pixels[i + 2];
    }

    internal static int MapCoordinate(int v, int size, BorderMode border)
    {
        if (size == 1) return 0;
        if (border == BorderMode.Replicate) return Math.Clamp(v, 0, size - 1);
        // Reflect-101: ... 2 1 | 0 1 2 ... n-1 | n-2 ...
        var period = 2 * (size - 1);
        v = ((v % period) + period) % period;
        return v < size ? v : period - v;
    }

    internal static byte ClampByte(float v) => (byte)Math.Clamp((int)MathF.Round(v), 0, 255);
}

/// <summary>
/// One bilinear tap of all three channels at once (SSE4.1): the scalar taps' products and additions lane by lane, in the
/// same order (IEEE addition and multiplication per lane are the scalar ones), so the same floats and bytes. A pixel is
/// read as four bytes, so a tap is taken here only where the fourth byte of its lower right neighbour is still inside
/// the image's array (<see cref="Fits"/>); the scalar path takes the rest.
/// </summary>
internal static unsafe class RgbTap
{
    /// <summary>Whether the tap whose lower-left neighbour is at <paramref name="q"/> can be read here.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Fits(byte* q, byte* end) => Sse41.IsSupported && q + 7 <= end;

    /// <summary><paramref name="acc"/> plus the four weighted neighbours (<paramref name="p"/> the upper pair,
    /// <paramref name="q"/> the lower), one at a time in <c>InsideTap.AddTo</c>'s order; lane 3 is spare.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Add(Vector128<float> acc, byte* p, byte* q, float w00, float w10, float w01, float w11)
    {
        acc += Vector128.Create(w00) * Widen(p);
        acc += Vector128.Create(w10) * Widen(p + 3);
        acc += Vector128.Create(w01) * Widen(q);
        acc += Vector128.Create(w11) * Widen(q + 3);
        return acc;
    }

    /// <summary>Lanes 0–2 rounded half to even and clamped to 0–255 (<c>ClampByte</c>) into <paramref name="d"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<float> v, byte* d)
    {
        if (!Sse41.IsSupported)
        {
            d[0] = ImageSampler.ClampByte(v[0]);
            d[1] = ImageSampler.ClampByte(v[1]);
            d[2] = ImageSampler.ClampByte(v[2]);
            return;
        }

        var rounded = Sse2.ConvertToVector128Int32WithTruncation(Sse41.RoundToNearestInteger(v));
        var packed = Sse2.PackUnsignedSaturate(Sse2.PackSignedSaturate(rounded, rounded), default).AsUInt32().ToScalar();
        d[0] = (byte)packed;
        d[1] = (byte)(packed >> 8);
        d[2] = (byte)(packed >> 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Widen(byte* p) => Sse2.ConvertToVector128Single(Sse41.ConvertToVector128Int32(p));
}

/// <summary>A bilinear sample whose four neighbours lie inside the source (a window of it: indices relative to its
/// origin): their index (<see cref="I"/> the upper pair, <see cref="J"/> the lower) and weights, as
/// <c>ImageSampler.Bilinear</c> computes them.</summary>
internal readonly record struct InsideTap(int I, int J, float W00, float W10, float W01, float W11)
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Of(float sx, float sy, int originX, int originY, int width, int height, int stride, out InsideTap tap)
    {
        var x0 = (int)MathF.Floor(sx);
        var y0 = (int)MathF.Floor(sy);
        if ((uint)(x0 - originX) >= (uint)(width - 1) || (uint)(y0 - originY) >= (uint)(height - 1))
        {
            tap = default;
            return false;
        }

        tap = At((y0 - originY) * stride + (x0 - originX) * 3, stride, sx - x0, sy - y0);
        return true;
    }

    /// <summary>The tap whose upper-left neighbour is at index <paramref name="i"/>, at fractions
    /// (<paramref name="fx"/>, <paramref name="fy"/>) between the neighbours.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static InsideTap At(int i, int stride, float fx, float fy) =>
        new(i, i + stride, (1 - fx) * (1 - fy), fx * (1 - fy), (1 - fx) * fy, fx * fy);

    /// <summary><paramref name="acc"/> plus the four weighted neighbours of channel <paramref name="c"/>, added one at a
    /// time in <c>Bilinear</c>'s order (so a sum of taps rounds the same whichever path each tap took).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float AddTo(float acc, byte[] px, int c)
    {
        acc += W00 * px[I + c];
        acc += W10 * px[I + 3 + c];
        acc += W01 * px[J + c];
        acc += W11 * px[J + 3 + c];
        return acc;
    }
}
