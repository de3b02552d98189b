namespace ImageApi.Quality;

/// <summary>A convex polygon (the hull of the face landmarks) used as the face-region mask of a crop.</summary>
internal sealed class ConvexRegion
{
    private readonly Vector2[] _hull;

    private ConvexRegion(Vector2[] hull) => _hull = hull;

    public IReadOnlyList<Vector2> Vertices => _hull;

    /// <summary>Andrew's monotone chain; the result is counter-clockwise in y-down image coordinates' mathematical
    /// sense (positive cross products), without collinear points.</summary>
    public static ConvexRegion HullOf(IEnumerable<Vector2> points)
    {
        var p = points.Distinct().OrderBy(v => v.X).ThenBy(v => v.Y).ToArray();
        if (p.Length < 3) return new ConvexRegion(p);
        var hull = new Vector2[2 * p.Length];
        var k = 0;
        for (var i = 0; i < p.Length; i++)
        {
            while (k >= 2 && Cross(hull[k - 2], hull[k - 1], p[i]) <= 0) k--;
            hull[k++] = p[i];
        }

        for (int i = p.Length - 2, lower = k + 1; i >= 0; i--)
        {
            while (k >= lower && Cross(hull[k - 2], hull[k - 1], p[i]) <= 0) k--;
            hull[k++] = p[i];
        }

        return new ConvexRegion(hull[..(k - 1)]);
    }

    /// <summary>The polygon scaled about its centroid by <paramref name="factor"/>.</summary>
    public ConvexRegion Expanded(float factor)
    {
        if (_hull.Length == 0) return this;
        var c = Vector2.Zero;
        foreach (var v in _hull) c += v;
        c /= _hull.Length;
        return new ConvexRegion([.. _hull.Select(v => c + (v - c) * factor)]);
    }

    /// <summary>Is <paramref name="q"/> inside or on the polygon?</summary>
    public bool Contains(Vector2 q)
    {
        if (_hull.Length < 3) return false;
        for (var i = 0; i < _hull.Length; i++)
        {
            if (Cross(_hull[i], _hull[(i + 1) % _hull.Length], q) < 0) return false;
        }

        return true;
    }

    /// <summary>Mask of the pixel centres of a <paramref name="width"/>×<paramref name="height"/> grid inside the polygon.</summary>
    public bool[] Rasterise(int width, int height)
    {
        var mask = new bool[width * height];
        for (var y = 0; y < height; y++) ContainsRow(0, y, mask.AsSpan(y * width, width));
        return mask;
    }

    /// <summary><see cref="Contains"/> of the points (<paramref name="x0"/> + k, <paramref name="y"/>) into
    /// <paramref name="into"/>[k]: a row of pixel centres at a time, several points per edge test (SIMD). Each point
    /// gets the same float operations as <see cref="Contains"/> gives it, so the answers are the same.</summary>
    public void ContainsRow(int x0, int y, Span<bool> into)
    {
        if (_hull.Length < 3)
        {
            into.Clear();
            return;
        }

        float qy = y;
        var k = 0;
        if (Vector.IsHardwareAccelerated && into.Length >= Vector<float>.Count)
        {
            var lanes = Vector<float>.Count;
            Span<float> steps = stackalloc float[lanes];
            for (var l = 0; l < lanes; l++) steps[l] = l;
            var step = new Vector<float>(steps);
            for (; k + lanes <= into.Length; k += lanes)
            {
                // Whole numbers below 2^24: the sum is exact, as (float)(x0 + k + l) is.
                var qx = new Vector<float>(x0 + k) + step;
                var inside = Vector<int>.AllBitsSet;
                for (var i = 0; i < _hull.Length; i++)
                {
                    Vector2 o = _hull[i], a = _hull[(i + 1) % _hull.Length];
                    // Cross(o, a, q) = (a.X − o.X)·(q.Y − o.Y) − (a.Y − o.Y)·(q.X − o.X), the first product per row.
                    var cross = new Vector<float>((a.X - o.X) * (qy - o.Y)) - new Vector<float>(a.Y - o.Y) * (qx - new Vector<float>(o.X));
                    inside &= Vector.GreaterThanOrEqual(cross, Vector<float>.Zero);
                }

                for (var l = 0; l < lanes; l++) into[k + l] = inside[l] != 0;
            }
        }

        for (; k < into.Length; k++) into[k] = Contains(new Vector2(x0 + k, qy));
    }

    private static float Cross(Vector2 o, Vector2 a, Vector2 b) => (a.X - o.X) * (b.Y - o.Y) - (a.Y - o.Y) * (b.X - o.X);
}
