using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ImageApi.Identification;

/// <summary>
/// Rows of a large gallery kept as int8 codes (scalar quantisation, FAISS's "SQ8"): each unit vector is stored as
/// round(x / s) with its own scale s = max |x| / 127, one byte per element plus one float per row — a quarter of the
/// float matrix (128 + 4 bytes per 128-d template). A per-row scale rather than one fixed scale for all unit vectors:
/// a face template's largest element varies from row to row (about 0.2–0.5 for 128-d), and a fixed scale would have to
/// fit the largest, wasting a bit or more of resolution on most rows. The cosine a code row gives is an approximation
/// (error about 1e-3); it only chooses candidates, which are then scored exactly (<see cref="GalleryMatrix"/>).
/// </summary>
internal sealed class QuantizedRows(int dimension)
{
    private const float Levels = 127f;

    private sbyte[] _codes = [];
    private float[] _scales = [];

    public int Dimension { get; } = dimension;

    public long Bytes => _codes.LongLength + (long)_scales.Length * sizeof(float);

    public void Resize(int rows)
    {
        Array.Resize(ref _codes, rows * Dimension);
        Array.Resize(ref _scales, rows);
    }

    public void Set(int row, ReadOnlySpan<float> unitVector)
    {
        var max = 0f;
        foreach (var x in unitVector) max = MathF.Max(max, MathF.Abs(x));
        var scale = max > 0 ? max / Levels : 0;
        var codes = _codes.AsSpan(row * Dimension, Dimension);
        for (var i = 0; i < codes.Length; i++)
        {
            codes[i] = scale > 0 ? (sbyte)Math.Clamp(MathF.Round(unitVector[i] / scale), -Levels, Levels) : (sbyte)0;
        }

        _scales[row] = scale;
    }

    /// <summary>Copies row <paramref name="from"/> onto <paramref name="to"/> and zeroes <paramref name="from"/> (a
    /// deleted template's codes do not linger in memory either).</summary>
    public void MoveAndClear(int from, int to)
    {
        if (from != to)
        {
            _codes.AsSpan(from * Dimension, Dimension).CopyTo(_codes.AsSpan(to * Dimension, Dimension));
            _scales[to] = _scales[from];
        }

        _codes.AsSpan(from * Dimension, Dimension).Clear();
        _scales[from] = 0;
    }

    /// <summary>The approximate cosine of row <paramref name="row"/> with the probe.</summary>
    public float Cosine(QuantizedProbe probe, int row) =>
        probe.Dot(ref _codes[row * Dimension]) * (probe.Scale * _scales[row]);

    /// <summary>Offers rows [<paramref name="start"/>, <paramref name="end"/>) to <paramref name="best"/> by their
    /// approximate cosine. The bound check before the heap keeps the common row (not among the best) to one compare.</summary>
    public void Scan(QuantizedProbe probe, int start, int end, BestRows best)
    {
        if (probe.Dimension != Dimension) throw new ArgumentException($"the probe has {probe.Dimension} elements, the rows {Dimension}", nameof(probe));
        ref var codes = ref MemoryMarshal.GetArrayDataReference(_codes);
        var scales = _scales;
        var probeScale = probe.Scale;
        var floor = best.Floor;
        for (var r = start; r < end; r++)
        {
            var s = probe.Dot(ref Unsafe.Add(ref codes, r * Dimension)) * (probeScale * scales[r]);
            if (s > floor) floor = best.Offer(r, s);
        }
    }
}

/// <summary>The <see cref="Capacity"/> rows of highest score offered so far (a min-heap: the worst kept is on top).</summary>
internal sealed class BestRows(int capacity)
{
    private readonly PriorityQueue<int, float> _heap = new(capacity + 1);

    public int Capacity { get; } = capacity;

    /// <summary>The score a row must beat to be kept.</summary>
    public float Floor => _heap.Count < Capacity ? float.NegativeInfinity : _heap.TryPeek(out _, out var s) ? s : float.NegativeInfinity;

    /// <summary>Keeps the row if it is among the best; the new floor.</summary>
    public float Offer(int row, float score)
    {
        if (_heap.Count < Capacity) _heap.Enqueue(row, score);
        else _heap.EnqueueDequeue(row, score);
        return Floor;
    }

    public IEnumerable<(int Row, float Score)> Rows => _heap.UnorderedItems.Select(e => (e.Element, e.Priority));
}
