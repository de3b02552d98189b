using System.Net.Http.Headers;

namespace ImageApi.Orchestration;

/// <summary>
/// The subset of the sidecar's HTTP API the distributed mode uses: service invocation
/// (<c>/v1.0/invoke/{app}/method/...</c>, through Dapr.Client's <see cref="Dapr.Client.InvocationHandler"/>),
/// publish (<c>/v1.0/publish/{pubsub}/{topic}</c>) and state (<c>/v1.0/state/{store}</c>). Plain HTTP with
/// <see cref="JsonNode"/> bodies: no reflection JSON, so it is Native-AOT safe (docs/distributed.md).
/// </summary>
public sealed partial class DaprSidecar(
    IHttpClientFactory clients, DaprConnection connection, IOptions<DaprOptions> dapr,
    IOptions<OrchestratorOptions> orchestrator, ILogger<DaprSidecar> logger)
{
    /// <summary>HttpClient for service invocation: InvocationHandler rewrites <c>http://{app-id}/{method}</c>.</summary>
    public const string InvokeClientName = "dapr-invoke";

    /// <summary>HttpClient for the sidecar's own APIs (publish, state).</summary>
    public const string SidecarClientName = "dapr-sidecar";

    private readonly DaprOptions _dapr = dapr.Value;
    private readonly TimeSpan _stageTimeout = orchestrator.Value.StageTimeout;

    /// <summary>POSTs <paramref name="content"/> to <paramref name="methodPathAndQuery"/> of app <paramref name="appId"/>.</summary>
    /// <returns>A success or a refusal to pass on (4xx, 501).</returns>
    /// <exception cref="ImageApi.Contracts.ApiException">502 (down, unreachable, 5xx) or 504 (no answer in time).</exception>
    public Task<DownstreamAnswer> InvokeAsync(string appId, string methodPathAndQuery, HttpContent content, CancellationToken ct) =>
        InvokeAsync(HttpMethod.Post, appId, methodPathAndQuery, content, ct);

    /// <summary>Service invocation with any HTTP method (the forwarded /galleries routes: GET, POST, DELETE).</summary>
    public async Task<DownstreamAnswer> InvokeAsync(HttpMethod method, string appId, string methodPathAndQuery, HttpContent? content, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_stageTimeout);
        using var request = new HttpRequestMessage(method, new Uri($"http://{appId}/{methodPathAndQuery.TrimStart('/')}"))
        {
            Content = content,
        };
        try
        {
            using var response = await clients.CreateClient(InvokeClientName).SendAsync(request, timeout.Token);
            var body = await response.Content.ReadAsByteArrayAsync(timeout.Token);
            var answer = new DownstreamAnswer(appId, (int)response.StatusCode, response.Content.Headers.ContentType?.ToString(), body);
            if (StageFaults.FromAnswer(answer) is { } fault)
            {
                LogStageFailed(appId, answer.StatusCode);
                throw fault;
            }

            return answer;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            LogStageTimeout(appId, _stageTimeout.TotalSeconds);
            throw StageFaults.Timeout(appId, _stageTimeout);
        }
        catch (HttpRequestException e)
        {
            LogSidecarUnreachable(appId, e.HttpRequestError.ToString());
            throw StageFaults.SidecarUnreachable(appId);
        }
    }

    /// <summary>Publishes <paramref name="data"/> as JSON; the sidecar wraps it in a CloudEvent.</summary>
    public async Task PublishAsync(string topic, JsonNode data, CancellationToken ct)
    {
        using var request = SidecarRequest(HttpMethod.Post, $"v1.0/publish/{Uri.EscapeDataString(_dapr.PubSubName)}/{Uri.EscapeDataString(topic)}");
        request.Content = JsonBytes.Content(data);
        using var response = await clients.CreateClient(SidecarClientName).SendAsync(request, ct);
        await EnsureSuccessAsync(response, "publish to " + topic, ct);
    }

    /// <summary>Saves one key (with a time-to-live when <paramref name="ttlSeconds"/> &gt; 0).</summary>
    public async Task SaveStateAsync(string key, JsonNode value, int ttlSeconds, CancellationToken ct)
    {
        var item = new JsonObject { ["key"] = key, ["value"] = value };
        if (ttlSeconds > 0) item["metadata"] = new JsonObject { ["ttlInSeconds"] = ttlSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        using var request = SidecarRequest(HttpMethod.Post, $"v1.0/state/{Uri.EscapeDataString(_dapr.StateStoreName)}");
        request.Content = JsonBytes.Content(new JsonArray(item));
        using var response = await clients.CreateClient(SidecarClientName).SendAsync(request, ct);
        await EnsureSuccessAsync(response, "save state", ct);
    }

    /// <summary>The value saved under <paramref name="key"/>, or null when there is none (the sidecar answers 204).</summary>
    public async Task<JsonNode?> GetStateAsync(string key, CancellationToken ct)
    {
        using var request = SidecarRequest(HttpMethod.Get,
            $"v1.0/state/{Uri.EscapeDataString(_dapr.StateStoreName)}/{Uri.EscapeDataString(key)}");
        using var response = await clients.CreateClient(SidecarClientName).SendAsync(request, ct);
        await EnsureSuccessAsync(response, "get state", ct);
        if (response.StatusCode == System.Net.HttpStatusCode.NoContent) return null;
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        return stream.CanSeek && stream.Length == 0 ? null : await JsonNode.ParseAsync(stream, cancellationToken: ct);
    }

    private HttpRequestMessage SidecarRequest(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, new Uri(connection.HttpEndpoint, path));
        if (connection.ApiToken is { } token) request.Headers.TryAddWithoutValidation(DaprNames.ApiTokenHeader, token);
        return request;
    }

    private async Task EnsureSuccessAsync(HttpResponseMessage response, string operation, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode) return;
        var status = (int)response.StatusCode;
        var body = await response.Content.ReadAsStringAsync(ct);
        LogSidecarRefused(operation, status);
        throw new HttpRequestException($"Dapr {operation} failed with HTTP {status}: {body[..Math.Min(body.Length, 300)]}",
            null, response.StatusCode);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stage {Service} failed with HTTP {Status}")]
    private partial void LogStageFailed(string service, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stage {Service} did not answer within {TimeoutSeconds} s")]
    private partial void LogStageTimeout(string service, double timeoutSeconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Dapr sidecar unreachable while calling {Service} ({Error})")]
    private partial void LogSidecarUnreachable(string service, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Dapr sidecar refused {Operation} with HTTP {Status}")]
    private partial void LogSidecarRefused(string operation, int status);
}
