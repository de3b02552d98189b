using System.Diagnostics;
using System.Globalization;
using ImageApi.Inference;

namespace ImageApi.Hosting;

/// <summary>
/// Adds <c>Server-Timing: app;dur=…, model;dur=…;desc="N runs"</c> to every answer: the request's time inside the host
/// and the raw ONNX Runtime time of the model runs it performed (<see cref="ModelTime"/>). Clients and the benchmark
/// (bench/run.sh) read the ratio of the two without a tracing backend; browsers show it in their network panel.
/// With <c>Telemetry:StageTimings=true</c> every stage span of the request (<c>decode</c>, <c>detect</c>, <c>parse</c>,
/// <c>write</c>, …) is added as its own metric: the profile of one request, from outside.
/// </summary>
public sealed class ServerTimingMiddleware(RequestDelegate next)
{
    public const string HeaderName = "Server-Timing";
    public const string StageTimingsSetting = "Telemetry:StageTimings";

    private static ActivityListener? _stageListener;

    /// <summary>Listens to the product's stage spans (once per process) and books each on its request.</summary>
    public static void EnableStageTimings()
    {
        if (_stageListener is not null) return;
        var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == ImageApiTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = a =>
            {
                if (a.OperationName.StartsWith("stage ", StringComparison.Ordinal)) ModelTime.RecordStage(a.OperationName[6..], a.Duration);
            },
        };
        ActivitySource.AddActivityListener(listener);
        _stageListener = listener;
    }

    public Task InvokeAsync(HttpContext http)
    {
        var started = Stopwatch.GetTimestamp();
        var models = ModelTime.Begin();
        http.Response.OnStarting(() =>
        {
            var header = string.Create(CultureInfo.InvariantCulture,
                $"app;dur={Stopwatch.GetElapsedTime(started).TotalMilliseconds:F2}, model;dur={models.Milliseconds:F2};desc=\"{models.Runs} runs\"");
            foreach (var (stage, ms) in models.Stages)
            {
                header += string.Create(CultureInfo.InvariantCulture, $", {stage.Replace(' ', '-')};dur={ms:F2}");
            }

            http.Response.Headers[HeaderName] = header;
            return Task.CompletedTask;
        });
        return next(http);
    }
}
