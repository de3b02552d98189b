using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ImageApi.Inference;

/// <summary>
/// The product's own ActivitySource and Meter. Stage spans (decode, detect, landmarks, …) and model-run spans
/// come from here; the hosting library registers both names with OpenTelemetry.
/// </summary>
public static class ImageApiTelemetry
{
    public const string SourceName = "ImageApi";

    public static readonly ActivitySource Source = new(SourceName, typeof(ImageApiTelemetry).Assembly.GetName().Version?.ToString());

    public static readonly Meter Meter = new(SourceName);

    /// <summary>Duration of one ONNX Runtime run, per model and execution provider.</summary>
    public static readonly Histogram<double> ModelRunDuration =
        Meter.CreateHistogram<double>("imageapi.model.run.duration", "s", "Duration of one model run (a whole batch)");

    /// <summary>Tag of a stage span: faces the stage received / produced.</summary>
    public const string FacesInTag = "imageapi.faces.in";

    public const string FacesOutTag = "imageapi.faces.out";

    /// <summary>Starts a pipeline-stage span such as <c>detect</c> or <c>landmarks</c>.</summary>
    public static Activity? StartStage(string stage) => Source.StartActivity("stage " + stage);

    /// <summary>Starts a stage span that works on <paramref name="facesIn"/> faces (tagged <see cref="FacesInTag"/>).</summary>
    public static Activity? StartStage(string stage, int facesIn) => StartStage(stage)?.SetTag(FacesInTag, facesIn);
}
