using System.Text;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ImageApi.Templates.Tests;

/// <summary>Request builders and readers shared by the service tests.</summary>
internal static class TemplateRequests
{
    /// <summary>The method a host makes templates with when FaceTemplates:Method is not set.</summary>
    public static TemplateMethod DefaultMethod => new FaceTemplateOptions().ResolveMethod();

    /// <summary>The v2 key of <see cref="DefaultMethod"/>.</summary>
    public static string DefaultV2Key => DefaultMethod.V2Key;

    /// <summary>Every template method, by name (xunit data).</summary>
    public static TheoryData<string> Methods() => [.. TemplateMethod.All.Select(m => m.Name)];

    /// <summary>The embedded host making templates with <paramref name="method"/> (FaceTemplates:Method), everything else
    /// as <paramref name="factory"/>. Dispose it.</summary>
    public static WebApplicationFactory<Program> WithMethod(this ImageApiFactory factory, string method) =>
        factory.WithWebHostBuilder(b => b.UseSetting("FaceTemplates:Method", method));

    /// <summary>POSTs a JSON body to <c>/{service}/process/sample</c> of any host.</summary>
    public static async Task<(int Status, JsonNode? Body)> PostAsync(this WebApplicationFactory<Program> host, string service, JsonNode body)
    {
        using var client = host.CreateClient();
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await client.PostAsync($"/{service}/process/sample", content);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public static JsonObject ImageBody(string file, ApiVersion version) => version == ApiVersion.V1
        ? new JsonObject { ["$image"] = TestData.Base64(file) }
        : new JsonObject { ["_image"] = new JsonObject { ["blob"] = TestData.Base64(file), ["format"] = "IMAGE" } };

    /// <summary>The template object of an extracted face (v1: the object itself with $template/template_size; v2: template).</summary>
    public static JsonObject TemplateOnly(JsonObject face, ApiVersion version) => version == ApiVersion.V1
        ? new JsonObject
        {
            ["class"] = "face",
            ["$template"] = face["$template"]!.DeepClone(),
            ["template_size"] = face["template_size"]!.DeepClone(),
        }
        : new JsonObject { ["class"] = "face", ["template"] = face["template"]!.DeepClone() };

    public static JsonObject VerifyBody(JsonObject a, JsonObject b) => new() { ["objects"] = new JsonArray(a, b) };

    /// <summary>The template bytes of a face (v2: the one entry under <c>template</c>, whatever its method key).</summary>
    public static byte[] Blob(JsonObject face, ApiVersion version) => Convert.FromBase64String(version == ApiVersion.V1
        ? face["$template"]!.GetValue<string>()
        : face["template"]!.AsObject().Single().Value!["blob"]!.GetValue<string>());

    public static FaceTemplate Parse(JsonObject face, ApiVersion version)
    {
        Assert.True(FaceTemplate.TryParse(Blob(face, version), out var t, out var error), error);
        return t!;
    }

    /// <summary>The face objects of a response, largest box first.</summary>
    public static List<JsonObject> FacesBySize(JsonNode? response) =>
    [
        .. response!["objects"]!.AsArray().OfType<JsonObject>().Where(o => o["class"]?.GetValue<string>() == "face")
            .OrderByDescending(o =>
            {
                var b = o["bbox"]!.AsArray().Select(n => n!.GetValue<double>()).ToArray();
                return (b[2] - b[0]) * (b[3] - b[1]);
            }),
    ];

    /// <summary>The vendor example with its method key "_face_template_extractor_1000_12" renamed to this service's default.</summary>
    public static JsonNode? WithOurMethodKey(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                var copy = new JsonObject();
                foreach (var (key, value) in o)
                {
                    var k = key.StartsWith(FaceTemplate.V2KeyPrefix, StringComparison.Ordinal) ? DefaultV2Key : key;
                    copy[k] = WithOurMethodKey(value);
                }

                return copy;
            case JsonArray a:
                return new JsonArray([.. a.Select(WithOurMethodKey)]);
            default:
                return node?.DeepClone();
        }
    }
}
