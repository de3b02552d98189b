namespace ImageApi.Orchestration;

/// <summary>
/// Runs one vendor service on a sample — in this process (<see cref="InProcessStageInvoker"/>) or in the service's
/// own app through Dapr service invocation (<see cref="DaprStageInvoker"/>). The pipeline code only sees this.
/// </summary>
public interface IStageInvoker
{
    /// <summary>Invokes <paramref name="service"/> with a v1 or v2 request body.</summary>
    /// <returns>The service's answer without the image fields (<c>$image</c>/<c>_image</c>): callers that echo the
    /// image put the request's own back. The answer may be <paramref name="sample"/> itself, filled in place.</returns>
    /// <exception cref="ImageApi.Contracts.ApiException">The service refused the sample (its status and vendor
    /// <c>detail</c>), or could not be reached (502) or did not answer in time (504).</exception>
    ValueTask<JsonObject> InvokeAsync(string service, JsonObject sample, CancellationToken ct);

    /// <summary>Whether every stage runs in its own process, so that independent stages may be asked at the same time
    /// (<see cref="StageWaves"/>). In one process they share the request's CPU budget and run in order.</summary>
    bool StagesRunApart { get; }

    /// <summary>Runs several stages of one sample (a pipeline, a composed service) as one piece of work. In-process
    /// that is one hop to the inference threads for all of them instead of one per stage, which kept consecutive
    /// stages on one thread and its cache (<see cref="InProcessStageInvoker"/>); remote stages just run.</summary>
    Task<T> RunStagesAsync<T>(Func<Task<T>> stages) => stages();
}
