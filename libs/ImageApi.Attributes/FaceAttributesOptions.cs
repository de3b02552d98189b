using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace ImageApi.Attributes;

/// <summary>Face-attribute settings (models, crops, test-time augmentation, thresholds), bound from
/// <c>FaceAttributes</c>. Defaults are the values chosen on <c>shared/attributes-dev</c> (docs/attributes.md). Lists
/// are arrays, one key per entry (<c>FaceAttributes__GenderModels__0=…</c>); a configured list replaces its default
/// (<see cref="ClearConfiguredLists"/>).</summary>
public sealed class FaceAttributesOptions : IValidatableObject
{
    public const string SectionName = "FaceAttributes";

    /// <summary>Age model: <c>age-gender-faceapi-tinyxception</c> (MIT, default) or
    /// <c>age-gender-insightface-fmobilenet</c> (NON-COMMERCIAL research only).</summary>
    [Required(ErrorMessage = "FaceAttributes:AgeModel must name a model")]
    public string AgeModel { get; set; } = AttributeModels.FaceApiAgeGender;

    /// <summary>Gender models whose P(female) is averaged, one or more of <c>age-gender-faceapi-tinyxception</c>,
    /// <c>age-gender-insightface-fmobilenet</c>, <c>gender-mini-xception-imdb</c>.</summary>
    public string[] GenderModels { get; set; } = [AttributeModels.FaceApiAgeGender];

    /// <summary>Emotion models whose probabilities are averaged, one or more of <c>emotion-faceapi-densenet</c>,
    /// <c>emotion-mobilefacenet-rafdb-int8</c>, <c>emotion-big-xception-fer2013</c>, <c>emotion-mini-xception-fer2013</c>.
    /// Default big-Xception + face-api: the best mean class recall on shared/emotion-dev within 3 ms per face among the
    /// settings that keep FER2013 ≥ 60 % (docs/attributes.md, "Emotion").</summary>
    public string[] EmotionModels { get; set; } = [AttributeModels.EmotionBig, AttributeModels.EmotionFaceApi];

    /// <summary>Mask model (only <c>mask-ultraface-rfb640-masked</c> is wired).</summary>
    [Required(ErrorMessage = "FaceAttributes:MaskModel must name a model")]
    public string MaskModel { get; set; } = AttributeModels.Mask;

    /// <summary>Square crop side / max(w, h) of the face box for the face-api model when it estimates age (SOURCE.md:
    /// 1.15), each in [0.5, 3]: with several, each scale is one more view of the face in the batch and the views are averaged.</summary>
    public float[] AgeCropScales { get; set; } = [1.0f];

    /// <summary>As <see cref="AgeCropScales"/>, when the face-api model estimates gender. Three scales (6 views with
    /// flip): 92.3 % on the 1,000 UTKFace dev chips vs 91.8 % for 1.05 alone, the only measured setting that meets the
    /// 92 % target and keeps all 15 labelled test photos right; it costs ~+10 ms per face on one core (docs/attributes.md).
    /// [1.05] is the cheap choice where that cost matters more than half a point.</summary>
    public float[] GenderCropScales { get; set; } = [1.05f, 1.15f, 1.25f];

    /// <summary>Square crop side / max(w, h) for gender-mini-xception-imdb (SOURCE.md: 1.6).</summary>
    [Range(MinCropScale, MaxCropScale)]
    public float GenderMiniCropScale { get; set; } = 1.6f;

    /// <summary>Square crop side / max(w, h) for the FER2013 Xception emotion models (SOURCE.md: tight, 1.0, from a few
    /// test faces). 1.2: big-Xception alone reads photo-style faces (shared/emotion-dev) better at 1.2 than at 1.0 or 1.1
    /// and keeps 81 % on FER2013 (1.3 drops it to 72 %); docs/attributes.md.</summary>
    [Range(MinCropScale, MaxCropScale)]
    public float EmotionCropScale { get; set; } = 1.2f;

    /// <summary>Square crop side / max(w, h) for <c>emotion-faceapi-densenet</c> (SOURCE.md: 1.2 or 1.4; chosen on
    /// shared/emotion-dev, docs/attributes.md).</summary>
    [Range(MinCropScale, MaxCropScale)]
    public float EmotionFaceApiCropScale { get; set; } = 1.2f;

    /// <summary>Per-class offsets on the averaged emotion probabilities, one <c>EMOTION:offset</c> entry per class
    /// (<see cref="Attributes.EmotionCalibration"/>); empty = none. Fitted for one model setting by the evaluation tool:
    /// refit it when <see cref="EmotionModels"/> changes.</summary>
    public string[] EmotionCalibration { get; set; } = [];

    /// <summary>Square crop side / max(w, h) for the mask classifier (SOURCE.md tested 1.2; 1.5 measured better on
    /// attributes-dev and the test photos, docs/attributes.md).</summary>
    [Range(MinCropScale, MaxCropScale)]
    public float MaskCropScale { get; set; } = 1.5f;

    /// <summary>Piecewise-linear correction of the model's age, one <c>predicted:corrected</c> knot per entry
    /// (increasing); slope 1 outside the knots; empty = none. Fitted on attributes-dev by the evaluation tool.</summary>
    public string[] AgeCalibration { get; set; } = [];

    /// <summary>Average each age/gender model's output over the crop and its mirror image.</summary>
    public bool AgeGenderFlip { get; set; } = true;

