namespace ImageApi.Eval.Liveness;

/// <summary>How the liveness models see a dev crop.</summary>
internal enum CropVariant
{
    /// <summary>As the product does: our detector on the crop (face-detector-liveness-estimator); when it finds no
    /// face, the whole crop as the bbox (liveness-estimator with bbox [0, 0, 1, 1]).</summary>
    Pipeline,

    /// <summary>As <see cref="Pipeline"/>, with <c>Liveness:NormaliseExposure</c> on (each model crop scaled to mean
    /// luminance 128).</summary>
    PipelineExposure,

    /// <summary>The whole crop as the face box (the source's OpenCV-SSD box, as the crops were cut).</summary>
    WholeCrop,
}
