namespace ImageApi.Eval.Liveness;

/// <summary>
/// ISO/IEC 30107-3 error rates of a PAD decision "real when score ≥ t": APCER = share of attack presentations
/// accepted as bona fide (for one PAI species; with several, the standard reports the worst species — here there is
/// one, unlabelled replay), BPCER = share of bona fide presentations rejected.
/// </summary>
internal static class ErrorRates
{
    public static double Apcer(IEnumerable<(double Score, bool IsReal)> items, double t)
    {
        var attacks = items.Where(i => !i.IsReal).ToList();
        return attacks.Count == 0 ? double.NaN : attacks.Count(i => i.Score >= t) / (double)attacks.Count;
    }

    public static double Bpcer(IEnumerable<(double Score, bool IsReal)> items, double t)
    {
        var bonaFide = items.Where(i => i.IsReal).ToList();
        return bonaFide.Count == 0 ? double.NaN : bonaFide.Count(i => i.Score < t) / (double)bonaFide.Count;
    }

    /// <summary>The highest threshold (one of the bona fide scores) whose BPCER is at most
    /// <paramref name="bpcer"/>: it rejects at most ⌊bpcer · N⌋ real faces and accepts as few attacks as possible.</summary>
    public static double ThresholdAtBpcer(IEnumerable<(double Score, bool IsReal)> items, double bpcer)
    {
        var real = items.Where(i => i.IsReal).Select(i => i.Score).Order().ToArray();
        var allowed = (int)Math.Floor(bpcer * real.Length + 1e-9);
        return real[Math.Min(allowed, real.Length - 1)];
    }

    /// <summary>Equal error rate: the threshold (among all scores) where APCER and BPCER are closest, and their mean.</summary>
    public static (double Eer, double Threshold) EqualErrorRate(IReadOnlyList<(double Score, bool IsReal)> items)
    {
        var best = (Gap: double.MaxValue, Eer: double.NaN, T: double.NaN);
        foreach (var t in items.Select(i => i.Score).Distinct())
        {
            double a = Apcer(items, t), b = Bpcer(items, t);
            if (Math.Abs(a - b) < best.Gap) best = (Math.Abs(a - b), (a + b) / 2, t);
        }

        return (best.Eer, best.T);
    }

    /// <summary>Area under the ROC curve (probability that a random real face outscores a random attack; ties count ½).</summary>
    public static double Auc(IReadOnlyList<(double Score, bool IsReal)> items)
    {
        var real = items.Where(i => i.IsReal).Select(i => i.Score).ToArray();
        var fake = items.Where(i => !i.IsReal).Select(i => i.Score).ToArray();
        double wins = 0;
        foreach (var r in real)
        {
            foreach (var f in fake) wins += r > f ? 1 : r == f ? 0.5 : 0;
        }

        return wins / (real.Length * (double)fake.Length);
    }
}
