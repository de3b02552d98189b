using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ImageApi.Bodies;

/// <summary>Body detector settings, bound from <c>BodyDetector</c>.</summary>
public sealed class BodyDetectorOptions : IValidatableObject
{
    public const string SectionName = "BodyDetector";

    /// <summary>The person detector: <c>body-detector-yolox-nano</c> (default) or <c>body-detector-nanodet-m-416</c>.</summary>
    public string Model { get; set; } = BodyModels.YoloxNano;

    /// <summary>Minimum person score; unset = the model's SOURCE.md value (YOLOX-Nano 0.3, NanoDet-m 0.35).</summary>
    [Range(0.0, 1.0)]
    public float? ScoreThreshold { get; set; }

    /// <summary>NMS IoU limit between person boxes; unset = the model's SOURCE.md value (YOLOX-Nano 0.45, NanoDet-m 0.6).</summary>
    public float? NmsIou { get; set; }

    /// <summary>Boxes whose long side is shorter than this (pixels of the original photo) are dropped.</summary>
    [Range(0.0, double.MaxValue)]
    public float MinBodySize { get; set; } = 8;

    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        if (!BodyModels.IsKnown(Model))
            yield return new ValidationResult($"{SectionName}:{nameof(Model)} must be {BodyModels.YoloxNano} or {BodyModels.NanoDetM416}", [nameof(Model)]);
        if (NmsIou is not null and not (> 0 and <= 1))
            yield return new ValidationResult($"{SectionName}:{nameof(NmsIou)} must lie in (0, 1]", [nameof(NmsIou)]);
    }
}

/// <summary>Start-up check of <see cref="BodyDetectorOptions"/>: its attributes and its own cross-field rules.</summary>
[OptionsValidator]
public sealed partial class BodyDetectorOptionsValidator : IValidateOptions<BodyDetectorOptions>;
