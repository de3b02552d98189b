namespace ImageApi.Eval.Liveness;

/// <summary>
/// How a method's calibration and threshold are chosen from labelled scores (the same rule for every method, for
/// the shipped default, and inside leave-one-subject-out): Platt fit on all the given images; threshold = the
/// highest calibrated P(real) that keeps BPCER ≤ the target, rounded down to 0.01 (never above 0.5, so that an
/// ordinary face the calibration calls more likely real than not is never rejected).
/// </summary>
internal static class OperatingPointRule
{
    public static (PlattCalibration Calibration, double Threshold) Fit(IReadOnlyList<(double Score, bool IsReal)> raw, double targetBpcer)
    {
        var calibration = PlattCalibration.Fit([.. raw.Select(r => (float)r.Score)], [.. raw.Select(r => r.IsReal)]);
        var calibrated = raw.Select(r => ((double)calibration.Probability((float)r.Score), r.IsReal)).ToList();
        var t = ErrorRates.ThresholdAtBpcer(calibrated, targetBpcer);
        t = Math.Min(0.5, Math.Floor(t * 100 + 1e-9) / 100);
        return (calibration, t);
    }
}
