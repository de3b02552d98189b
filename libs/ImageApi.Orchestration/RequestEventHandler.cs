using System.Diagnostics;
using ImageApi.Hosting;
using ImageApi.Inference;

namespace ImageApi.Orchestration;

/// <summary>
/// Handles one delivered request: idempotency check, sample from the event or the state store, the service or
/// pipeline run, one result (answer or the vendor's <c>detail</c>) with the same request id on
/// <c>image-api-results</c> — inline, or by state-store key past <see cref="OrchestratorOptions.InlinePayloadLimitBytes"/>.
/// </summary>
public sealed partial class RequestEventHandler(
    StagePipeline pipeline, DaprSidecar sidecar, ProcessedRequests processed, IOptions<OrchestratorOptions> options,
    ILogger<RequestEventHandler> logger)
{
    public const string StatusField = "status";
    public const string ResultField = "result";
    public const string ResultKeyField = "result_key";
    public const string DetailField = "detail";

    private readonly OrchestratorOptions _options = options.Value;

    public async Task<DeliveryStatus> HandleAsync(JsonNode? envelope, CancellationToken ct)
    {
        if (!RequestEvent.TryParse(envelope, out var request, out var reason))
        {
            LogPoison(reason);
            return DeliveryStatus.Drop;
        }

        var id = request!.RequestId;
        using var activity = StartActivity(request);
        if (!processed.TryBegin(id))
        {
            LogDuplicate(id);
            return DeliveryStatus.Success;
        }

        try
        {
            if (await processed.IsAnsweredAsync(id, ct))
            {
                LogDuplicate(id);
                return DeliveryStatus.Success;
            }

            var result = await RunAsync(request, ct);
            await PublishAsync(result, ct);
            await processed.MarkAnsweredAsync(id, (int)result[StatusField]!, ct);
            LogAnswered(id, (int)result[StatusField]!);
            return DeliveryStatus.Success;
        }
        catch (HttpRequestException e)
        {
            LogTransient(id, e.Message);
            return DeliveryStatus.Retry;
        }
        finally
        {
            processed.End(id);
        }
    }

    private async Task<JsonObject> RunAsync(RequestEvent request, CancellationToken ct)
    {
        var result = new JsonObject { [RequestEvent.RequestIdField] = request.RequestId };
        if (request.Service is { } s) result[RequestEvent.ServiceField] = s;
        else result[RequestEvent.PipelineField] = new JsonArray([.. request.Pipeline!.Select(p => (JsonNode)p)]);
        try
        {
            var sample = request.Sample ?? await LoadSampleAsync(request.SampleKey!, ct);
            var answer = request.Service is { } service
                ? await pipeline.RunServiceAsync(service, sample, request.EchoImage, ct)
                : await pipeline.RunPipelineAsync(request.Pipeline!, sample, request.EchoImage, request.Timings, ct);
            result[StatusField] = 200;
            result[ResultField] = answer;
        }
        catch (Exception e) when (ApiErrors.From(e) is { } refusal)
        {
            result[StatusField] = refusal.StatusCode;
            result[DetailField] = ErrorBody.From(refusal)[DetailField]!.DeepClone();
        }

        return result;
    }

    private async Task<JsonObject> LoadSampleAsync(string key, CancellationToken ct) =>
        await sidecar.GetStateAsync(key, ct) as JsonObject
        ?? throw ApiException.Invalid($"No sample saved under '{key}' in the state store", "missing", RequestEvent.SampleKeyField);

    private async Task PublishAsync(JsonObject result, CancellationToken ct)
    {
        if (result[ResultField] is JsonObject answer && JsonBytes.Serialize(result).Length > _options.InlinePayloadLimitBytes)
        {
            var key = DaprNames.ResultKeyPrefix + (string)result[RequestEvent.RequestIdField]!;
            result.Remove(ResultField);
            await sidecar.SaveStateAsync(key, answer, _options.StateTtlSeconds, ct);
            result[ResultKeyField] = key;
        }

        await sidecar.PublishAsync(DaprNames.ResultsTopic, result, ct);
    }

    private static Activity? StartActivity(RequestEvent request)
    {
        ActivityContext.TryParse(request.TraceParent, null, out var parent);
        return ImageApiTelemetry.Source.StartActivity("pubsub " + DaprNames.RequestsTopic, ActivityKind.Consumer, parent)
            ?.SetTag("messaging.message.id", request.RequestId);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped a request event that can never be processed: {Reason}")]
    private partial void LogPoison(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId} was answered already: not processed again")]
    private partial void LogDuplicate(string requestId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId} answered with {Status}")]
    private partial void LogAnswered(string requestId, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId} failed transiently, asking for redelivery: {Error}")]
    private partial void LogTransient(string requestId, string error);
}
