using ImageApi.Imaging;

namespace ImageApi.Quality;

/// <summary>
/// The pixel statistics behind the quality fields, on a masked luminance plane (pure functions, tested directly).
/// </summary>
internal static class ImageMeasures
{
    /// <summary>Mean luminance of the unmasked pixels (0..255); NaN when none.</summary>
    public static float Mean(LumaPlane p)
    {
        double sum = 0;
        var n = 0;
        for (var i = 0; i < p.Values.Length; i++)
        {
            if (!p.Mask[i]) continue;
            sum += p.Values[i];
            n++;
        }

        return n == 0 ? float.NaN : (float)(sum / n);
    }

    /// <summary>
    /// Variance of the 4-neighbour Laplacian <c>[0 1 0; 1 −4 1; 0 1 0]</c> over pixels whose 3×3 neighbourhood is
    /// unmasked — the classic focus measure (Pech-Pacheco et al. 2000): blur removes high frequencies and lowers it.
    /// </summary>
    public static float LaplacianVariance(LumaPlane p)
    {
        double sum = 0, sum2 = 0;
        var n = 0;
        for (var y = 1; y < p.Height - 1; y++)
        {
            for (var x = 1; x < p.Width - 1; x++)
            {
                if (!p.NeighbourhoodValid(x, y)) continue;
                double l = p[x - 1, y] + p[x + 1, y] + p[x, y - 1] + p[x, y + 1] - 4 * p[x, y];
                sum += l;
                sum2 += l * l;
                n++;
            }
        }

        if (n == 0) return 0;
        var mean = sum / n;
        return (float)Math.Max(0, sum2 / n - mean * mean);
    }

    /// <summary>
    /// Immerkær's fast noise estimate (J. Immerkær, "Fast Noise Variance Estimation", CVIU 64(2), 1996): the mask
    /// <c>[1 −2 1; −2 4 −2; 1 −2 1]</c> (difference of two Laplacians) cancels image structure up to second order, and
    /// <c>σ = √(π/2) · mean|I ∗ N| / 6</c> estimates the standard deviation of additive white noise, in grey levels.
    /// </summary>
    public static float NoiseSigma(LumaPlane p)
    {
        double sum = 0;
        var n = 0;
        for (var y = 1; y < p.Height - 1; y++)
        {
            for (var x = 1; x < p.Width - 1; x++)
            {
                if (!p.NeighbourhoodValid(x, y)) continue;
                double v = p[x - 1, y - 1] - 2 * p[x, y - 1] + p[x + 1, y - 1]
                           - 2 * p[x - 1, y] + 4 * p[x, y] - 2 * p[x + 1, y]
                           + p[x - 1, y + 1] - 2 * p[x, y + 1] + p[x + 1, y + 1];
                sum += Math.Abs(v);
                n++;
            }
        }

        return n == 0 ? 0 : (float)(Math.Sqrt(Math.PI / 2) * sum / n / 6);
    }

    /// <summary>Mean Sobel gradient magnitude (normalised by 1/8, so a step of 1 grey level per pixel gives 1).</summary>
    public static float MeanGradient(LumaPlane p)
    {
        double sum = 0;
        var n = 0;
        for (var y = 1; y < p.Height - 1; y++)
        {
            for (var x = 1; x < p.Width - 1; x++)
            {
                if (!p.NeighbourhoodValid(x, y)) continue;
                sum += Gradient(p, x, y);
                n++;
            }
        }

        return n == 0 ? 0 : (float)(sum / n);
    }

    /// <summary>Sobel magnitude at (x, y) divided by 8, the kernel's gain on a ramp of 1 grey level per pixel
    /// (a difference over 2 pixels × weights 1 + 2 + 1), so the result is in grey levels per pixel.</summary>
    public static float Gradient(LumaPlane p, int x, int y)
    {
        var gx = p[x + 1, y - 1] + 2 * p[x + 1, y] + p[x + 1, y + 1] - p[x - 1, y - 1] - 2 * p[x - 1, y] - p[x - 1, y + 1];
        var gy = p[x - 1, y + 1] + 2 * p[x, y + 1] + p[x + 1, y + 1] - p[x - 1, y - 1] - 2 * p[x, y - 1] - p[x + 1, y - 1];
        return MathF.Sqrt(gx * gx + gy * gy) / 8;
    }

    /// <summary>Fraction of unmasked pixels at or above <paramref name="level"/> (clipped highlights).</summary>
    public static float FractionAtOrAbove(LumaPlane p, float level)
    {
        int hit = 0, n = 0;
        for (var i = 0; i < p.Values.Length; i++)
        {
            if (!p.Mask[i]) continue;
            n++;
            if (p.Values[i] >= level) hit++;
        }

        return n == 0 ? 0 : hit / (float)n;
    }

    /// <summary>Normalised histogram of the unmasked pixels with <paramref name="bins"/> equal bins over 0..256.</summary>
    public static double[] Histogram(LumaPlane p, int bins)
    {
        var h = new double[bins];
        var n = 0;
        for (var i = 0; i < p.Values.Length; i++)
        {
            if (!p.Mask[i]) continue;
            var b = Math.Clamp((int)(p.Values[i] * bins / 256f), 0, bins - 1);
            h[b]++;
            n++;
        }

        if (n > 0)
        {
            for (var b = 0; b < bins; b++) h[b] /= n;
        }

        return h;
    }

    /// <summary>Shannon entropy of a normalised histogram, in bits (0 for one level, 8 for 256 equally used levels) —
    /// OFIQ's dynamic-range measure on the face region.</summary>
    public static float Entropy(ReadOnlySpan<double> histogram)
    {
        double e = 0;
        foreach (var p in histogram)
        {
            if (p > 0) e -= p * Math.Log2(p);
        }

        return (float)e;
    }

