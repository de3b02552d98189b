namespace ImageApi.Orchestration;

/// <summary>
/// Turns failures of a call through the sidecar into the client's answer: the app is down or unreachable → 502, it
/// failed (5xx) → 502 naming it, it did not answer in time → 504. Refusals (4xx, 501) are not faults: they pass on.
/// </summary>
public static class StageFaults
{
    public static ApiException Timeout(string service, TimeSpan timeout) =>
        new(504, $"Service '{service}' did not answer within {timeout.TotalSeconds:0.###} s");

    public static ApiException SidecarUnreachable(string service) =>
        new(502, $"Service '{service}' is unreachable: the Dapr sidecar did not accept the call");

    /// <summary>Null when <paramref name="answer"/> is a success or a refusal to pass on.</summary>
    public static ApiException? FromAnswer(DownstreamAnswer answer)
    {
        if (answer.StatusCode < 500 || answer.StatusCode == 501) return null;
        var body = answer.Json() as JsonObject;

        // Dapr's own failures (app not found, app down, resiliency timeout or open circuit) come as
        // {"errorCode": "ERR_DIRECT_INVOKE", "message": "..."} rather than the app's {"detail": ...}.
        if (body?["errorCode"] is JsonValue code && code.TryGetValue<string>(out var errorCode))
        {
            var message = body["message"] is JsonValue m && m.TryGetValue<string>(out var text) ? text : "";
            return message.Contains("deadline exceeded", StringComparison.OrdinalIgnoreCase)
                   || message.Contains("timeout", StringComparison.OrdinalIgnoreCase)
                ? new ApiException(504, $"Service '{answer.Service}' did not answer in time ({errorCode})")
                : new ApiException(502, $"Service '{answer.Service}' is unreachable ({errorCode})");
        }

        var detail = body?["detail"] is JsonValue d && d.TryGetValue<string>(out var s) ? ": " + s : "";
        return new ApiException(502, $"Service '{answer.Service}' failed with HTTP {answer.StatusCode}{detail}");
    }
}
