using System.Buffers;

namespace ImageApi.Inference;

/// <summary>
/// A model input's float buffer rented from the shared array pool and zeroed, returned on dispose. Almost every input
/// tensor is a large-object-heap allocation if made with <c>new</c> (above ~21 k floats: one 112×112 RGB crop is 37 k,
/// a 640×640 detector input 1.2 M): per request that is garbage only full collections reclaim. The pool hands the
/// same arrays back request after request; the rented array may be longer than asked, so only <see cref="Span"/> /
/// <see cref="Memory"/> (exactly <see cref="Length"/> long) are handed to packers and to ONNX Runtime.
/// </summary>
public sealed class TensorBuffer : IDisposable
{
    private float[]? _array;

    public TensorBuffer(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Length = length;
        _array = ArrayPool<float>.Shared.Rent(length);
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
        ArrayPool<float>.Shared.Return(_array);
        _array = null;
    }
}
