namespace ImageApi.Imaging;

/// <summary>
/// A 2×3 affine map <c>[a b c; d e f]</c>: <c>x' = a·x + b·y + c</c>, <c>y' = d·x + e·y + f</c>.
/// </summary>
public readonly record struct AffineTransform(float A, float B, float C, float D, float E, float F)
{
    public static AffineTransform Identity => new(1, 0, 0, 0, 1, 0);

    /// <summary>Scale then translate: maps a source rectangle's origin to 0 with the given scales.</summary>
    public static AffineTransform ScaleTranslate(float sx, float sy, float tx, float ty) => new(sx, 0, tx, 0, sy, ty);

    public (float X, float Y) Apply(float x, float y) => (A * x + B * y + C, D * x + E * y + F);

    public AffineTransform Invert()
    {
        var det = A * E - B * D;
        if (MathF.Abs(det) < 1e-12f) throw new InvalidOperationException("Affine transform is not invertible");
        var ia = E / det;
        var ib = -B / det;
        var id = -D / det;
        var ie = A / det;
        return new AffineTransform(ia, ib, -(ia * C + ib * F), id, ie, -(id * C + ie * F));
    }

    /// <summary>Uniform scale factor of the map (geometric mean of the axis scales).</summary>
    public float ScaleFactor => MathF.Sqrt(MathF.Abs(A * E - B * D));
}
