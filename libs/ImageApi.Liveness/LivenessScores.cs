namespace ImageApi.Liveness;

/// <summary>The raw model outputs for one face; a field is null when its model was not run for the method.</summary>
public readonly record struct LivenessScores(float? CelebaSpoofLogitDifference, float? SilentFaceV2Real, float? SilentFaceV1SeReal)
{
    private const float ProbabilityClip = 1e-6f;

    /// <summary>
    /// The method's raw score on a log-odds scale (higher = more likely real), the input of the Platt calibration:
    /// the CelebA-Spoof logit difference as is; for Silent-Face the log-odds of P(real), the two-model ensemble
    /// averaging the softmaxes first as upstream <c>test.py</c> does; <see cref="LivenessMethod.All"/> the mean of the
    /// CelebA-Spoof and Silent-Face ensemble log-odds.
    /// </summary>
    public float Score(LivenessMethod method) => method switch
    {
        LivenessMethod.MiniFasCelebaSpoof => Required(CelebaSpoofLogitDifference),
        LivenessMethod.SilentFaceV2 => LogOdds(Required(SilentFaceV2Real)),
        LivenessMethod.SilentFaceV1Se => LogOdds(Required(SilentFaceV1SeReal)),
        LivenessMethod.SilentFace => LogOdds((Required(SilentFaceV2Real) + Required(SilentFaceV1SeReal)) / 2),
        LivenessMethod.All => (Required(CelebaSpoofLogitDifference) + LogOdds((Required(SilentFaceV2Real) + Required(SilentFaceV1SeReal)) / 2)) / 2,
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, null),
    };

    public static bool NeedsCelebaSpoof(LivenessMethod m) => m is LivenessMethod.MiniFasCelebaSpoof or LivenessMethod.All;

    public static bool NeedsSilentFaceV2(LivenessMethod m) => m is LivenessMethod.SilentFaceV2 or LivenessMethod.SilentFace or LivenessMethod.All;

    public static bool NeedsSilentFaceV1Se(LivenessMethod m) => m is LivenessMethod.SilentFaceV1Se or LivenessMethod.SilentFace or LivenessMethod.All;

    private static float LogOdds(float p)
    {
        p = Math.Clamp(p, ProbabilityClip, 1 - ProbabilityClip);
        return MathF.Log(p / (1 - p));
    }

    private static float Required(float? v) => v ?? throw new InvalidOperationException("model output missing for this method");
}
