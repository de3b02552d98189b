using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ImageApi.Liveness;

/// <summary>
/// Liveness settings, bound from <c>Liveness</c>. The defaults are the operating point chosen and measured by
/// tools/ImageApi.Eval.Liveness on shared/liveness-dev (docs/results/liveness.md, docs/liveness.md): change
/// <see cref="Method"/> and the calibration together, since the calibration is fitted per method.
/// </summary>
public sealed class LivenessOptions : IValidatableObject
{
    public const string SectionName = "Liveness";

    public LivenessMethod Method { get; set; } = LivenessOperatingPoint.Method;

    /// <summary>Scale each model crop to mean luminance 128 before the model (<see cref="ExposureNormalisation"/>).
    /// Part of the operating point: the calibration and threshold are fitted with it on or off.</summary>
    public bool NormaliseExposure { get; set; } = LivenessOperatingPoint.NormaliseExposure;

    /// <summary>A face is <c>real</c> when its calibrated P(real) is at least this.</summary>
    [Range(0.0, 1.0)]
    public float Threshold { get; set; } = LivenessOperatingPoint.Threshold;

    /// <summary>Platt calibration P(real) = 1 / (1 + exp(−(slope · score + intercept))), where score is the
    /// method's raw log-odds; fitted on liveness-dev by the evaluation tool.</summary>
    public float CalibrationSlope { get; set; } = LivenessOperatingPoint.CalibrationSlope;

    public float CalibrationIntercept { get; set; } = LivenessOperatingPoint.CalibrationIntercept;

    [Required(ErrorMessage = "Liveness:CelebaSpoofModel must name a model")]
    public string CelebaSpoofModel { get; set; } = "liveness-minifas-celebaspoof-128";

    [Required(ErrorMessage = "Liveness:SilentFaceV2Model must name a model")]
    public string SilentFaceV2Model { get; set; } = "liveness-minifasnetv2-80";

    [Required(ErrorMessage = "Liveness:SilentFaceV1SeModel must name a model")]
    public string SilentFaceV1SeModel { get; set; } = "liveness-minifasnetv1se-80";

    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        if (!Enum.IsDefined(Method)) yield return new ValidationResult("Liveness:Method is not a known method", [nameof(Method)]);
    }
}

/// <summary>Start-up check of <see cref="LivenessOptions"/>: its attributes and a defined method.</summary>
[OptionsValidator]
public sealed partial class LivenessOptionsValidator : IValidateOptions<LivenessOptions>;
