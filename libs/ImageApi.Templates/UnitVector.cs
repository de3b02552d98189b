using System.Numerics;
using System.Runtime.Intrinsics;

namespace ImageApi.Templates;

/// <summary>Dot product and L2 normalisation of embedding vectors (SIMD, 128-bit lanes).</summary>
public static class UnitVector
{
    /// <summary>
    /// The dot product, summed in one fixed order on every machine and build: four 4-lane accumulators over 16 floats
    /// a step, combined pairwise, then the tail. Not <see cref="Vector{T}"/>: its width is the JIT's instruction set
    /// (8 lanes with AVX2) but the Native AOT baseline's (4 lanes) in a published app, and a different summation order
    /// gave the same face a template differing in the last bits between the embedded host and an AOT service.
    /// </summary>
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length) throw new ArgumentException("vectors differ in length", nameof(b));
        Vector128<float> s0 = Vector128<float>.Zero, s1 = s0, s2 = s0, s3 = s0;
        var i = 0;
        for (; i + 16 <= a.Length; i += 16)
        {
            s0 += Vector128.Create(a.Slice(i, 4)) * Vector128.Create(b.Slice(i, 4));
            s1 += Vector128.Create(a.Slice(i + 4, 4)) * Vector128.Create(b.Slice(i + 4, 4));
            s2 += Vector128.Create(a.Slice(i + 8, 4)) * Vector128.Create(b.Slice(i + 8, 4));
            s3 += Vector128.Create(a.Slice(i + 12, 4)) * Vector128.Create(b.Slice(i + 12, 4));
        }

        var acc = (s0 + s1) + (s2 + s3);
        var sum = (acc.GetElement(0) + acc.GetElement(1)) + (acc.GetElement(2) + acc.GetElement(3));
        for (; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    // About 16 float ulps at 1: the rounding of a norm recomputed from a unit vector, far below any real rescaling.
    private const float UnitTolerance = 2e-6f;

    public static float Norm(ReadOnlySpan<float> a) => MathF.Sqrt(Dot(a, a));

    /// <summary>Divides <paramref name="v"/> by its L2 norm in place; returns the norm (0 leaves it unchanged). A vector
    /// already of unit length (within float rounding) is left as it is, so normalising is idempotent: a template
    /// decoded, stored and decoded again keeps its exact bits, and a gallery match equals verify-matcher's.</summary>
    public static float Normalize(Span<float> v)
    {
        var norm = Norm(v);
        if (norm > 0 && float.IsFinite(norm) && MathF.Abs(norm - 1f) > UnitTolerance)
        {
            var inv = 1f / norm;
            for (var i = 0; i < v.Length; i++) v[i] *= inv;
        }

        return norm;
    }
}
