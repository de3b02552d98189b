namespace ImageApi.Calibration;

/// <summary>
/// Counts of genuine and impostor pair distances in bins of 1e-5 over [0, 2] (distance = 1 − cosine), from which
/// FAR(t) = impostors with d ≤ t / impostors and FRR(t) = genuines with d &gt; t / genuines are read.
/// </summary>
internal sealed class DistanceHistogram
{
    public const int BinsPerUnit = 100_000;
    public const int Bins = 2 * BinsPerUnit + 1;

    private readonly long[] _genuine = new long[Bins];
    private readonly long[] _impostor = new long[Bins];
    private long[]? _impostorCumulative;
    private long[]? _genuineCumulative;

    public long Genuine { get; private set; }
    public long Impostor { get; private set; }

    /// <summary>Bin b holds distances in ((b − 1)·1e-5, b·1e-5], so "d ≤ b·1e-5" is exactly "bin ≤ b".</summary>
    public static int Bin(float distance) => Math.Clamp((int)Math.Ceiling(distance * (double)BinsPerUnit), 0, Bins - 1);

    /// <summary>The threshold distance of bin <paramref name="bin"/> (its upper edge).</summary>
    public static float Distance(int bin) => (float)(bin / (double)BinsPerUnit);

    public void Add(float distance, bool genuine)
    {
        if (genuine) { _genuine[Bin(distance)]++; Genuine++; }
        else { _impostor[Bin(distance)]++; Impostor++; }
        _impostorCumulative = _genuineCumulative = null;
    }

    /// <summary>Impostor pairs accepted at threshold bin <paramref name="bin"/> (d ≤ t).</summary>
    public long FalseAccepts(int bin) => Cumulative(ref _impostorCumulative, _impostor)[bin];

    /// <summary>Genuine pairs rejected at threshold bin <paramref name="bin"/> (d &gt; t).</summary>
    public long FalseRejects(int bin) => Genuine - Cumulative(ref _genuineCumulative, _genuine)[bin];

    public double Far(int bin) => Impostor == 0 ? 0 : FalseAccepts(bin) / (double)Impostor;
    public double Frr(int bin) => Genuine == 0 ? 0 : FalseRejects(bin) / (double)Genuine;

    /// <summary>The largest threshold (bin) whose FAR is at most <paramref name="far"/>.</summary>
    public int ThresholdAtFar(double far)
    {
        var limit = (long)Math.Floor(far * Impostor);
        var c = Cumulative(ref _impostorCumulative, _impostor);
        int lo = 0, hi = Bins - 1;
        if (c[0] > limit) return 0;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (c[mid] <= limit) lo = mid; else hi = mid - 1;
        }

        return lo;
    }

    /// <summary>Equal error rate: the threshold where FAR and FRR cross; the rate is their mean there.</summary>
    public (double Eer, int Bin) EqualErrorRate()
    {
        var best = (Eer: 1.0, Bin: 0, Gap: double.MaxValue);
        for (var b = 0; b < Bins; b++)
        {
            double far = Far(b), frr = Frr(b);
            var gap = Math.Abs(far - frr);
            if (gap < best.Gap) best = ((far + frr) / 2, b, gap);
            if (far > frr) break;
        }

        return (best.Eer, best.Bin);
    }

    private static long[] Cumulative(ref long[]? cache, long[] counts)
    {
        if (cache is not null) return cache;
        var c = new long[Bins];
        long sum = 0;
        for (var i = 0; i < Bins; i++) { sum += counts[i]; c[i] = sum; }
        cache = c;
        return c;
    }
}
