using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ImageApi.Quality;

/// <summary>
/// Decision thresholds of the quality assessment, bound from <c>QualityAssessment</c>. Each <c>is_*</c> field of the
/// response is its score compared with one of these (docs/quality.md has the table).
/// </summary>
public sealed class QualityOptions : IValidatableObject
{
    public const string SectionName = "QualityAssessment";

    /// <summary><c>is_sharp</c> = sharpness_score ≥ this.</summary>
    public float SharpnessThreshold { get; set; } = 0.5f;

    /// <summary><c>is_evenly_illuminated</c> = illumination_score ≥ this.</summary>
    public float IlluminationThreshold { get; set; } = 0.5f;

    /// <summary><c>no_flare</c> = the fraction of face pixels with luminance ≥ <see cref="FlareLevel"/> is ≤ this.</summary>
    [Range(0.0, 1.0)]
    public float MaxFlareFraction { get; set; } = 0.02f;

    /// <summary>Luminance (0..255) counted as a clipped highlight.</summary>
    public float FlareLevel { get; set; } = 250f;

    /// <summary><c>is_*_eye_opened</c> = *_eye_openness_score ≥ this.</summary>
    public float EyeOpennessThreshold { get; set; } = 0.5f;

    /// <summary>Eye aspect ratio at which the openness score is 0.5 (SOURCE.md of the PFLD model: open 0.21–0.34,
    /// closed 0.06–0.11, a threshold of 0.15–0.18 separated them).</summary>
    public float EyeOpenRatio { get; set; } = 0.16f;

    /// <summary>Slope of the logistic EAR → openness map (EAR units per e-fold).</summary>
    public float EyeOpenRatioWidth { get; set; } = 0.02f;

    /// <summary><c>is_background_uniform</c> = background_uniformity_score ≥ this.</summary>
    public float BackgroundUniformityThreshold { get; set; } = 0.5f;

    /// <summary><c>is_dynamic_range_acceptable</c> = dynamic_range_score (face luminance entropy, bits) ≥ this. Originals of
    /// the developers' set measure 6.35–7.85 bits, the same photos darkened by 70 % 4.7–6.1.</summary>
    public float MinDynamicRange { get; set; } = 6f;

    /// <summary><c>is_eyes_distance_acceptable</c> = eyes_distance (pixels) ≥ this (ISO/IEC 19794-5 full frontal: 90).</summary>
    [Range(0.0, double.MaxValue)]
    public float MinEyesDistance { get; set; } = 90f;

    /// <summary><c>is_not_noisy</c> = noise_score ≥ this.</summary>
    public float NoiseThreshold { get; set; } = 0.5f;

    /// <summary><c>is_margins_acceptable</c> needs margin_inner_deviation ≤ this (percentage points).</summary>
    public float MaxMarginInnerDeviation { get; set; } = 5f;

    /// <summary><c>is_margins_acceptable</c> needs margin_outer_deviation ≤ this (percentage points).</summary>
    public float MaxMarginOuterDeviation { get; set; } = 5f;

    /// <summary><c>is_neutral_emotion</c> = neutral_emotion_score ≥ this.</summary>
    public float NeutralEmotionThreshold { get; set; } = 0.5f;

    /// <summary><c>not_masked</c> = not_masked_score ≥ this.</summary>
    public float NotMaskedThreshold { get; set; } = 0.5f;

    /// <summary><c>has_watermark</c> = watermark_score ≥ this.</summary>
    public float WatermarkThreshold { get; set; } = 0.5f;

    /// <summary><c>is_rotation_acceptable</c> needs |yaw| ≤ this (degrees).</summary>
    [Range(0.0, double.MaxValue)]
    public float MaxYaw { get; set; } = 15f;

    /// <summary><c>is_rotation_acceptable</c> needs |pitch| ≤ this (degrees).</summary>
    [Range(0.0, double.MaxValue)]
    public float MaxPitch { get; set; } = 15f;

    /// <summary><c>is_rotation_acceptable</c> needs |roll| ≤ this (degrees).</summary>
    [Range(0.0, double.MaxValue)]
    public float MaxRoll { get; set; } = 10f;

    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        // A width of 0 divides by zero in the logistic map; DataAnnotations has no exclusive bound on float.
        if (!(EyeOpenRatioWidth > 0))
            yield return new ValidationResult($"{SectionName}:{nameof(EyeOpenRatioWidth)} must be positive", [nameof(EyeOpenRatioWidth)]);
    }
}

/// <summary>Start-up check of <see cref="QualityOptions"/>: its attributes and the positive logistic width.</summary>
[OptionsValidator]
public sealed partial class QualityOptionsValidator : IValidateOptions<QualityOptions>;
