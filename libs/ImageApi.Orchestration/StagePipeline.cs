using System.Diagnostics;
using ImageApi.Inference;

namespace ImageApi.Orchestration;

/// <summary>
/// Runs services over one sample through an <see cref="IStageInvoker"/>: every stage gets the image and the objects
/// (and every other field) the previous stage answered. Used by the pipeline route, the orchestrator's composed
/// services and its pub/sub requests, in-process and distributed alike.
/// </summary>
public sealed class StagePipeline(IStageInvoker invoker, IOptions<OrchestratorOptions> options)
{
    /// <summary>Field of the answer with per-stage wall times in milliseconds (pipeline route, <c>timings=true</c>).</summary>
    public const string TimingsField = "timings";

    private readonly HashSet<string> _composed = [.. options.Value.ComposedServices];

    /// <summary>One service, as its own route answers (composed from its stages when configured so).</summary>
    public async Task<JsonObject> RunServiceAsync(string service, JsonObject request, bool echoImage, CancellationToken ct)
    {
        var image = ImageField.Detach(request);
        var answer = await RunStageAsync(service, request, image, ct);
        if (echoImage) ImageField.Restore(answer, image);
        return answer;
    }

    /// <summary>Several services in order over one sample.</summary>
    public async Task<JsonObject> RunPipelineAsync(
        IReadOnlyList<string> services, JsonObject request, bool echoImage, bool timings, CancellationToken ct)
    {
        var image = ImageField.Detach(request);
        var times = new JsonObject();
        var started = Stopwatch.GetTimestamp();
        var current = await invoker.RunStagesAsync(async () =>
        {
            var sample = request;
            foreach (var service in services)
            {
                var stageStarted = Stopwatch.GetTimestamp();
                sample = await RunStageAsync(service, sample, image, ct);
                times[service] = Milliseconds(stageStarted);
            }

            return sample;
        });

        if (echoImage) ImageField.Restore(current, image);
        if (timings)
        {
            times["total"] = Milliseconds(started);
            current[TimingsField] = times;
        }

        return current;
    }

    private async Task<JsonObject> RunStageAsync(string service, JsonObject sample, DetachedImage image, CancellationToken ct)
    {
        if (_composed.Contains(service) && CompositeServices.Stages.TryGetValue(service, out var stages))
        {
            return await invoker.RunStagesAsync(async () =>
            {
                var current = sample;
                foreach (var stage in stages) current = await InvokeAsync(stage, current, image, ct);
                CompositeServices.RemoveIntermediateFields(current);
                return current;
            });
        }

        return await InvokeAsync(service, sample, image, ct);
    }

    private async Task<JsonObject> InvokeAsync(string service, JsonObject sample, DetachedImage image, CancellationToken ct)
    {
        using var activity = ImageApiTelemetry.StartStage(service);
        ImageField.Attach(sample, image);
        var answer = await invoker.InvokeAsync(service, sample, ct);

        // A remote invoker leaves the image in the request it sent; the next stage's sample is the answer.
        if (image.Node is not null && ReferenceEquals(image.Node.Parent, sample)) sample.Remove(image.Key);
        return answer;
    }

    private static double Milliseconds(long since) => Math.Round(Stopwatch.GetElapsedTime(since).TotalMilliseconds, 2);
}
