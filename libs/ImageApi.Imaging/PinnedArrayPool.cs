using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace ImageApi.Imaging;

/// <summary>
/// A bounded array pool whose large arrays live on the pinned object heap. Pooled buffers live for the whole process;
/// on the large object heap they sat in its regions between the per-request garbage, so a region could be given back
/// only when every pooled array in it had gone too (docs/performance.md, "Memory, session 12"). The pinned object heap
/// holds long-lived buffers only, and nothing needs pinning again when a buffer is handed to native code.
/// </summary>
/// <remarks>
/// At most <c>arraysPerSize</c> arrays of each power-of-two length up to <c>maxLength</c>; a longer rent is a plain
/// array, and a return past the bound is dropped. Like <see cref="ArrayPool{T}.Shared"/>, a rented array may be longer
/// than asked and holds whatever its last user left in it.
/// </remarks>
public sealed class PinnedArrayPool<T> : ArrayPool<T>
{
    private const int MinLength = 16;

    // Smaller arrays stay in the ordinary generations: the pinned heap is for what would otherwise be large objects.
    private const int LargeObjectBytes = 85_000;

    private readonly int _maxLength;
    private readonly int _arraysPerSize;
    private readonly Stack<T[]>[] _sizes;

    public PinnedArrayPool(int maxLength, int arraysPerSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, MinLength);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(arraysPerSize);
        _maxLength = (int)BitOperations.RoundUpToPowerOf2((uint)maxLength);
        _arraysPerSize = arraysPerSize;
        _sizes = new Stack<T[]>[SizeIndex(_maxLength) + 1];
        for (var i = 0; i < _sizes.Length; i++) _sizes[i] = new Stack<T[]>(arraysPerSize);
    }

    public override T[] Rent(int minimumLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(minimumLength);
        if (minimumLength > _maxLength) return GC.AllocateUninitializedArray<T>(minimumLength);
        var length = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(minimumLength, MinLength));
        var free = _sizes[SizeIndex(length)];
        lock (free)
        {
            if (free.TryPop(out var array)) return array;
        }

        return GC.AllocateUninitializedArray<T>(length, pinned: (long)length * Unsafe.SizeOf<T>() >= LargeObjectBytes);
    }

    public override void Return(T[] array, bool clearArray = false)
    {
        ArgumentNullException.ThrowIfNull(array);
        var length = array.Length;
        if (length < MinLength || length > _maxLength || !BitOperations.IsPow2(length)) return;
        if (clearArray) Array.Clear(array);
        var free = _sizes[SizeIndex(length)];
        lock (free)
        {
            if (free.Count < _arraysPerSize) free.Push(array);
        }
    }

    private static int SizeIndex(int powerOfTwo) => BitOperations.Log2((uint)powerOfTwo) - BitOperations.Log2(MinLength);
}
