namespace ImageApi.Attributes;

/// <summary>Names (models/models.json) of the models this area can run.</summary>
public static class AttributeModels
{
    public const string FaceApiAgeGender = "age-gender-faceapi-tinyxception";
    public const string InsightFaceAgeGender = "age-gender-insightface-fmobilenet";
    public const string GenderMini = "gender-mini-xception-imdb";
    public const string EmotionBig = "emotion-big-xception-fer2013";
    public const string EmotionMini = "emotion-mini-xception-fer2013";
    public const string EmotionFaceApi = "emotion-faceapi-densenet";
    public const string EmotionRafDb = "emotion-mobilefacenet-rafdb-int8";
    public const string Mask = "mask-ultraface-rfb640-masked";

    /// <summary>The models that estimate age (<see cref="FaceAttributesOptions.AgeModel"/>).</summary>
    public static readonly string[] AgeFamilies = [FaceApiAgeGender, InsightFaceAgeGender];

    /// <summary>The models that estimate gender (<see cref="FaceAttributesOptions.GenderModels"/>).</summary>
    public static readonly string[] GenderFamilies = [FaceApiAgeGender, InsightFaceAgeGender, GenderMini];

    /// <summary>The emotion models (<see cref="FaceAttributesOptions.EmotionModels"/>, <see cref="FaceAttributesOptions.EmotionFlip"/>).</summary>
    public static readonly string[] EmotionFamilies = [EmotionFaceApi, EmotionRafDb, EmotionBig, EmotionMini];
}
