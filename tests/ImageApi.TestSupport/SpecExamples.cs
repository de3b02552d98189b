using System.Text.Json.Nodes;

namespace ImageApi.TestSupport;

/// <summary>The vendor's request/response examples (shared/spec/examples), with real images substituted.</summary>
public static class SpecExamples
{
    /// <summary>The contract versions every service has examples in.</summary>
    public static readonly IReadOnlyList<string> Versions = ["v1", "v2"];

    /// <summary>Test cases: each of <paramref name="services"/> in each of <see cref="Versions"/>.</summary>
    public static Xunit.TheoryData<string, string> ServiceVersions(IEnumerable<string> services)
    {
        var data = new Xunit.TheoryData<string, string>();
        foreach (var service in services)
        foreach (var version in Versions) data.Add(service, version);
        return data;
    }

    public static string PathOf(string service, string version, string direction) =>
        Path.Combine(TestData.Shared, "spec", "examples", $"{service}.{version}.{direction}.json");

    public static JsonObject Load(string service, string version, string direction) =>
        JsonNode.Parse(File.ReadAllText(PathOf(service, version, direction)))!.AsObject();

    /// <summary>The example request with its image placeholder replaced by <paramref name="imageFile"/> (testdata-relative).</summary>
    public static JsonObject Request(string service, string version, string imageFile)
    {
        var request = Load(service, version, "request");
        WithImage(request, imageFile);
        return request;
    }

    /// <summary>Puts a real image into a v1 (<c>$image</c>) or v2 (<c>_image.blob</c>) body.</summary>
    public static JsonObject WithImage(JsonObject body, string imageFile)
    {
        var b64 = TestData.Base64(imageFile);
        if (body.ContainsKey("$image")) body["$image"] = b64;
        else if (body["_image"] is JsonObject img) img["blob"] = b64;
        return body;
    }

    /// <summary>Asserts that <paramref name="actual"/> has the same structure as <paramref name="expected"/>: every key of
    /// the expected object present with the same JSON value kind, recursively (arrays: element shape of the first item).</summary>
    public static void AssertSameShape(JsonNode? expected, JsonNode? actual, string path = "$")
    {
        if (expected is null) return;
        Xunit.Assert.True(actual is not null, $"{path}: missing");
        var ek = expected.GetValueKind();
        var ak = actual!.GetValueKind();
        static bool IsBool(System.Text.Json.JsonValueKind k) => k is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False;
        Xunit.Assert.True(ek == ak || (IsBool(ek) && IsBool(ak)), $"{path}: expected {ek}, got {ak}");
        switch (expected)
        {
            case JsonObject eo:
                foreach (var (key, value) in eo) AssertSameShape(value, actual.AsObject()[key], $"{path}.{key}");
                break;
            case JsonArray ea when ea.Count > 0:
                var aa = actual.AsArray();
                Xunit.Assert.True(aa.Count > 0, $"{path}: expected a non-empty array");
                AssertSameShape(ea[0], aa[0], $"{path}[0]");
                break;
        }
    }
}