    /// <summary>Histogram intersection <c>Σ min(a_i, b_i)</c> of two normalised histograms: 1 when identical, 0 when
    /// disjoint (OFIQ's illumination uniformity compares the left and right face halves this way).</summary>
    public static float Intersection(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double s = 0;
        for (var i = 0; i < a.Length; i++) s += Math.Min(a[i], b[i]);
        return (float)s;
    }

    /// <summary>
    /// White top-hat <c>Y − opening(Y)</c> with a <c>(2r+1)²</c> square: positive where a bright structure is narrower
    /// than the square (thin light strokes such as overlaid text), near 0 on smooth skin and on wide highlights.
    /// Only unmasked pixels take part; masked pixels get 0.
    /// </summary>
    public static float[] WhiteTopHat(LumaPlane p, int radius)
    {
        // The erosion and the opening are scratch: pooled, returned here (docs/performance.md, "Memory, session 12").
        var n = p.Values.Length;
        var eroded = PixelBuffers.Floats.Rent(n);
        var opened = PixelBuffers.Floats.Rent(n);
        try
        {
            Filter(p.Values, p.Mask, p.Width, p.Height, radius, erode: true, eroded);
            Filter(eroded, p.Mask, p.Width, p.Height, radius, erode: false, opened);
            var result = new float[n];
            for (var i = 0; i < result.Length; i++) result[i] = p.Mask[i] ? MathF.Max(0, p.Values[i] - opened[i]) : 0;
            return result;
        }
        finally
        {
            PixelBuffers.Floats.Return(eroded);
            PixelBuffers.Floats.Return(opened);
        }
    }

    /// <summary>The minimum (erode) or maximum of the masked values in each (2r+1)² window; a pixel whose window holds
    /// none keeps its value. Separable — a row pass, then a column pass over its results: a minimum of minima is the
    /// minimum, so the values are those of the square window, at 2·(2r+1) instead of (2r+1)² reads a pixel. Both
    /// passes run a vector of pixels at a time (a minimum or maximum picks one of its values, so the order of the
    /// comparisons does not matter); the row pass's cut windows at the ends of a row one pixel at a time. Writes the
    /// first w × h values of <paramref name="result"/>; <paramref name="v"/> may be longer than w × h (a pooled array).</summary>
    private static void Filter(float[] v, bool[] mask, int w, int h, int r, bool erode, float[] result)
    {
        // "None in the window" is the identity of the operation, as in the square form; a masked-out value counts as
        // the identity, so a window's result is that of its masked values.
        var identity = erode ? float.MaxValue : float.MinValue;
        var n = w * h;
        var masked = PixelBuffers.Floats.Rent(n);
        var rows = PixelBuffers.Floats.Rent(n);
        try
        {
            FilterPasses(v, mask, w, h, r, erode, identity, masked, rows, result);
        }
        finally
        {
            PixelBuffers.Floats.Return(masked);
            PixelBuffers.Floats.Return(rows);
        }
    }

    private static void FilterPasses(float[] v, bool[] mask, int w, int h, int r, bool erode, float identity,
        float[] masked, float[] rows, float[] result)
    {
        for (var i = 0; i < w * h; i++) masked[i] = mask[i] ? v[i] : identity;

        var lanes = Vector.IsHardwareAccelerated ? Vector<float>.Count : int.MaxValue;
        for (var y = 0; y < h; y++)
        {
            var row = y * w;
            var x = 0;
            for (; x < Math.Min(r, w); x++) rows[row + x] = RowWindow(masked, row, x, w, r, erode, identity);
            for (; lanes <= w && x <= w - r - lanes; x += lanes)
            {
                var acc = new Vector<float>(masked, row + x - r);
                for (var k = 1; k <= 2 * r; k++)
                {
                    var next = new Vector<float>(masked, row + x - r + k);
                    acc = erode ? Vector.Min(acc, next) : Vector.Max(acc, next);
                }

                acc.CopyTo(rows, row + x);
            }

            for (; x < w; x++) rows[row + x] = RowWindow(masked, row, x, w, r, erode, identity);
        }

        var identities = new Vector<float>(identity);
        for (var y = 0; y < h; y++)
        {
            int first = Math.Max(0, y - r), last = Math.Min(h - 1, y + r), row = y * w;
            var x = 0;
            for (; lanes <= w && x <= w - lanes; x += lanes)
            {
                var acc = new Vector<float>(rows, first * w + x);
                for (var yy = first + 1; yy <= last; yy++)
                {
                    var next = new Vector<float>(rows, yy * w + x);
                    acc = erode ? Vector.Min(acc, next) : Vector.Max(acc, next);
                }

                Vector.ConditionalSelect(Vector.Equals(acc, identities), new Vector<float>(v, row + x), acc).CopyTo(result, row + x);
            }

            for (; x < w; x++)
            {
                var acc = identity;
                for (var yy = first; yy <= last; yy++)
                {
                    var value = rows[yy * w + x];
                    acc = erode ? MathF.Min(acc, value) : MathF.Max(acc, value);
                }

                result[row + x] = acc == identity ? v[row + x] : acc;
            }
        }

    }

    private static float RowWindow(float[] masked, int row, int x, int w, int r, bool erode, float identity)
    {
        var acc = identity;
        for (int xx = Math.Max(0, x - r), end = Math.Min(w - 1, x + r); xx <= end; xx++)
        {
            acc = erode ? MathF.Min(acc, masked[row + xx]) : MathF.Max(acc, masked[row + xx]);
        }

        return acc;
    }
}