    /// <summary>Which emotion models average their crop with its mirror image: emotion model names (empty = none; a
    /// name not in <see cref="EmotionModels"/> mirrors nothing). Default: face-api only. In the average with big-Xception its
    /// mirror view raised emotion-dev top-1 at 13 of 16 measured crop pairings and FER2013 by 4–5.5 points, for ~1 ms
    /// per face (the default costs ~3 ms); mirroring big-Xception as well costs ~1 ms more for no measured gain
    /// (docs/attributes.md, "Emotion").</summary>
    public string[] EmotionFlip { get; set; } = [AttributeModels.EmotionFaceApi];

    /// <summary>How the mask classifier's boxes are pooled into one P(mask).</summary>
    public MaskPooling MaskPooling { get; set; } = MaskPooling.Centred;

    /// <summary>Minimum max(face, masked) of a box pooled by <see cref="MaskPooling.Centred"/> (SOURCE.md crop mode: 0.3).</summary>
    [Range(0.0, 1.0)]
    public float MaskMinScore { get; set; } = 0.3f;

    /// <summary>P(mask) at or above which <c>value</c> is true.</summary>
    [Range(0.0, 1.0)]
    public float MaskThreshold { get; set; } = 0.5f;

    /// <summary>P(female) above which the gender is female.</summary>
    [Range(0.0, 1.0)]
    public float FemaleThreshold { get; set; } = 0.5f;

    /// <summary>The crop scales a face-box crop may use (× max(w, h) of the box).</summary>
    public const double MinCropScale = 0.5, MaxCropScale = 3;

    /// <summary>Runs before binding (<see cref="AttributesRegistration.AddFaceAttributes"/>): each list that is configured
    /// starts empty, so binding, which appends, replaces its default instead of adding to it.</summary>
    public static void ClearConfiguredLists(FaceAttributesOptions options, IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        if (ListSetting.IsConfigured<FaceAttributesOptions>(section, nameof(GenderModels))) options.GenderModels = [];
        if (ListSetting.IsConfigured<FaceAttributesOptions>(section, nameof(EmotionModels))) options.EmotionModels = [];
        if (ListSetting.IsConfigured<FaceAttributesOptions>(section, nameof(AgeCropScales))) options.AgeCropScales = [];
        if (ListSetting.IsConfigured<FaceAttributesOptions>(section, nameof(GenderCropScales))) options.GenderCropScales = [];
        if (ListSetting.IsConfigured<FaceAttributesOptions>(section, nameof(EmotionFlip))) options.EmotionFlip = [];
        // No default to replace, but the former comma-separated value is refused rather than silently dropped.
        _ = ListSetting.IsConfigured<FaceAttributesOptions>(section, nameof(EmotionCalibration));
        _ = ListSetting.IsConfigured<FaceAttributesOptions>(section, nameof(AgeCalibration));
    }

    /// <summary>Why <paramref name="names"/> is not a valid <paramref name="setting"/> list of <paramref name="known"/>
    /// models, or null. Also the estimators' check, for options built in code (evaluation tools) rather than bound.</summary>
    public static string? ModelListError(string setting, IReadOnlyList<string> names, IReadOnlyList<string> known, bool allowEmpty = false)
    {
        if (names.Count == 0 && !allowEmpty) return $"{SectionName}:{setting} names no model: name one or more of {string.Join(", ", known)}";
        var unknown = names.FirstOrDefault(n => !known.Contains(n));
        return unknown is null ? null : $"{SectionName}:{setting}: '{unknown}' is not one of {string.Join(", ", known)}";
    }

    /// <summary>Why <paramref name="scales"/> is not a valid crop-scale list, or null.</summary>
    public static string? CropScaleListError(string setting, IReadOnlyList<float> scales)
    {
        if (scales.Count == 0) return $"{SectionName}:{setting} names no crop scale";
        var bad = scales.Where(s => !(s >= MinCropScale && s <= MaxCropScale)).Select(s => s.ToString(CultureInfo.InvariantCulture)).FirstOrDefault();
        return bad is null ? null : $"{SectionName}:{setting}: {bad} is not a crop scale in [{MinCropScale}, {MaxCropScale}]";
    }

    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        (string Setting, string? Error)[] checks =
        [
            (nameof(AgeModel), ModelListError(nameof(AgeModel), [AgeModel], AttributeModels.AgeFamilies)),
            (nameof(GenderModels), ModelListError(nameof(GenderModels), GenderModels, AttributeModels.GenderFamilies)),
            (nameof(EmotionModels), ModelListError(nameof(EmotionModels), EmotionModels, AttributeModels.EmotionFamilies)),
            (nameof(EmotionFlip), ModelListError(nameof(EmotionFlip), EmotionFlip, AttributeModels.EmotionFamilies, allowEmpty: true)),
            (nameof(MaskModel), ModelListError(nameof(MaskModel), [MaskModel], [AttributeModels.Mask])),
            (nameof(AgeCropScales), CropScaleListError(nameof(AgeCropScales), AgeCropScales)),
            (nameof(GenderCropScales), CropScaleListError(nameof(GenderCropScales), GenderCropScales)),
            (nameof(AgeCalibration), Attributes.AgeCalibration.TryParse(AgeCalibration, out _, out var ageError) ? null : ageError),
            (nameof(EmotionCalibration), Attributes.EmotionCalibration.TryParse(EmotionCalibration, out _, out var emotionError) ? null : emotionError),
        ];
        return checks.Where(c => c.Error is not null).Select(c => new ValidationResult(c.Error, [c.Setting]));
    }
}

/// <summary>Start-up check of <see cref="FaceAttributesOptions"/>: its attributes, known model names, non-empty lists,
/// crop scales in range and calibrations that parse.</summary>
[OptionsValidator]
public sealed partial class FaceAttributesOptionsValidator : IValidateOptions<FaceAttributesOptions>;
