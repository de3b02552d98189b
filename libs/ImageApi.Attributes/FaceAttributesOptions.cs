namespace ImageApi.Attributes;

/// <summary>Face-attribute settings (models, crops, test-time augmentation, thresholds), bound from
/// <c>FaceAttributes</c>. Defaults are the values chosen on <c>shared/attributes-dev</c> (docs/attributes.md).</summary>
public sealed class FaceAttributesOptions
{
    public const string SectionName = "FaceAttributes";

    /// <summary>Age model: <c>age-gender-faceapi-tinyxception</c> (MIT, default) or
    /// <c>age-gender-insightface-fmobilenet</c> (NON-COMMERCIAL research only).</summary>
    public string AgeModel { get; set; } = AttributeModels.FaceApiAgeGender;

    /// <summary>Gender models whose P(female) is averaged, comma separated: any of
    /// <c>age-gender-faceapi-tinyxception</c>, <c>age-gender-insightface-fmobilenet</c>, <c>gender-mini-xception-imdb</c>.</summary>
    public string GenderModels { get; set; } = AttributeModels.FaceApiAgeGender;

    /// <summary>Emotion models whose probabilities are averaged, comma separated: any of <c>emotion-faceapi-densenet</c>,
    /// <c>emotion-mobilefacenet-rafdb-int8</c>, <c>emotion-big-xception-fer2013</c>, <c>emotion-mini-xception-fer2013</c>.
    /// Default big-Xception + face-api: the best mean class recall on shared/emotion-dev within 3 ms per face among the
    /// settings that keep FER2013 ≥ 60 % (docs/attributes.md, "Emotion").</summary>
    public string EmotionModels { get; set; } = AttributeModels.EmotionBig + "," + AttributeModels.EmotionFaceApi;

    /// <summary>Mask model (only <c>mask-ultraface-rfb640-masked</c> is wired).</summary>
    public string MaskModel { get; set; } = AttributeModels.Mask;

    /// <summary>Square crop side / max(w, h) of the face box for the face-api model when it estimates age (SOURCE.md:
    /// 1.15), comma separated: with several, each scale is one more view of the face in the batch and the views are averaged.</summary>
    public string AgeCropScales { get; set; } = "1.0";

    /// <summary>As <see cref="AgeCropScales"/>, when the face-api model estimates gender. Three scales (6 views with
    /// flip): 92.3 % on the 1,000 UTKFace dev chips vs 91.8 % for 1.05 alone, the only measured setting that meets the
    /// 92 % target and keeps all 15 labelled test photos right; it costs ~+10 ms per face on one core (docs/attributes.md).
    /// "1.05" is the cheap choice where that cost matters more than half a point.</summary>
    public string GenderCropScales { get; set; } = "1.05,1.15,1.25";

    /// <summary>Square crop side / max(w, h) for gender-mini-xception-imdb (SOURCE.md: 1.6).</summary>
    public float GenderMiniCropScale { get; set; } = 1.6f;

    /// <summary>Square crop side / max(w, h) for the FER2013 Xception emotion models (SOURCE.md: tight, 1.0, from a few
    /// test faces). 1.2: big-Xception alone reads photo-style faces (shared/emotion-dev) better at 1.2 than at 1.0 or 1.1
    /// and keeps 81 % on FER2013 (1.3 drops it to 72 %); docs/attributes.md.</summary>
    public float EmotionCropScale { get; set; } = 1.2f;

    /// <summary>Square crop side / max(w, h) for <c>emotion-faceapi-densenet</c> (SOURCE.md: 1.2 or 1.4; chosen on
    /// shared/emotion-dev, docs/attributes.md).</summary>
    public float EmotionFaceApiCropScale { get; set; } = 1.2f;

    /// <summary>Per-class offsets on the averaged emotion probabilities, <c>EMOTION:offset</c> comma separated
    /// (<see cref="EmotionCalibration"/>); empty = none. Fitted for one model setting by the evaluation tool: refit it
    /// when <see cref="EmotionModels"/> changes.</summary>
    public string EmotionCalibration { get; set; } = "";

    /// <summary>Square crop side / max(w, h) for the mask classifier (SOURCE.md tested 1.2; 1.5 measured better on
    /// attributes-dev and the test photos, docs/attributes.md).</summary>
    public float MaskCropScale { get; set; } = 1.5f;

    /// <summary>Piecewise-linear correction of the model's age, knots <c>predicted:corrected</c> comma separated
    /// (increasing); slope 1 outside the knots; empty = none. Fitted on attributes-dev by the evaluation tool.</summary>
    public string AgeCalibration { get; set; } = "";

    /// <summary>Average each age/gender model's output over the crop and its mirror image.</summary>
    public bool AgeGenderFlip { get; set; } = true;

    /// <summary>Which emotion models average their crop with its mirror image: <c>true</c> (every model), <c>false</c>
    /// (none), or a comma-separated list of model names. Default: face-api only. In the average with big-Xception its
    /// mirror view raised emotion-dev top-1 at 13 of 16 measured crop pairings and FER2013 by 4–5.5 points, for ~1 ms
    /// per face (the default costs ~3 ms); mirroring big-Xception as well costs ~1 ms more for no measured gain
    /// (docs/attributes.md, "Emotion").</summary>
    public string EmotionFlip { get; set; } = AttributeModels.EmotionFaceApi;

    /// <summary>How the mask classifier's boxes are pooled into one P(mask).</summary>
    public MaskPooling MaskPooling { get; set; } = MaskPooling.Centred;

    /// <summary>Minimum max(face, masked) of a box pooled by <see cref="MaskPooling.Centred"/> (SOURCE.md crop mode: 0.3).</summary>
    public float MaskMinScore { get; set; } = 0.3f;

    /// <summary>P(mask) at or above which <c>value</c> is true.</summary>
    public float MaskThreshold { get; set; } = 0.5f;

    /// <summary>P(female) above which the gender is female.</summary>
    public float FemaleThreshold { get; set; } = 0.5f;
}
