using ImageApi.Hosting;

namespace ImageApi.Orchestration;

/// <summary>
/// Runs a stage in the service's own app (Dapr app-id = service name) through Dapr service invocation:
/// <c>POST /{service}/process/sample?echo_image=false</c> — the image goes there, it does not need to come back; what
/// the models said about the faces goes along (<see cref="FaceResultsHandOff"/>).
/// </summary>
public sealed class DaprStageInvoker(DaprSidecar sidecar) : IStageInvoker
{
    public bool StagesRunApart => true;

    public async ValueTask<JsonObject> InvokeAsync(string service, JsonObject sample, CancellationToken ct)
    {
        if (!ServiceNames.IsKnown(service)) throw new ArgumentException($"Unknown service '{service}'", nameof(service));
        var content = JsonBytes.Content(sample);
        // Dapr passes the request's headers on to the app: the stage reads and extends the results earlier stages carried.
        content.Headers.TryAddWithoutValidation(FaceResultsHandOff.Header, "hand-on");
        var answer = await sidecar.InvokeAsync(service, $"{service}/process/sample?{SampleRequest.EchoImageQuery}=false", content, ct);
        if (!answer.IsSuccess) throw answer.ToApiException();
        var json = answer.Json() as JsonObject
                   ?? throw new ApiException(502, $"Service '{service}' answered with something other than a JSON object");

        // The contract of IStageInvoker: no image in the answer (an app that echoed it anyway costs nothing more).
        SampleRequest.RemoveImage(json);
        return json;
    }
}
