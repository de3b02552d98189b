using System.Text.Json;

namespace ImageApi.Orchestration;

/// <summary>What a service app answered through the sidecar: a success, or a refusal that is passed on to the client
/// as it is (4xx; 501 Not Implemented from an app of another version without the route).</summary>
public sealed record DownstreamAnswer(string Service, int StatusCode, string? ContentType, byte[] Body)
{
    public bool IsSuccess => StatusCode is >= 200 and < 300;

    /// <summary>The body as JSON; null when it is not JSON.</summary>
    public JsonNode? Json()
    {
        try
        {
            return Body.Length == 0 ? null : JsonNode.Parse(Body, documentOptions: new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The refusal as the exception the hosting layer turns back into the same status and <c>detail</c>.</summary>
    public ApiException ToApiException()
    {
        var detail = (Json() as JsonObject)?["detail"];
        if (detail is JsonValue v && v.TryGetValue<string>(out var text)) return new ApiException(StatusCode, text);
        if (detail is JsonArray list && StatusCode == 422 && TryReadIssues(list, out var issues)) return new ApiException(issues);
        return new ApiException(StatusCode, $"Service '{Service}' answered HTTP {StatusCode}");
    }

    // FastAPI validation list [{loc, msg, type}] back into issues: loc items are field names or array indexes.
    private static bool TryReadIssues(JsonArray list, out List<ValidationIssue> issues)
    {
        issues = [];
        foreach (var item in list)
        {
            if (item is not JsonObject o || o["loc"] is not JsonArray loc
                || o["msg"] is not JsonValue msg || !msg.TryGetValue<string>(out var m)
                || o["type"] is not JsonValue type || !type.TryGetValue<string>(out var t))
            {
                return false;
            }

            var parts = new List<object>(loc.Count);
            foreach (var part in loc)
            {
                if (part is not JsonValue pv) return false;
                if (pv.GetValueKind() == JsonValueKind.Number && pv.TryGetValue<int>(out var index)) parts.Add(index);
                else if (pv.TryGetValue<string>(out var name)) parts.Add(name);
                else return false;
            }

            issues.Add(new ValidationIssue(parts, m, t));
        }

        return issues.Count > 0;
    }
}
