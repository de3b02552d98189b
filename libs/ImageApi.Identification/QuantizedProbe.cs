using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ImageApi.Identification;

/// <summary>
/// A probe prepared for the approximate scan: its elements as int16 with one scale (max |x| ↦ 32767), so that its dot
/// product with an int8 row (<see cref="QuantizedRows"/>) is integer arithmetic the CPU does 16 elements at a time
/// (AVX2: sign-extend 16 row bytes to int16, multiply-add adjacent pairs into int32). The probe keeps int16 rather than
/// int8 precision because it costs nothing in memory traffic (it is read once per query, not once per row), so the
/// approximation error comes from the stored rows alone.
/// </summary>
internal sealed class QuantizedProbe
{
    // No overflow: |probe| ≤ 32767 and |row| ≤ 127, so a product is ≤ 4.2e6 and the whole dot ≤ dim · 4.2e6 (1.1e9 for
    // the 256-d method, the largest there is) < 2^31, whatever order the lanes sum in.
    private const float Max = 32767f;

    private readonly short[] _elements;
    private readonly int[] _wide;

    public QuantizedProbe(ReadOnlySpan<float> unitVector)
    {
        _elements = new short[unitVector.Length];
        _wide = new int[unitVector.Length];
        var max = 0f;
        foreach (var x in unitVector) max = MathF.Max(max, MathF.Abs(x));
        Scale = max > 0 ? max / Max : 0;
        for (var i = 0; i < unitVector.Length; i++)
        {
            var q = Scale > 0 ? (short)Math.Clamp(MathF.Round(unitVector[i] / Scale), -Max, Max) : (short)0;
            _elements[i] = q;
            _wide[i] = q;
        }
    }

    public int Dimension => _elements.Length;

    /// <summary>The float one int16 step stands for: the probe's element i is about <c>elements[i] · Scale</c>.</summary>
    public float Scale { get; }

    /// <summary>Σ probe[i] · row[i] in integers over one int8 row of <see cref="Dimension"/> codes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Dot(ref sbyte row)
    {
        if (Avx2.IsSupported) return DotAvx2(ref row, ref MemoryMarshal.GetArrayDataReference(_elements), _elements.Length);
        return DotPortable(ref row, ref MemoryMarshal.GetArrayDataReference(_wide), _wide.Length);
    }

    private static int DotAvx2(ref sbyte row, ref short probe, int dim)
    {
        Vector256<int> acc0 = Vector256<int>.Zero, acc1 = acc0;
        var i = 0;
        for (; i + 32 <= dim; i += 32)
        {
            // vpmovsxbw straight from memory: 16 codes → 16 int16; vpmaddwd: 8 int32 sums of adjacent products.
            var lo = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref row, (nuint)i));
            var hi = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref row, (nuint)(i + 16)));
            acc0 = Avx2.Add(acc0, Avx2.MultiplyAddAdjacent(lo, Vector256.LoadUnsafe(ref probe, (nuint)i)));
            acc1 = Avx2.Add(acc1, Avx2.MultiplyAddAdjacent(hi, Vector256.LoadUnsafe(ref probe, (nuint)(i + 16))));
        }

        var sum = Vector256.Sum(Avx2.Add(acc0, acc1));
        for (; i < dim; i++) sum += Unsafe.Add(ref row, i) * Unsafe.Add(ref probe, i);
        return sum;
    }

    // Any other CPU (Arm64, x64 without AVX2): widen to int32 lanes of the platform's 128-bit vectors.
    private static int DotPortable(ref sbyte row, ref int probe, int dim)
    {
        var acc = Vector128<int>.Zero;
        var i = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            for (; i + 16 <= dim; i += 16)
            {
                var (s0, s1) = Vector128.Widen(Vector128.LoadUnsafe(ref row, (nuint)i));
                var (w0, w1) = Vector128.Widen(s0);
                var (w2, w3) = Vector128.Widen(s1);
                acc += w0 * Vector128.LoadUnsafe(ref probe, (nuint)i) + w1 * Vector128.LoadUnsafe(ref probe, (nuint)(i + 4))
                     + w2 * Vector128.LoadUnsafe(ref probe, (nuint)(i + 8)) + w3 * Vector128.LoadUnsafe(ref probe, (nuint)(i + 12));
            }
        }

        var sum = Vector128.Sum(acc);
        for (; i < dim; i++) sum += Unsafe.Add(ref row, i) * Unsafe.Add(ref probe, i);
        return sum;
    }
}
