namespace ImageApi.Distributed.Tests;

/// <summary>JSON equality for answers of two hosts: same document apart from <c>timings</c>, with the first
/// difference named when it fails.</summary>
public static class JsonAssert
{
    public static void EqualIgnoringTimings(JsonNode? expected, JsonNode? actual, string what)
    {
        var e = WithoutTimings(expected);
        var a = WithoutTimings(actual);
        if (JsonNode.DeepEquals(e, a)) return;
        Assert.Fail($"{what}: answers differ at {FirstDifference(e, a, "$")}");
    }

    private static JsonNode? WithoutTimings(JsonNode? node)
    {
        var copy = node?.DeepClone();
        if (copy is JsonObject o) o.Remove("timings");
        return copy;
    }

    private static string FirstDifference(JsonNode? e, JsonNode? a, string path)
    {
        switch (e, a)
        {
            case (JsonObject eo, JsonObject ao):
                foreach (var (key, value) in eo)
                {
                    if (!ao.ContainsKey(key)) return $"{path}.{key} (missing)";
                    if (!JsonNode.DeepEquals(value, ao[key])) return FirstDifference(value, ao[key], $"{path}.{key}");
                }

                return ao.Select(p => p.Key).FirstOrDefault(k => !eo.ContainsKey(k)) is { } extra ? $"{path}.{extra} (extra)" : path;
            case (JsonArray ea, JsonArray aa):
                if (ea.Count != aa.Count) return $"{path} (length {ea.Count} vs {aa.Count})";
                for (var i = 0; i < ea.Count; i++)
                {
                    if (!JsonNode.DeepEquals(ea[i], aa[i])) return FirstDifference(ea[i], aa[i], $"{path}[{i}]");
                }

                return path;
            default:
                return $"{path}: {Short(e)} vs {Short(a)}";
        }
    }

    private static string Short(JsonNode? n)
    {
        var s = n?.ToJsonString() ?? "null";
        return s.Length > 120 ? s[..120] + "…" : s;
    }
}
