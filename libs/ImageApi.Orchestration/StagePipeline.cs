using System.Diagnostics;
using ImageApi.Hosting;
using ImageApi.Inference;

namespace ImageApi.Orchestration;

/// <summary>
/// Runs services over one sample through an <see cref="IStageInvoker"/>: every stage gets the image and the objects
/// (and every other field) the previous stage answered — where the stages run in their own apps, independent
/// estimators are asked at once and their answers joined as a sequential run would have (<see cref="StageWaves"/>). Used by the pipeline route, the orchestrator's composed
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
        var clientResults = ImageField.Detach(request, FaceResultsHandOff.Field);
        var answer = await RunStageAsync(service, request, image, ct);
        EndHandOff(answer, clientResults);
        if (echoImage) ImageField.Restore(answer, image);
        return answer;
    }

    /// <summary>Several services in order over one sample.</summary>
    public async Task<JsonObject> RunPipelineAsync(
        IReadOnlyList<string> services, JsonObject request, bool echoImage, bool timings, CancellationToken ct)
    {
        var image = ImageField.Detach(request);
        var clientResults = ImageField.Detach(request, FaceResultsHandOff.Field);
        var times = new JsonObject();
        var started = Stopwatch.GetTimestamp();
        var current = await invoker.RunStagesAsync(async () =>
        {
            var sample = request;
            foreach (var wave in invoker.StagesRunApart ? StageWaves.Of(services) : services.Select(s => new List<string> { s }))
            {
                if (wave.Count == 1)
                {
                    var stageStarted = Stopwatch.GetTimestamp();
                    sample = await RunStageAsync(wave[0], sample, image, ct);
                    times[wave[0]] = Milliseconds(stageStarted);
                    continue;
                }

                var answers = await RunWaveAsync(wave, sample, image, ct);
                sample = StageWaves.Merge(sample, [.. answers.Select(a => (a.Service, a.Answer))]);
                foreach (var a in answers) times[a.Service] = a.Milliseconds;
            }

            return sample;
        });

        EndHandOff(current, clientResults);
        if (echoImage) ImageField.Restore(current, image);
        if (timings)
        {
            times["total"] = Milliseconds(started);
            current[TimingsField] = times;
        }

        return current;
    }

    // Every stage of the wave gets its own copy of the sample and of the image node (a node has one parent); the
    // answers come back in the wave's order. Whatever fails, all are awaited and the first failing stage in the
    // pipeline's order speaks, as it would in a sequential run.
    private async Task<List<(string Service, JsonObject Answer, double Milliseconds)>> RunWaveAsync(
        List<string> wave, JsonObject sample, DetachedField image, CancellationToken ct)
    {
        var tasks = wave.Select(async service =>
        {
            var started = Stopwatch.GetTimestamp();
            var own = image with { Node = image.Node?.DeepClone() };
            var answer = await RunStageAsync(service, sample.DeepClone().AsObject(), own, ct);
            return (service, answer, Milliseconds(started));
        }).ToList();
        try
        {
            await Task.WhenAll(tasks);
        }
        catch (Exception) when (tasks.Any(t => t.IsFaulted || t.IsCanceled))
        {
            var first = tasks.First(t => t.IsFaulted || t.IsCanceled);
            await first; // rethrows that stage's own exception
        }

        return [.. tasks.Select(t => t.Result)];
    }

    private async Task<JsonObject> RunStageAsync(string service, JsonObject sample, DetachedField image, CancellationToken ct)
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

    private async Task<JsonObject> InvokeAsync(string service, JsonObject sample, DetachedField image, CancellationToken ct)
    {
        using var activity = ImageApiTelemetry.StartStage(service);
        ImageField.Attach(sample, image);
        var answer = await invoker.InvokeAsync(service, sample, ct);

        // A remote invoker leaves the image in the request it sent; the next stage's sample is the answer.
        if (image.Node is not null && ReferenceEquals(image.Node.Parent, sample)) sample.Remove(image.Key);
        return answer;
    }

    // The stages' results travel between stage apps (FaceResultsHandOff), never to the client; a client's own field of
    // that name was kept out of the stages' reach and goes back untouched, like any unknown field.
    private static void EndHandOff(JsonObject answer, DetachedField clientResults)
    {
        answer.Remove(FaceResultsHandOff.Field);
        ImageField.Restore(answer, clientResults);
    }

    private static double Milliseconds(long since) => Math.Round(Stopwatch.GetElapsedTime(since).TotalMilliseconds, 2);
}
