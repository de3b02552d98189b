namespace ImageApi.Contracts;

/// <summary>
/// The vendor's 21 face keypoints in v1 array order ("left" = image-left, as in the vendor's example).
/// v1 writes them as a flat <c>[x, y, 0] × 21</c> pixel array in this order; v2 as an object keyed by these names.
/// </summary>
public static class KeypointNames
{
    public static readonly IReadOnlyList<string> All =
    [
        "left_eye_brow_left", "left_eye_brow_up", "left_eye_brow_right",
        "right_eye_brow_left", "right_eye_brow_up", "right_eye_brow_right",
        "left_eye_left", "left_eye", "left_eye_right",
        "right_eye_left", "right_eye", "right_eye_right",
        "left_ear_bottom", "nose_left", "nose", "nose_right", "right_ear_bottom",
        "mouth_left", "mouth", "mouth_right", "chin",
    ];

    public const int Count = 21;
    public const int LeftEye = 7;
    public const int RightEye = 10;
    public const int Nose = 14;
    public const int MouthLeft = 17;
    public const int Mouth = 18;
    public const int MouthRight = 19;
    public const int Chin = 20;
}
