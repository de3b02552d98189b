using System.Buffers;
using ImageApi.Imaging;

namespace ImageApi.Inference;

/// <summary>
/// A model input's float buffer rented from a bounded pool and zeroed, returned on dispose. Almost every input
/// tensor is a large-object-heap allocation if made with <c>new</c> (above ~21 k floats: one 112×112 RGB crop is 37 k,
/// a 640×640 detector input 1.2 M): per request that is garbage only full collections reclaim. The pool hands the
/// same arrays back request after request; the rented array may be longer than asked, so only <see cref="Span"/> /
/// <see cref="Memory"/> (exactly <see cref="Length"/> long) are handed to packers and to ONNX Runtime.
/// </summary>
public sealed class TensorBuffer : IDisposable
{
    // Not ArrayPool.Shared, which parks up to eight arrays per size per core plus one per thread until memory runs
    // short (hundreds of MB of batch tensors after a mixed load, docs/performance.md). The pixel buffers' bounded
    // pool: up to 4 M floats (a 32-face batch of 112×112 crops is 1.2 M), larger ones are plain arrays.
    private static ArrayPool<float> Pool => PixelBuffers.Floats;

    private float[]? _array;

    public TensorBuffer(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Length = length;
        _array = Pool.Rent(length);
        // Packers leave padding untouched and rely on it being 0, as a new array would be.
        Span.Clear();
    }

    public int Length { get; }

    public Span<float> Span => Array.AsSpan(0, Length);

    public Memory<float> Memory => Array.AsMemory(0, Length);

    private float[] Array => _array ?? throw new ObjectDisposedException(nameof(TensorBuffer));

    public void Dispose()
    {
        if (_array is null) return;
        Pool.Return(_array);
        _array = null;
    }
}
