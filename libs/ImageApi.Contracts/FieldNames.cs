namespace ImageApi.Contracts;

/// <summary>JSON field names of the contract, v1 and v2 (see shared/spec/README.md).</summary>
public static class FieldNames
{
    public const string ImageV1 = "$image";
    public const string ImageV2 = "_image";
    public const string Blob = "blob";
    public const string Format = "format";
    public const string ImageFormat = "IMAGE";
    public const string Objects = "objects";
    public const string Id = "id";
    public const string Class = "class";
    public const string Confidence = "confidence";
    public const string Bbox = "bbox";
    public const string Fitter = "fitter";
    public const string FitterType = "fitter_type";
    public const string FitterTypeValue = "fda";
    public const string Keypoints = "keypoints";
    public const string LeftEye = "left_eye";
    public const string RightEye = "right_eye";
    public const string Angles = "angles";
    public const string Pose = "pose";
    public const string Proj = "proj";
    public const string Yaw = "yaw";
    public const string Roll = "roll";
    public const string Pitch = "pitch";
    public const string TemplateV1 = "$template";
    public const string TemplateSize = "template_size";
    public const string TemplateV2 = "template";
    public const string Verification = "verification";
    public const string ClassFace = "face";
    public const string ClassBody = "body";
}
