namespace ImageApi.Faces;

/// <summary>Face detector settings, bound from <c>FaceDetector</c>.</summary>
public sealed class FaceDetectorOptions
{
    public const string SectionName = "FaceDetector";

    public string Model { get; set; } = "face-detector-yunet-n";

    /// <summary>Long side of the image the detector sees (SOURCE.md: 640).</summary>
    public int InputLongSide { get; set; } = 640;

    /// <summary>Minimum detection score (SOURCE.md: 0.6; genuine faces scored 0.62–0.96).</summary>
    public float ScoreThreshold { get; set; } = 0.6f;

    /// <summary>NMS IoU limit (SOURCE.md: 0.3).</summary>
    public float NmsIou { get; set; } = 0.3f;

    /// <summary>Faces whose box is shorter than this (pixels of the original photo) are dropped.</summary>
    public float MinFaceSize { get; set; } = 16;
}
