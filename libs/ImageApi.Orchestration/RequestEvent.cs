using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ImageApi.Orchestration;

/// <summary>
/// One request of the <c>image-api-requests</c> topic, read from the CloudEvent envelope the sidecar delivers (bound
/// by hand from <see cref="JsonNode"/>: Dapr.AspNetCore's CloudEvents middleware fails under Native AOT (1.19.1,
/// docs/distributed.md). Data: <c>{request_id, service | pipeline, sample | sample_key, echo_image?, timings?}</c>.
/// </summary>
public sealed partial record RequestEvent(
    string RequestId, string? Service, IReadOnlyList<string>? Pipeline, JsonObject? Sample, string? SampleKey,
    bool EchoImage, bool Timings, string? TraceParent)
{
    public const string RequestIdField = "request_id";
    public const string ServiceField = "service";
    public const string PipelineField = "pipeline";
    public const string SampleField = "sample";
    public const string SampleKeyField = "sample_key";
    public const string EchoImageField = "echo_image";
    public const string TimingsField = "timings";

    /// <summary>Reads a delivered event (a CloudEvent, or the bare data of a raw-payload subscription).</summary>
    /// <returns>False for a message that can never be processed; <paramref name="reason"/> says why (no payload in it).</returns>
    public static bool TryParse(JsonNode? envelope, out RequestEvent? request, out string reason)
    {
        request = null;
        if (envelope is not JsonObject cloudEvent)
        {
            reason = "the event is not a JSON object";
            return false;
        }

        var data = cloudEvent.ContainsKey("specversion") ? DataOf(cloudEvent) : cloudEvent;
        if (data is null)
        {
            reason = "the event has no JSON object in data";
            return false;
        }

        if (!TryString(data, RequestIdField, out var id) || !KeyPattern().IsMatch(id))
        {
            reason = "request_id is missing or not 1-128 characters of [A-Za-z0-9._:-]";
            return false;
        }

        var hasService = TryString(data, ServiceField, out var service);
        var hasPipeline = data[PipelineField] is JsonArray;
        if (hasService == hasPipeline)
        {
            reason = "exactly one of service and pipeline is required";
            return false;
        }

        List<string>? pipeline = null;
        if (hasService && !ServiceNames.IsKnown(service))
        {
            reason = "service is not a known service name";
            return false;
        }

        if (hasPipeline)
        {
            pipeline = [];
            foreach (var item in data[PipelineField]!.AsArray())
            {
                if (item is not JsonValue v || !v.TryGetValue<string>(out var name))
                {
                    reason = "pipeline must be a list of service names";
                    return false;
                }

                pipeline.Add(name);
            }

            if (ServiceList.Check(pipeline) is { } problem)
            {
                reason = "pipeline: " + problem.Message;
                return false;
            }
        }

        var sample = data[SampleField] as JsonObject;
        var hasKey = TryString(data, SampleKeyField, out var sampleKey);
        if ((sample is null) == !hasKey || (hasKey && !KeyPattern().IsMatch(sampleKey)) || (data.ContainsKey(SampleField) && sample is null))
        {
            reason = "exactly one of sample (a JSON object) and sample_key (a state-store key) is required";
            return false;
        }

        // The sample leaves the event's tree: the pipeline answers with it.
        sample?.Parent?.AsObject().Remove(SampleField);
        var traceParent = cloudEvent["traceparent"] is JsonValue tp && tp.TryGetValue<string>(out var t) ? t : null;
        request = new RequestEvent(id, hasService ? service : null, pipeline, sample, hasKey ? sampleKey : null,
            Flag(data, EchoImageField), Flag(data, TimingsField), traceParent);
        reason = "";
        return true;
    }

    // data is an object for datacontenttype application/json; a string when the publisher sent JSON as text;
    // data_base64 for binary content types.
    private static JsonObject? DataOf(JsonObject cloudEvent)
    {
        try
        {
            return cloudEvent["data"] switch
            {
                JsonObject o => o,
                JsonValue v when v.TryGetValue<string>(out var text) => JsonNode.Parse(text) as JsonObject,
                null when cloudEvent["data_base64"] is JsonValue b && b.TryGetValue<string>(out var b64) =>
                    JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(b64))) as JsonObject,
                _ => null,
            };
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            return null;
        }
    }

    private static bool TryString(JsonObject o, string name, out string value)
    {
        value = o[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
        return value.Length > 0;
    }

    private static bool Flag(JsonObject o, string name) => o[name] is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    // Also what Dapr accepts inside a state key (no "||").
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")]
    private static partial Regex KeyPattern();
}
