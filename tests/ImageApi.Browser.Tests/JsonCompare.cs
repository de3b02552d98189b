using System.Text.Json;

namespace ImageApi.Browser.Tests;

/// <summary>Deep JSON equality where numbers may differ by float noise (the same photo through the same models).</summary>
internal static class JsonCompare
{
    public static void Equal(JsonNode? expected, JsonNode? actual, string path = "$")
    {
        switch (expected)
        {
            case null:
                Assert.True(actual is null, $"{path}: expected null, got {actual?.ToJsonString()}");
                return;
            case JsonObject e:
                var a = Assert.IsType<JsonObject>(actual);
                Assert.Equal(e.Select(p => p.Key).Order(StringComparer.Ordinal), a.Select(p => p.Key).Order(StringComparer.Ordinal));
                foreach (var (key, value) in e) Equal(value, a[key], $"{path}.{key}");
                return;
            case JsonArray e:
                var arr = Assert.IsType<JsonArray>(actual);
                Assert.True(e.Count == arr.Count, $"{path}: {e.Count} items expected, {arr.Count} found");
                for (var i = 0; i < e.Count; i++) Equal(e[i], arr[i], $"{path}[{i}]");
                return;
            default:
                Assert.NotNull(actual);
                if (expected.GetValueKind() == JsonValueKind.Number)
                {
                    Assert.Equal(JsonValueKind.Number, actual!.GetValueKind());
                    var x = expected.GetValue<double>();
                    var y = actual.GetValue<double>();
                    Assert.True(Math.Abs(x - y) <= 1e-4 * Math.Max(1, Math.Abs(x)), $"{path}: {x} vs {y}");
                }
                else
                {
                    Assert.True(JsonNode.DeepEquals(expected, actual), $"{path}: {expected.ToJsonString()} vs {actual!.ToJsonString()}");
                }

                return;
        }
    }
}
