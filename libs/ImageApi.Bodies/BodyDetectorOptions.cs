namespace ImageApi.Bodies;

/// <summary>Body detector settings, bound from <c>BodyDetector</c>.</summary>
public sealed class BodyDetectorOptions
{
    public const string SectionName = "BodyDetector";

    /// <summary>The person detector: <c>body-detector-yolox-nano</c> (default) or <c>body-detector-nanodet-m-416</c>.</summary>
    public string Model { get; set; } = BodyModels.YoloxNano;

    /// <summary>Minimum person score; unset = the model's SOURCE.md value (YOLOX-Nano 0.3, NanoDet-m 0.35).</summary>
    public float? ScoreThreshold { get; set; }

    /// <summary>NMS IoU limit between person boxes; unset = the model's SOURCE.md value (YOLOX-Nano 0.45, NanoDet-m 0.6).</summary>
    public float? NmsIou { get; set; }

    /// <summary>Boxes whose long side is shorter than this (pixels of the original photo) are dropped.</summary>
    public float MinBodySize { get; set; } = 8;
}
