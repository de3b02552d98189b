namespace ImageApi.Bodies;

/// <summary>The person detectors this library can decode, with the defaults their SOURCE.md gives.</summary>
public static class BodyModels
{
    public const string YoloxNano = "body-detector-yolox-nano";
    public const string NanoDetM416 = "body-detector-nanodet-m-416";

    /// <summary>Both models take a 416×416 input (SOURCE.md of each).</summary>
    public const int InputSize = 416;

    /// <summary>COCO class index of "person" in both models' 80-class heads.</summary>
    public const int PersonClass = 0;

    public static bool IsKnown(string name) => name is YoloxNano or NanoDetM416;

    /// <summary>SOURCE.md defaults: YOLOX-Nano score 0.3 / NMS 0.45; NanoDet-m score 0.35 / NMS 0.6 (opencv_zoo).</summary>
    public static (float Score, float NmsIou) Defaults(string name) => name switch
    {
        YoloxNano => (0.3f, 0.45f),
        NanoDetM416 => (0.35f, 0.6f),
        _ => throw new ArgumentException($"Unknown body detector model '{name}'", nameof(name)),
    };
}
