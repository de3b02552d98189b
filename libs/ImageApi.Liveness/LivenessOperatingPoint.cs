namespace ImageApi.Liveness;

/// <summary>
/// The default operating point, as chosen and measured by tools/ImageApi.Eval.Liveness on shared/liveness-dev
/// (docs/results/liveness.md). The measured numbers describe these defaults only; /info reports them only while the
/// configured method, exposure normalisation, calibration and threshold are these. Chosen by the tool's default-choice
/// rule (lowest leave-one-subject-out half total error among the eligible product rows): <c>All</c> on
/// exposure-normalised crops, held-out APCER 40 % / BPCER 6 %, against 45 % / 7 % without the normalisation.
/// </summary>
public static class LivenessOperatingPoint
{
    public const LivenessMethod Method = LivenessMethod.All;
    public const bool NormaliseExposure = true;
    public const float Threshold = 0.45f;
    public const float CalibrationSlope = 0.2735f;
    public const float CalibrationIntercept = 0.7854f;

    /// <summary>Attacks accepted as real, on liveness-dev, at the default threshold.</summary>
    public const double MeasuredApcer = 0.41;

    /// <summary>Real faces rejected, on liveness-dev, at the default threshold.</summary>
    public const double MeasuredBpcer = 0.05;

    /// <summary>Leave-one-subject-out estimate: calibration and threshold fitted on 3 subjects, measured on the 4th.</summary>
    public const double HeldOutApcer = 0.40;

    public const double HeldOutBpcer = 0.06;

    public const string Dataset = "shared/liveness-dev: 100 real + 100 spoof face crops, 4 subjects, replay attacks only — not a certification";

    /// <summary>The models a method runs.</summary>
    public static IReadOnlyList<string> ModelsOf(LivenessMethod method, LivenessOptions o)
    {
        var models = new List<string>();
        if (LivenessScores.NeedsCelebaSpoof(method)) models.Add(o.CelebaSpoofModel);
        if (LivenessScores.NeedsSilentFaceV2(method)) models.Add(o.SilentFaceV2Model);
        if (LivenessScores.NeedsSilentFaceV1Se(method)) models.Add(o.SilentFaceV1SeModel);
        return models;
    }
}
