using System.Buffers;
using System.Numerics;

namespace ImageApi.Imaging;

/// <summary>
/// Shrinks an RGB image by area averaging: each output pixel is the mean of the source area it covers, fractional
/// pixels weighted by their overlap. This is what a JPEG decoder's DCT scaling (1/8 … 7/8) amounts to, so a
/// request can decode its photo once and make every smaller copy its crops need from that one decode
/// (<see cref="ImageSource"/>), instead of paying the file's entropy decoding again for each scale.
/// </summary>
/// <remarks>
/// Integer arithmetic only (14-bit weights, an 8.8 fixed-point intermediate): the same bytes from the JIT host and a
/// Native AOT app, whatever the vector width. Separable: the vertical pass first (it reduces the rows and runs over
/// whole rows with SIMD), then the horizontal one.
/// </remarks>
public static class AreaResize
{
    private const int WeightBits = 14;
    private const int One = 1 << WeightBits;
    // Vertical sums (255 × 2^14 at most) are kept as 8.8 fixed point: >> 6 fits a ushort.
    private const int IntermediateShift = WeightBits - 8;

    public static RgbImage Resize(RgbImage src, int width, int height, float scale)
    {
        var dst = GC.AllocateUninitializedArray<byte>(width * height * 3); // every byte written below
        Fill(src, width, height, new Window(0, 0, width, height), dst);
        return new RgbImage(width, height, dst, scale);
    }

    /// <summary>
    /// The part <paramref name="window"/> of <see cref="Resize"/>(<paramref name="src"/>, <paramref name="width"/>,
    /// <paramref name="height"/>, <paramref name="scale"/>) — the same bytes there, as a window of that image: each
    /// output pixel depends on its own source taps only, so only the rows and columns those read are touched.
    /// </summary>
    public static RgbImage ResizeWindow(RgbImage src, int width, int height, float scale, Window window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window.Width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(window.Height, 1);
        if (window.X < 0 || window.Y < 0 || window.Right > width || window.Bottom > height)
        {
            throw new ArgumentOutOfRangeException(nameof(window), "the window is not inside the output");
        }

        var dst = GC.AllocateUninitializedArray<byte>(window.Width * window.Height * 3); // every byte written below
        Fill(src, width, height, window, dst);
        return RgbImage.Window(window.Width, window.Height, dst, scale, window.X, window.Y, width, height);
    }

    /// <summary>Rows and columns <paramref name="window"/> of the <paramref name="width"/>×<paramref name="height"/>
    /// area average of <paramref name="src"/> into <paramref name="dst"/> (the window's rows, packed).</summary>
    private static void Fill(RgbImage src, int width, int height, Window window, byte[] dst)
    {
        ArgumentNullException.ThrowIfNull(src);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, src.Width);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(height, src.Height);
        if (src.OriginX != 0 || src.OriginY != 0 || src.FullWidth != src.Width || src.FullHeight != src.Height)
        {
            throw new ArgumentException("the source must be a whole image", nameof(src));
        }

        var rows = Taps.Of(src.Height, height);
        var columns = Taps.Of(src.Width, width);
        // The source columns the window's output columns read: [firstColumn, endColumn).
        var firstColumn = columns.First[window.X];
        var last = window.Right - 1;
        var endColumn = columns.First[last] + columns.Counts[last];
        var srcStride = src.Stride;
        var span = (endColumn - firstColumn) * 3;
        var line = ArrayPool<int>.Shared.Rent(span);
        var reduced = ArrayPool<ushort>.Shared.Rent(span);
        try
        {
            var lineSpan = line.AsSpan(0, span);
            var reducedSpan = reduced.AsSpan(0, span);
            var rowBytes = window.Width * 3;
            for (var y = window.Y; y < window.Bottom; y++)
            {
                var (first, count) = rows.Range(y);
                // The first tap sets the sums (no clearing of the row first), the others add to them.
                for (var t = 0; t < count; t++)
                {
                    AddWeightedRow(src.Pixels.AsSpan((first + t) * srcStride + firstColumn * 3, span), rows.Weight(y, t), lineSpan, set: t == 0);
                }

                ToFixedPoint(lineSpan, reducedSpan);
                Horizontal(reducedSpan, firstColumn, columns, window.X, window.Width, dst.AsSpan((y - window.Y) * rowBytes, rowBytes));
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(line);
            ArrayPool<ushort>.Shared.Return(reduced);
        }
    }

