namespace ImageApi.Eval.Liveness;

/// <summary>Error rates of a method on the measured dev set (see <see cref="ErrorRates"/> and <see cref="OperatingPointRule"/>).</summary>
internal static class DevSetEvaluation
{
    public static MethodResult Evaluate(IReadOnlyList<MeasuredImage> measured, LivenessMethod method, CropVariant variant, double targetBpcer)
    {
        var raw = measured.Select(m => ((double)m.Variant(variant).Score(method), m.Image.IsReal)).ToList();
        var (calibration, threshold) = OperatingPointRule.Fit(raw, targetBpcer);
        var p = Calibrated(measured, method, variant, calibration);
        var eer = ErrorRates.EqualErrorRate(raw);

        var subjects = new List<SubjectResult>();
        var heldOutP = new List<(double P, bool IsReal)>();
        int heldAttacksAccepted = 0, heldAttacks = 0, heldRealRejected = 0, heldReal = 0;
        foreach (var subject in measured.Select(m => m.Image.Subject).Distinct().Order(StringComparer.Ordinal))
        {
            var own = p.Where(x => x.Subject == subject).Select(x => (x.P, x.IsReal)).ToList();
            var others = measured.Where(m => m.Image.Subject != subject).ToList();
            var othersRaw = others.Select(m => ((double)m.Variant(variant).Score(method), m.Image.IsReal)).ToList();
            var (heldCalibration, heldThreshold) = OperatingPointRule.Fit(othersRaw, targetBpcer);
            var held = Calibrated(measured.Where(m => m.Image.Subject == subject).ToList(), method, variant, heldCalibration)
                .Select(x => (x.P, x.IsReal)).ToList();
            heldAttacksAccepted += held.Count(h => !h.IsReal && h.P >= heldThreshold);
            heldAttacks += held.Count(h => !h.IsReal);
            heldRealRejected += held.Count(h => h.IsReal && h.P < heldThreshold);
            heldReal += held.Count(h => h.IsReal);
            var ownRaw = measured.Where(m => m.Image.Subject == subject).Select(m => ((double)m.Variant(variant).Score(method), m.Image.IsReal)).ToList();
            heldOutP.AddRange(held);
            subjects.Add(new SubjectResult(subject, ErrorRates.Auc(ownRaw), ErrorRates.Apcer(own, threshold), ErrorRates.Bpcer(own, threshold),
                ErrorRates.Apcer(held, heldThreshold), ErrorRates.Bpcer(held, heldThreshold), heldThreshold));
        }

        var all = p.Select(x => (x.P, x.IsReal)).ToList();
        return new MethodResult(method, variant, ErrorRates.Auc(raw), eer.Eer,
            ApcerAt(raw, 0.01), ApcerAt(raw, 0.05), ApcerAt(raw, 0.10),
            calibration, threshold, ErrorRates.Apcer(all, threshold), ErrorRates.Bpcer(all, threshold),
            ErrorRates.Apcer(all, 0.5), ErrorRates.Bpcer(all, 0.5), subjects,
            heldAttacksAccepted / (double)heldAttacks, heldRealRejected / (double)heldReal,
            new CalibrationQuality(
                CalibrationQuality.LogLossOf(raw.Select(r => (Sigmoid(r.Item1), r.IsReal))), CalibrationQuality.LogLossOf(all),
                CalibrationQuality.LogLossOf(heldOutP), CalibrationQuality.BrierOf(raw.Select(r => (Sigmoid(r.Item1), r.IsReal))),
                CalibrationQuality.BrierOf(all), CalibrationQuality.BrierOf(heldOutP), CalibrationQuality.Reliability(all)));
    }

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    /// <summary>DET point: APCER at the threshold where BPCER first reaches at most <paramref name="bpcer"/>.</summary>
    private static double ApcerAt(IReadOnlyList<(double Score, bool IsReal)> raw, double bpcer) =>
        ErrorRates.Apcer(raw, ErrorRates.ThresholdAtBpcer(raw, bpcer));

    private static List<(double P, bool IsReal, string Subject)> Calibrated(IReadOnlyList<MeasuredImage> measured,
        LivenessMethod method, CropVariant variant, PlattCalibration calibration) =>
        [.. measured.Select(m => ((double)calibration.Probability(m.Variant(variant).Score(method)), m.Image.IsReal, m.Image.Subject))];
}
