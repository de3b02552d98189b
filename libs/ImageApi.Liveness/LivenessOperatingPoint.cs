namespace ImageApi.Liveness;

/// <summary>
/// The default operating point, as chosen and measured by tools/ImageApi.Eval.Liveness on shared/liveness-dev
/// (docs/results/liveness.md). The measured numbers describe these defaults only; /info reports them only while the
/// configured method, calibration and threshold are these.
/// </summary>
public static class LivenessOperatingPoint
{
    public const LivenessMethod Method = LivenessMethod.All;
    public const float Threshold = 0.38f;
    public const float CalibrationSlope = 0.3238f;
    public const float CalibrationIntercept = 1.1667f;

    /// <summary>Attacks accepted as real, on liveness-dev, at the default threshold.</summary>
    public const double MeasuredApcer = 0.49;

    /// <summary>Real faces rejected, on liveness-dev, at the default threshold.</summary>
    public const double MeasuredBpcer = 0.05;

    /// <summary>Leave-one-subject-out estimate: calibration and threshold fitted on 3 subjects, measured on the 4th.</summary>
    public const double HeldOutApcer = 0.45;

    public const double HeldOutBpcer = 0.07;

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
