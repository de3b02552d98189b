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
    /// <paramref name="into"/>[k], a row of pixel centres at a time. Along a row an edge's cross product is
    /// <c>first − slope·(x − o.X)</c>, and every one of those float operations rounds monotonically, so the points that
    /// pass an edge's test (with exactly <see cref="Contains"/>' operations) are a run that ends (slope &gt; 0) or starts
    /// (slope &lt; 0) somewhere, or all or none of them: the inside is one run, found by a binary search per edge —
    /// ≈ 9 tests an edge instead of one a point.</summary>
    public void ContainsRow(int x0, int y, Span<bool> into)
    {
        into.Clear();
        if (_hull.Length < 3 || into.Length == 0) return;
        float qy = y;
        int lo = x0, hi = x0 + into.Length - 1;
        for (var i = 0; i < _hull.Length && lo <= hi; i++)
        {
            Vector2 o = _hull[i], a = _hull[(i + 1) % _hull.Length];
            var first = (a.X - o.X) * (qy - o.Y);
            var slope = a.Y - o.Y;
            if (slope > 0)
            {
                // Passed up to some x: keep [lo, the last x that passes].
                if (!Passes(first, slope, o.X, lo)) return;
                int l = lo, h = hi;
                while (l < h)
                {
                    var m = l + (h - l + 1) / 2;
                    if (Passes(first, slope, o.X, m)) l = m;
                    else h = m - 1;
                }

                hi = l;
            }
            else if (slope < 0)
            {
                // Passed from some x on: keep [the first x that passes, hi].
                if (!Passes(first, slope, o.X, hi)) return;
                int l = lo, h = hi;
                while (l < h)
                {
                    var m = l + (h - l) / 2;
                    if (Passes(first, slope, o.X, m)) h = m;
                    else l = m + 1;
                }

                lo = l;
            }
            else if (!Passes(first, slope, o.X, lo))
            {
                return;
            }
        }

        if (lo <= hi) into[(lo - x0)..(hi - x0 + 1)].Fill(true);
    }

    /// <summary><see cref="Cross"/>(o, a, (x, y)) ≥ 0 with its first product given: the same operations.</summary>
    private static bool Passes(float first, float slope, float originX, int x) => first - slope * (x - originX) >= 0;

    private static float Cross(Vector2 o, Vector2 a, Vector2 b) => (a.X - o.X) * (b.Y - o.Y) - (a.Y - o.Y) * (b.X - o.X);
}
