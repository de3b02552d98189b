using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace ImageApi.Distributed.Tests;

/// <summary>
/// A test double of the Dapr sidecars (no daprd can be installed here, platform.md §4): exactly the subset of the
/// Dapr HTTP API the product uses — <c>POST /v1.0/invoke/{app}/method/{path}</c> (forwarded to the app, with the
/// app token), <c>POST /v1.0/publish/{pubsub}/{topic}</c> (wrapped in a CloudEvent and delivered to the routes the
/// apps list at <c>GET /dapr/subscribe</c>, with Dapr's SUCCESS/RETRY/DROP and dead-letter rules), and
/// <c>/v1.0/state/{store}</c> (save, get, delete). Faults of a process boundary can be injected per app.
/// </summary>
public sealed class TestSidecar
{
    private readonly ConcurrentDictionary<string, HttpMessageHandler> _apps = new();
    private readonly ConcurrentDictionary<string, AppFault> _faults = new();
    private readonly List<Subscription> _subscriptions = [];
    private readonly List<PublishedEvent> _published = [];
    private readonly List<Task> _deliveries = [];
    private readonly Lock _gate = new();

    /// <summary>The token sent to apps as <c>dapr-api-token</c> (APP_API_TOKEN of the sidecars).</summary>
    public string? AppToken { get; init; }

    /// <summary>Delivery attempts before a message goes to the dead-letter topic (the resiliency retry policy).</summary>
    public int MaxDeliveryAttempts { get; init; } = 3;

    /// <summary>Wait between delivery attempts (the backoff of Dapr's pub/sub retry policy); none by default.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.Zero;

    /// <summary>Saved state by key (as the JSON text of the value).</summary>
    public ConcurrentDictionary<string, string> State { get; } = new();

    /// <summary>Every invocation that reached an app: app id and method path.</summary>
    public ConcurrentQueue<(string App, string Method)> Invocations { get; } = new();

    /// <summary>Every answer of an app to an invocation: app id, method path and the model runs the app reported
    /// (<c>Server-Timing: model;…;desc="N runs"</c>; -1 without one).</summary>
    public ConcurrentQueue<(string App, string Method, int ModelRuns)> Answers { get; } = new();

    /// <summary>Every delivery attempt of a CloudEvent to an app: topic, event id and the status the app answered.</summary>
    public ConcurrentQueue<(string Topic, string EventId, string Status)> Deliveries { get; } = new();

    /// <summary>When true the sidecar does not accept connections (the orchestrator's own sidecar is down).</summary>
    public bool Unreachable { get; set; }

    public void AddApp(string appId, HttpMessageHandler handler) => _apps[appId] = handler;

    public void SetFault(string appId, AppFault fault) => _faults[appId] = fault;

    public void ClearFault(string appId) => _faults.TryRemove(appId, out _);

    /// <summary>A handler for the HttpClients of app <paramref name="appId"/> (its sidecar).</summary>
    public HttpMessageHandler CreateHandler(string appId) => new SidecarEndpoint(this, appId);

    /// <summary>Asks every app for its programmatic subscriptions, as daprd does when an app starts.</summary>
    public async Task DiscoverSubscriptionsAsync()
    {
        foreach (var (appId, handler) in _apps)
        {
            using var invoker = new HttpMessageInvoker(handler, disposeHandler: false);
            using var request = new HttpRequestMessage(HttpMethod.Get, "http://localhost/dapr/subscribe");
            AddAppToken(request);
            using var response = await invoker.SendAsync(request, CancellationToken.None);
            if (!response.IsSuccessStatusCode) continue;
            if (JsonNode.Parse(await response.Content.ReadAsStringAsync()) is not JsonArray list) continue;
            foreach (var s in list.OfType<JsonObject>())
            {
                lock (_gate)
                {
                    _subscriptions.Add(new Subscription(appId, (string)s["pubsubname"]!, (string)s["topic"]!, (string)s["route"]!,
                        (string?)s["deadLetterTopic"]));
                }
            }
        }
    }

