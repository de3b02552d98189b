namespace ImageApi.Liveness;

/// <summary>Which model (or ensemble) decides liveness. Measured side by side by tools/ImageApi.Eval.Liveness
/// (docs/results/liveness.md); the default is the one chosen there.</summary>
public enum LivenessMethod
{
    /// <summary>liveness-minifas-celebaspoof-128 alone; score = logit(real) − logit(spoof).</summary>
    MiniFasCelebaSpoof,

    /// <summary>Silent-Face MiniFASNetV2 (2.7× context) alone; score = log-odds of its softmax P(real).</summary>
    SilentFaceV2,

    /// <summary>Silent-Face MiniFASNetV1SE (4.0× context) alone; score = log-odds of its softmax P(real).</summary>
    SilentFaceV1Se,

    /// <summary>The upstream Silent-Face ensemble: mean of the two softmaxes (test.py); score = log-odds of the
    /// mean P(real).</summary>
    SilentFace,

    /// <summary>All three: mean of the CelebA-Spoof logit difference and the Silent-Face ensemble log-odds.</summary>
    All,
}
