using System.Numerics;
using System.Runtime.InteropServices;

namespace ImageApi.Templates;

/// <summary>Dot product and L2 normalisation of embedding vectors (SIMD via <see cref="Vector{T}"/>).</summary>
public static class UnitVector
{
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length) throw new ArgumentException("vectors differ in length", nameof(b));
        var va = MemoryMarshal.Cast<float, Vector<float>>(a);
        var vb = MemoryMarshal.Cast<float, Vector<float>>(b);
        var acc = Vector<float>.Zero;
        for (var i = 0; i < va.Length; i++) acc += va[i] * vb[i];
        var sum = Vector.Sum(acc);
        for (var i = va.Length * Vector<float>.Count; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    public static float Norm(ReadOnlySpan<float> a) => MathF.Sqrt(Dot(a, a));

    /// <summary>Divides <paramref name="v"/> by its L2 norm in place; returns the norm (0 leaves it unchanged).</summary>
    public static float Normalize(Span<float> v)
    {
        var norm = Norm(v);
        if (norm > 0 && float.IsFinite(norm))
        {
            var inv = 1f / norm;
            for (var i = 0; i < v.Length; i++) v[i] *= inv;
        }

        return norm;
    }
}
