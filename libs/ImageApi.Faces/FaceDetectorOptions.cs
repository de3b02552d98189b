using System.ComponentModel.DataAnnotations;

namespace ImageApi.Faces;

/// <summary>Face detector settings, bound from <c>FaceDetector</c>.</summary>
public sealed record FaceDetectorOptions
{
    public const string SectionName = "FaceDetector";

    [Required(ErrorMessage = "FaceDetector:Model must name a model")]
    public string Model { get; set; } = "face-detector-yunet-n";

    /// <summary>Long side of the image the detector sees (SOURCE.md: 640).</summary>
    [Range(1, int.MaxValue)]
    public int InputLongSide { get; set; } = 640;

    /// <summary>Minimum detection score (SOURCE.md: 0.6; genuine faces scored 0.62–0.96).</summary>
    [Range(0.0, 1.0)]
    public float ScoreThreshold { get; set; } = 0.6f;

    /// <summary>NMS IoU limit (SOURCE.md: 0.3).</summary>
    [Range(0.0, 1.0)]
    public float NmsIou { get; set; } = 0.3f;

    /// <summary>Faces whose box is shorter than this (pixels of the original photo) are dropped.</summary>
    [Range(0.0, double.MaxValue)]
    public float MinFaceSize { get; set; } = 16;

    /// <summary>Long side of the large-face pass (0 = off): faces that fill most of the 640-px input are detected
    /// better at 320 (docs/faces.md). Runs on the decode the first pass made; ~1/4 of its cost.</summary>
    [Range(0, int.MaxValue)]
    public int LargeFacePassLongSide { get; set; } = 320;

    /// <summary>Smallest face (pixels at the large-face pass's scale) taken from that pass: 96 of 320 = 30 % of the
    /// long side, i.e. ≥ 192 px in the 640 input, where the first pass starts to misplace boxes.</summary>
    [Range(0.0, double.MaxValue)]
    public float LargeFacePassMinFace { get; set; } = 96;

    /// <summary>Long side of an optional second detector pass for small faces (0 = off, the default). Measured on real
    /// faces pasted into a 1280-px photo (docs/faces.md): at 640 px the first pass finds faces of 20 px and more with
    /// score ≥ 0.80 (40-px faces ≥ 0.91), so the second pass only helps below ~16 px — at ~4× the detector's cost.</summary>
    [Range(0, int.MaxValue)]
    public int SmallFacePassLongSide { get; set; }

    /// <summary>Faces up to this many pixels at the first pass's scale are taken from the second pass.</summary>
    [Range(0.0, double.MaxValue)]
    public float SmallFacePassMaxFace { get; set; } = 16;
}

/// <summary>Start-up check of <see cref="FaceDetectorOptions"/>: its attributes.</summary>
[OptionsValidator]
public sealed partial class FaceDetectorOptionsValidator : IValidateOptions<FaceDetectorOptions>;
