namespace ImageApi.Eval.Liveness;

/// <summary>
/// How well P(real) matches reality on liveness-dev: log loss and Brier score of the raw score read as a probability
/// (σ(score)), of the Platt calibration fitted on all 200 crops, and of calibrations fitted leave-one-subject-out;
/// plus a reliability table of the in-sample calibration (bins of P(real): mean P vs share actually real).
/// </summary>
internal sealed record CalibrationQuality(double RawLogLoss, double LogLoss, double HeldOutLogLoss, double RawBrier,
    double Brier, double HeldOutBrier, IReadOnlyList<(double From, double To, int Count, double MeanP, double RealShare)> Bins)
{
    public static double LogLossOf(IEnumerable<(double P, bool IsReal)> items) =>
        items.Average(i => -Math.Log(Math.Clamp(i.IsReal ? i.P : 1 - i.P, 1e-12, 1)));

    public static double BrierOf(IEnumerable<(double P, bool IsReal)> items) =>
        items.Average(i => Math.Pow(i.P - (i.IsReal ? 1 : 0), 2));

    public static IReadOnlyList<(double, double, int, double, double)> Reliability(IReadOnlyList<(double P, bool IsReal)> items)
    {
        var bins = new List<(double, double, int, double, double)>();
        for (var b = 0; b < 5; b++)
        {
            double from = b / 5.0, to = (b + 1) / 5.0;
            var inBin = items.Where(i => i.P >= from && (i.P < to || (b == 4 && i.P <= 1))).ToList();
            bins.Add((from, to, inBin.Count, inBin.Count == 0 ? double.NaN : inBin.Average(i => i.P),
                inBin.Count == 0 ? double.NaN : inBin.Count(i => i.IsReal) / (double)inBin.Count));
        }

        return bins;
    }
}
