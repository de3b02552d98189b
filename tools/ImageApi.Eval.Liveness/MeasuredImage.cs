namespace ImageApi.Eval.Liveness;

/// <summary>
/// What the services made of one image: how many faces the detector found, the raw scores of every model for the
/// pipeline's box (without and with exposure normalisation) (detector box, or the whole crop when no face was found) and for the whole crop, and the answer
/// the running service gave with the shipped settings; MeanLuma = mean BT.601 luminance (0..255) of the crop.
/// </summary>
internal sealed record MeasuredImage(DevImage Image, int FacesFound, LivenessScores Pipeline, LivenessScores PipelineExposure, LivenessScores WholeCrop,
    LivenessDecision ServiceAnswer, double MeanLuma)
{
    public LivenessScores Variant(CropVariant v) => v switch
    {
        CropVariant.Pipeline => Pipeline,
        CropVariant.PipelineExposure => PipelineExposure,
        _ => WholeCrop,
    };
}
