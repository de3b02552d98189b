using System.Text.Json.Nodes;

namespace ImageApi.Liveness.Tests;

/// <summary>Request bodies and answer readers shared by the liveness tests.</summary>
internal static class LivenessRequests
{
    public static JsonObject ImageOnly(string file, string version) => version == "v1"
        ? new JsonObject { ["$image"] = TestData.Base64(file) }
        : new JsonObject { ["_image"] = new JsonObject { ["blob"] = TestData.Base64(file), ["format"] = "IMAGE" } };

    public static JsonObject WithFaces(string file, string version, params JsonObject[] faces)
    {
        var body = ImageOnly(file, version);
        body["objects"] = new JsonArray([.. faces]);
        return body;
    }

    public static JsonObject Face(params double[] bbox) => new() { ["class"] = "face", ["bbox"] = new JsonArray([.. bbox.Select(v => (JsonNode)v)]) };

    public static JsonObject[] FacesOf(JsonNode? body) =>
        [.. body!["objects"]!.AsArray().OfType<JsonObject>().Where(o => (string?)o["class"] == FieldNames.ClassFace)];

    /// <summary>(is real, confidence) of a face object's <c>liveness</c>, accepting v1 or v2 spelling.</summary>
    public static (bool IsReal, double Confidence) LivenessOf(JsonObject face)
    {
        var l = face["liveness"]!.AsObject();
        var value = (string)l["value"]!;
        Assert.Contains(value, new[] { "real", "fake", "REAL", "FAKE" });
        return (value is "real" or "REAL", (double)l["confidence"]!);
    }

    /// <summary>The face object with the largest bbox area (the subject of a portrait).</summary>
    public static JsonObject Largest(JsonObject[] faces) => faces.OrderByDescending(f =>
    {
        var b = f["bbox"]!.AsArray();
        return ((double)b[2]! - (double)b[0]!) * ((double)b[3]! - (double)b[1]!);
    }).First();
}
