namespace ImageApi.Quality;

/// <summary>The raw, unmapped measurements of one face, in their natural units.</summary>
/// <param name="LaplacianVariance">variance of the Laplacian on the aligned face (grey levels²)</param>
/// <param name="LuminanceMean">mean face luminance (0..255)</param>
/// <param name="IlluminationUniformity">left/right face-half histogram intersection (0..1)</param>
/// <param name="FlareFraction">fraction of face pixels at or above the flare level</param>
/// <param name="LeftEyeRatio">eye aspect ratio of the image-left eye</param>
/// <param name="RightEyeRatio">eye aspect ratio of the image-right eye</param>
/// <param name="BackgroundGradient">mean Sobel gradient of the background (grey levels per pixel); NaN without background</param>
/// <param name="BackgroundFraction">share of the portrait crop that is measurable background</param>
/// <param name="NoiseSigma">Immerkær noise estimate on the aligned face (grey levels)</param>
/// <param name="SkinEdgeFraction">share of cheek pixels with strong edges (watermark heuristic)</param>
public sealed record QualityMeasurements(
    float LaplacianVariance,
    float LuminanceMean,
    float IlluminationUniformity,
    float FlareFraction,
    float LeftEyeRatio,
    float RightEyeRatio,
    float BackgroundGradient,
    float BackgroundFraction,
    float NoiseSigma,
    float SkinEdgeFraction);