    /// <summary>acc[i] += weight × row[i] (with <paramref name="set"/>: acc[i] = weight × row[i]), a whole row at a time.</summary>
    private static void AddWeightedRow(ReadOnlySpan<byte> row, int weight, Span<int> acc, bool set)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && row.Length >= Vector<byte>.Count)
        {
            var w = new Vector<int>(weight);
            var lanes = Vector<int>.Count;
            for (; i + Vector<byte>.Count <= row.Length; i += Vector<byte>.Count)
            {
                Vector.Widen(new Vector<byte>(row[i..]), out var lo16, out var hi16);
                Vector.Widen(lo16, out var a, out var b);
                Vector.Widen(hi16, out var c, out var d);
                var o = acc[i..];
                Store(Vector.AsVectorInt32(a) * w, o);
                Store(Vector.AsVectorInt32(b) * w, o[lanes..]);
                Store(Vector.AsVectorInt32(c) * w, o[(2 * lanes)..]);
                Store(Vector.AsVectorInt32(d) * w, o[(3 * lanes)..]);
            }
        }

        for (; i < row.Length; i++) acc[i] = (set ? 0 : acc[i]) + weight * row[i];

        void Store(Vector<int> product, Span<int> into) => (set ? product : new Vector<int>(into) + product).CopyTo(into);
    }

    /// <summary>Vertical sums (14-bit weights) → 8.8 fixed point, rounded.</summary>
    private static void ToFixedPoint(ReadOnlySpan<int> sums, Span<ushort> reduced)
    {
        const int half = 1 << (IntermediateShift - 1);
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var lanes = Vector<int>.Count;
            var h = new Vector<int>(half);
            for (; i + 2 * lanes <= sums.Length; i += 2 * lanes)
            {
                var a = Vector.ShiftRightArithmetic(new Vector<int>(sums[i..]) + h, IntermediateShift);
                var b = Vector.ShiftRightArithmetic(new Vector<int>(sums[(i + lanes)..]) + h, IntermediateShift);
                Vector.Narrow(Vector.AsVectorUInt32(a), Vector.AsVectorUInt32(b)).CopyTo(reduced[i..]);
            }
        }

        for (; i < sums.Length; i++) reduced[i] = (ushort)((sums[i] + half) >> IntermediateShift);
    }

    /// <summary>Output columns [<paramref name="fromColumn"/>, + <paramref name="count"/>) of one row from its vertical
    /// sums <paramref name="row"/>, which start at source column <paramref name="rowStart"/>.</summary>
    private static unsafe void Horizontal(ReadOnlySpan<ushort> row, int rowStart, Taps columns, int fromColumn, int count, Span<byte> dst)
    {
        const int round = 1 << (WeightBits + 8 - 1);
        const int shift = WeightBits + 8;
        fixed (ushort* rowPtr = row)
        fixed (byte* dstPtr = dst)
        fixed (int* firstPtr = columns.First)
        fixed (int* countPtr = columns.Counts)
        fixed (int* weightPtr = columns.Weights)
        {
            var stride = columns.Stride;
            for (var x = fromColumn; x < fromColumn + count; x++)
            {
                int r = round, g = round, b = round;
                var p = rowPtr + (firstPtr[x] - rowStart) * 3;
                var w = weightPtr + x * stride;
                for (int t = 0, n = countPtr[x]; t < n; t++, p += 3)
                {
                    r += w[t] * p[0];
                    g += w[t] * p[1];
                    b += w[t] * p[2];
                }

                var d = dstPtr + (x - fromColumn) * 3;
                d[0] = (byte)(r >> shift);
                d[1] = (byte)(g >> shift);
                d[2] = (byte)(b >> shift);
            }
        }
    }

    /// <summary>For each output index along one axis: the first source index, how many it covers, and their weights
    /// (overlap with the output pixel's area, summing to exactly 2^14).</summary>
    internal sealed class Taps
    {
        private readonly int[] _first;
        private readonly int[] _count;
        private readonly int[] _weights;
        private readonly int _stride;

        private Taps(int outputs, int stride)
        {
            _first = new int[outputs];
            _count = new int[outputs];
            _weights = new int[outputs * stride];
            _stride = stride;
        }

        public int Count => _first.Length;
        public int Stride => _stride;
        public int[] First => _first;
        public int[] Counts => _count;
        public int[] Weights => _weights;

        public (int First, int Count) Range(int output) => (_first[output], _count[output]);

        public int Weight(int output, int tap) => _weights[output * _stride + tap];

        public static Taps Of(int sourceLength, int outputLength)
        {
            // Output pixel i covers source [i·s, (i+1)·s), s = source/output; exact in rationals: [i·src, (i+1)·src)/out.
            var stride = sourceLength / outputLength + 2;
            var taps = new Taps(outputLength, stride);
            for (var i = 0; i < outputLength; i++)
            {
                long start = (long)i * sourceLength, end = (long)(i + 1) * sourceLength; // in 1/outputLength source pixels
                var first = (int)(start / outputLength);
                var last = (int)((end - 1) / outputLength);
                taps._first[i] = first;
                taps._count[i] = last - first + 1;
                var assigned = 0;
                for (var j = first; j <= last; j++)
                {
                    long lo = Math.Max(start, (long)j * outputLength), hi = Math.Min(end, (long)(j + 1) * outputLength);
                    var w = (int)((hi - lo) * One / sourceLength);
                    taps._weights[i * stride + (j - first)] = w;
                    assigned += w;
                }

                // The rounding remainder goes to the largest tap, so every output's weights sum to exactly 2^14.
                var largest = 0;
                for (var t = 1; t < taps._count[i]; t++)
                {
                    if (taps._weights[i * stride + t] > taps._weights[i * stride + largest]) largest = t;
                }

                taps._weights[i * stride + largest] += One - assigned;
            }

            return taps;
        }
    }
}
