using ImageApi.Imaging;

namespace ImageApi.Eval.Liveness;

/// <summary>A full test photo: its faces (largest first) with every model's scores and the service's answer.</summary>
internal sealed record PhotoResult(string File, IReadOnlyList<PhotoFace> Faces);

/// <summary>One face of a test photo: every model's scores without and with exposure normalisation, and the service's answer.</summary>
internal sealed record PhotoFace(Box Box, LivenessScores Scores, LivenessScores ExposureScores, LivenessDecision Answer)
{
    /// <summary>The scores a crop variant sees (a full photo has no "whole crop": that variant reads the pipeline's).</summary>
    public LivenessScores Of(CropVariant v) => v == CropVariant.PipelineExposure ? ExposureScores : Scores;
}
