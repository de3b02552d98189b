using ImageApi.Inference;
using Microsoft.Extensions.Options;

namespace ImageApi.Liveness;

/// <summary>
/// Liveness of face boxes: runs the models the configured <see cref="LivenessMethod"/> needs (CelebA-Spoof batched,
/// the Silent-Face pair looped; each crop exposure-normalised when <see cref="LivenessOptions.NormaliseExposure"/>), turns the method's raw log-odds into a calibrated P(real) (Platt, fitted on
/// liveness-dev) and decides real at P(real) ≥ threshold. Both liveness services call this with the face box only,
/// so the same face gets the same answer whichever service it came through.
/// </summary>
public sealed class LivenessEstimator(CelebaSpoofLivenessModel celebaSpoof, SilentFaceLivenessModels silentFace,
    IOptions<LivenessOptions> options)
{
    public LivenessOptions Options => options.Value;

    public PlattCalibration Calibration => new(Options.CalibrationSlope, Options.CalibrationIntercept);

    /// <summary>Per face box (original pixels), the decision of the configured method.</summary>
    public IReadOnlyList<LivenessDecision> Estimate(ImageSource image, IReadOnlyList<Box> faces, CancellationToken ct)
    {
        using var activity = ImageApiTelemetry.StartStage("liveness");
        activity?.SetTag("imageapi.liveness.method", Options.Method.ToString());
        var scores = Score(image, faces, Options.Method, Options.NormaliseExposure, ct);
        var result = new LivenessDecision[scores.Count];
        for (var i = 0; i < scores.Count; i++) result[i] = Decide(scores[i].Score(Options.Method));
        return result;
    }

    /// <summary>
    /// The raw outputs of the models <paramref name="method"/> needs (the per-model score breakdown behind
    /// <see cref="Estimate"/>), with or without <see cref="ExposureNormalisation"/> of their crops. Public so that
    /// tools/ImageApi.Eval.Liveness can measure every method from one run of all models, both ways
    /// (<see cref="LivenessMethod.All"/>), and calibrate each with <see cref="PlattCalibration.Fit"/>.
    /// </summary>
    public IReadOnlyList<LivenessScores> Score(ImageSource image, IReadOnlyList<Box> faces, LivenessMethod method, bool normaliseExposure,
        CancellationToken ct)
    {
        var celeba = LivenessScores.NeedsCelebaSpoof(method) ? celebaSpoof.LogitDifference(image, faces, normaliseExposure, ct) : null;
        var v2 = LivenessScores.NeedsSilentFaceV2(method) ? silentFace.V2RealProbability(image, faces, normaliseExposure, ct) : null;
        var v1se = LivenessScores.NeedsSilentFaceV1Se(method) ? silentFace.V1SeRealProbability(image, faces, normaliseExposure, ct) : null;
        var result = new LivenessScores[faces.Count];
        for (var i = 0; i < faces.Count; i++) result[i] = new LivenessScores(celeba?[i], v2?[i], v1se?[i]);
        return result;
    }

    /// <summary>Calibrates a raw score of the configured method and applies the threshold.</summary>
    public LivenessDecision Decide(float score)
    {
        var p = Calibration.Probability(score);
        return new LivenessDecision(p >= Options.Threshold, p, score);
    }
}
