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
}
