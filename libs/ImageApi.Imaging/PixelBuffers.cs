using System.Buffers;

namespace ImageApi.Imaging;

/// <summary>
/// The pools behind decode and resize scratch buffers and model input tensors. Not
/// <see cref="ArrayPool{T}.Shared"/>: that pool keeps up to eight arrays per size per core plus one per thread, and
/// frees them only under memory pressure, so a few large photos left ≈ 900 MB of 16–32 MB arrays parked in it
/// (docs/performance.md, memory). These keep at most <see cref="ArraysPerSize"/> arrays of each power-of-two size up
/// to <see cref="MaxPooledLength"/> elements, the large ones on the pinned object heap
/// (<see cref="PinnedArrayPool{T}"/>); a larger rent is a plain allocation that the GC reclaims.
/// </summary>
public static class PixelBuffers
{
    /// <summary>16 M bytes (a 4 MP RGBA decode) or 4 M floats (a 1.3 MP RGB blend).</summary>
    public const int MaxPooledLength = 1 << 24;

    /// <summary>Two per core: the admission limit defaults to one request in inference per core, and a request holds
    /// at most two scratch buffers of one size at a time.</summary>
    public static readonly int ArraysPerSize = Math.Max(4, 2 * Environment.ProcessorCount);

    public static ArrayPool<byte> Bytes { get; } = new PinnedArrayPool<byte>(MaxPooledLength, ArraysPerSize);

    public static ArrayPool<float> Floats { get; } = new PinnedArrayPool<float>(MaxPooledLength / sizeof(float), ArraysPerSize);
}