    public IReadOnlyList<Subscription> Subscriptions
    {
        get { lock (_gate) return [.. _subscriptions]; }
    }

    /// <summary>Events published to <paramref name="topic"/> so far (CloudEvents as delivered).</summary>
    public IReadOnlyList<JsonObject> Events(string topic)
    {
        lock (_gate) return [.. _published.Where(p => p.Topic == topic).Select(p => p.CloudEvent)];
    }

    /// <summary>Waits until an event on <paramref name="topic"/> matches, or fails after <paramref name="timeout"/>.</summary>
    public async Task<JsonObject> WaitForEventAsync(string topic, Func<JsonObject, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (Events(topic).FirstOrDefault(match) is { } found) return found;
            await Task.Delay(50);
        }

        throw new TimeoutException($"No matching event on '{topic}' within {timeout.TotalSeconds} s");
    }

    /// <summary>Waits for every delivery started so far (and those they started) to finish.</summary>
    public async Task DeliveriesSettledAsync()
    {
        while (true)
        {
            Task[] pending;
            lock (_gate) pending = [.. _deliveries.Where(t => !t.IsCompleted)];
            if (pending.Length == 0) return;
            await Task.WhenAll(pending);
        }
    }

    /// <summary>Delivers a CloudEvent to the subscribers of its topic, as the sidecar does for each message it receives
    /// from the broker (also used to simulate a redelivery of the same message).</summary>
    public Task DeliverAsync(string topic, JsonObject cloudEvent)
    {
        Subscription[] targets;
        lock (_gate) targets = [.. _subscriptions.Where(s => s.Topic == topic)];
        var task = Task.WhenAll(targets.Select(s => DeliverToAsync(s, cloudEvent)));
        lock (_gate) _deliveries.Add(task);
        return task;
    }

    private async Task DeliverToAsync(Subscription subscription, JsonObject cloudEvent)
    {
        var id = (string?)cloudEvent["id"] ?? "";
        for (var attempt = 1; attempt <= MaxDeliveryAttempts; attempt++)
        {
            var status = await PostEventAsync(subscription, cloudEvent);
            Deliveries.Enqueue((subscription.Topic, id, status));
            switch (status)
            {
                case "SUCCESS":
                    return;
                case "DROP":
                    // Dapr forwards dropped messages to the dead-letter topic when one is set (dapr/dapr#7097).
                    if (subscription.DeadLetterTopic is { } dropped) _ = Publish(subscription.PubSub, dropped, cloudEvent["source"]?.ToString() ?? "", cloudEvent.DeepClone().AsObject());
                    return;
                case "NOT_FOUND":
                    return; // 404: Dapr logs and drops the message.
            }

            if (RetryDelay > TimeSpan.Zero && attempt < MaxDeliveryAttempts) await Task.Delay(RetryDelay);
        }

        if (subscription.DeadLetterTopic is { } deadLetter)
        {
            _ = Publish(subscription.PubSub, deadLetter, cloudEvent["source"]?.ToString() ?? "", cloudEvent.DeepClone().AsObject());
        }
    }

    private async Task<string> PostEventAsync(Subscription subscription, JsonObject cloudEvent)
    {
        if (!_apps.TryGetValue(subscription.AppId, out var handler)) return "RETRY";
        using var invoker = new HttpMessageInvoker(handler, disposeHandler: false);
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://localhost" + subscription.Route)
        {
            Content = new StringContent(cloudEvent.ToJsonString(), Encoding.UTF8, "application/cloudevents+json"),
        };
        AddAppToken(request);
        try
        {
            using var response = await invoker.SendAsync(request, CancellationToken.None);
            if (response.StatusCode == HttpStatusCode.NotFound) return "NOT_FOUND";
            if (response.StatusCode != HttpStatusCode.OK) return "RETRY";
            var text = await response.Content.ReadAsStringAsync();
            if (text.Length == 0) return "SUCCESS";
            return (JsonNode.Parse(text) as JsonObject)?["status"]?.ToString().ToUpperInvariant() switch
            {
                null or "" or "SUCCESS" => "SUCCESS",
                "DROP" => "DROP",
                _ => "RETRY",
            };
        }
        catch (Exception)
        {
            return "RETRY";
        }
    }

    private JsonObject Publish(string pubsub, string topic, string source, JsonNode data, string contentType = "application/json")
    {
        var cloudEvent = data is JsonObject o && o.ContainsKey("specversion")
            ? o // a dead-lettered CloudEvent travels as it is
            : new JsonObject
            {
                ["specversion"] = "1.0",
                ["id"] = Guid.NewGuid().ToString(),
                ["source"] = source,
                ["type"] = "com.dapr.event.sent",
                ["datacontenttype"] = contentType,
                ["pubsubname"] = pubsub,
                ["topic"] = topic,
                ["traceparent"] = "00-" + Guid.NewGuid().ToString("N") + "-" + Guid.NewGuid().ToString("N")[..16] + "-01",
                ["data"] = data,
            };
        lock (_gate) _published.Add(new PublishedEvent(topic, cloudEvent));
        _ = DeliverAsync(topic, cloudEvent);
        return cloudEvent;
    }

    private void AddAppToken(HttpRequestMessage request)
    {
        if (AppToken is not null) request.Headers.TryAddWithoutValidation("dapr-api-token", AppToken);
    }

    private async Task<HttpResponseMessage> HandleAsync(string callerAppId, HttpRequestMessage request, CancellationToken ct)
    {
        if (Unreachable) throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (test sidecar is down)");
        var segments = request.RequestUri!.AbsolutePath.Trim('/').Split('/', 5);
        return segments switch
        {
            // Dapr keeps the HTTP verb of an invocation (the forwarded /galleries routes use GET and DELETE too).
            ["v1.0", "invoke", var app, "method", var method] =>
                await InvokeAsync(Uri.UnescapeDataString(app), method + request.RequestUri.Query, request, ct),
            ["v1.0", "publish", var pubsub, var topic] when request.Method == HttpMethod.Post =>
                await PublishAsync(callerAppId, pubsub, topic, request, ct),
            ["v1.0", "state", _] when request.Method == HttpMethod.Post => await SaveStateAsync(request, ct),
            ["v1.0", "state", _, var key] when request.Method == HttpMethod.Get => GetState(Uri.UnescapeDataString(key)),
            ["v1.0", "state", _, var key] when request.Method == HttpMethod.Delete =>
                DeleteState(Uri.UnescapeDataString(key)),
            _ => DaprError(HttpStatusCode.NotFound, "ERR_NOT_FOUND", "not part of the test sidecar's API subset"),
        };
    }

    private async Task<HttpResponseMessage> InvokeAsync(string appId, string methodAndQuery, HttpRequestMessage request, CancellationToken ct)
    {
        var fault = _faults.GetValueOrDefault(appId);
        if (!_apps.TryGetValue(appId, out var handler) || fault?.Down == true)
        {
            // What daprd answers when the target app id has no healthy instance.
            return DaprError(HttpStatusCode.InternalServerError, "ERR_DIRECT_INVOKE",
                $"failed to invoke, id: {appId}, err: rpc error: code = Unavailable desc = connection refused");
        }

        if (fault?.Delay is { } delay) await Task.Delay(delay, ct);
        if (fault?.Hold is { } hold) await hold.WaitAsync(ct);
        if (fault?.Status is { } status)
        {
            return new HttpResponseMessage((HttpStatusCode)status)
            {
                Content = new StringContent("""{"detail":"Internal server error"}""", Encoding.UTF8, "application/json"),
            };
        }

        var path = methodAndQuery.Split('?', 2)[0];
        Invocations.Enqueue((appId, path));
        using var forwarded = new HttpRequestMessage(request.Method, "http://localhost/" + methodAndQuery);
        if (request.Content is not null)
        {
            var body = await request.Content.ReadAsByteArrayAsync(ct);
            forwarded.Content = new ByteArrayContent(body);
            foreach (var h in request.Content.Headers) forwarded.Content.Headers.TryAddWithoutValidation(h.Key, h.Value);
        }

        AddAppToken(forwarded);
        using var invoker = new HttpMessageInvoker(handler, disposeHandler: false);
        using var response = await invoker.SendAsync(forwarded, ct);
        var answer = new HttpResponseMessage(response.StatusCode)
        {
            Content = new ByteArrayContent(await response.Content.ReadAsByteArrayAsync(ct)),
        };
        foreach (var h in response.Content.Headers) answer.Content.Headers.TryAddWithoutValidation(h.Key, h.Value);
        Answers.Enqueue((appId, path, ModelRuns(response)));
        return answer;
    }

    private async Task<HttpResponseMessage> PublishAsync(string callerAppId, string pubsub, string topic, HttpRequestMessage request, CancellationToken ct)
    {
        var text = request.Content is null ? "" : await request.Content.ReadAsStringAsync(ct);
        var contentType = request.Content?.Headers.ContentType?.MediaType ?? "text/plain";
        JsonNode data;
        try
        {
            data = contentType.Contains("json", StringComparison.Ordinal) ? JsonNode.Parse(text)! : JsonValue.Create(text);
        }
        catch (System.Text.Json.JsonException)
        {
            data = JsonValue.Create(text); // Dapr keeps a body it cannot parse as a string
        }

        _ = Publish(Uri.UnescapeDataString(pubsub), Uri.UnescapeDataString(topic), callerAppId, data, contentType);
        return new HttpResponseMessage(HttpStatusCode.NoContent);
    }

    /// <summary>Publishes raw text as a client app would through its sidecar (for malformed requests).</summary>
    /// <returns>The CloudEvent as delivered.</returns>
    public JsonObject PublishRaw(string topic, string text, string contentType = "text/plain") =>
        Publish("pubsub", topic, "test-client", JsonValue.Create(text), contentType);

    /// <summary>Publishes JSON data as a client app would through its sidecar.</summary>
    /// <returns>The CloudEvent as delivered.</returns>
    public JsonObject PublishJson(string topic, JsonNode data) => Publish("pubsub", topic, "test-client", data);

    private async Task<HttpResponseMessage> SaveStateAsync(HttpRequestMessage request, CancellationToken ct)
    {
        if (JsonNode.Parse(await request.Content!.ReadAsStringAsync(ct)) is not JsonArray items)
        {
            return DaprError(HttpStatusCode.BadRequest, "ERR_MALFORMED_REQUEST", "expected a list of {key, value}");
        }

        foreach (var item in items.OfType<JsonObject>()) State[(string)item["key"]!] = item["value"]?.ToJsonString() ?? "null";
        return new HttpResponseMessage(HttpStatusCode.NoContent);
    }

    private HttpResponseMessage GetState(string key) =>
        State.TryGetValue(key, out var value)
            ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(value, Encoding.UTF8, "application/json") }
            : new HttpResponseMessage(HttpStatusCode.NoContent);

    private HttpResponseMessage DeleteState(string key)
    {
        State.TryRemove(key, out _);
        return new HttpResponseMessage(HttpStatusCode.NoContent);
    }

    private static HttpResponseMessage DaprError(HttpStatusCode status, string code, string message) =>
        new(status)
        {
            Content = new StringContent(new JsonObject { ["errorCode"] = code, ["message"] = message }.ToJsonString(),
                Encoding.UTF8, "application/json"),
        };

    private sealed class SidecarEndpoint(TestSidecar sidecar, string appId) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            sidecar.HandleAsync(appId, request, cancellationToken);
    }

    private sealed record PublishedEvent(string Topic, JsonObject CloudEvent);

    private static int ModelRuns(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Server-Timing", out var values)) return -1;
        var match = System.Text.RegularExpressions.Regex.Match(string.Join(',', values), "model;dur=[^;,]*;desc=\"(\\d+) runs\"");
        return match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : -1;
    }
}
