using System.Text.Json.Nodes;

namespace ImageApi.Contracts;

/// <summary>Builds the vendor's error body: <c>{"detail": "..."}</c> or FastAPI's <c>{"detail": [{loc, msg, type}]}</c>.</summary>
public static class ErrorBody
{
    public static JsonObject From(ApiException error)
    {
        if (error.Issues is null)
        {
            return new JsonObject { ["detail"] = error.Detail };
        }

        var list = new JsonArray();
        foreach (var issue in error.Issues)
        {
            var loc = new JsonArray();
            foreach (var part in issue.Loc)
            {
                JsonNode item = part switch
                {
                    int i => JsonValue.Create(i),
                    _ => JsonValue.Create(part.ToString() ?? ""),
                };
                loc.Add(item);
            }

            JsonNode entry = new JsonObject { ["loc"] = loc, ["msg"] = issue.Msg, ["type"] = issue.Type };
            list.Add(entry);
        }

        return new JsonObject { ["detail"] = list };
    }

    public static JsonObject Detail(string detail) => new() { ["detail"] = detail };
}
