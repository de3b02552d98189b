using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ImageApi.Identification.Tests;

/// <summary>Calls of the /galleries routes and face-identifier on any host (embedded or single-service).</summary>
internal sealed class Api(HttpClient client)
{
    public static Api Of<T>(WebApplicationFactory<T> factory) where T : class => new(factory.CreateClient());

    public Task<(int Status, JsonNode? Body)> PostAsync(string path, JsonNode body) => SendAsync(HttpMethod.Post, path, body);

    public Task<(int Status, JsonNode? Body)> GetAsync(string path) => SendAsync(HttpMethod.Get, path, null);

    public Task<(int Status, JsonNode? Body)> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path, null);

    public async Task<(int Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, JsonNode? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public async Task CreateGalleryAsync(string id, JsonObject? extra = null)
    {
        var body = extra ?? new JsonObject();
        body["id"] = id;
        var (status, answer) = await PostAsync("/galleries", body);
        if (status != 201) throw new InvalidOperationException($"create gallery: {status} {answer?.ToJsonString()}");
    }

    public async Task AddPersonAsync(string gallery, string person)
    {
        var (status, answer) = await PostAsync($"/galleries/{gallery}/persons", new JsonObject { ["id"] = person });
        if (status != 201) throw new InvalidOperationException($"add person: {status} {answer?.ToJsonString()}");
    }

    public async Task<JsonNode> EnrolImageAsync(string gallery, string person, string file)
    {
        var (status, answer) = await PostAsync($"/galleries/{gallery}/persons/{person}/templates", Bodies.Image(file));
        if (status != 201) throw new InvalidOperationException($"enrol: {status} {answer?.ToJsonString()}");
        return answer!;
    }

    /// <summary>face-identifier on an image; the face objects of the answer.</summary>
    public async Task<(int Status, JsonNode? Body)> IdentifyAsync(JsonObject sample, string query) =>
        await PostAsync($"/face-identifier/process/sample?echo_image=false&{query}", sample);
}

internal static class Bodies
{
    public static JsonObject Image(string file, bool v1 = true) => v1
        ? new JsonObject { ["$image"] = TestData.Base64("identity/" + file) }
        : new JsonObject { ["_image"] = new JsonObject { ["blob"] = TestData.Base64("identity/" + file), ["format"] = "IMAGE" } };

    /// <summary>The face objects of an answer, largest box first.</summary>
    public static List<JsonObject> Faces(JsonNode? answer) =>
    [
        .. answer!["objects"]!.AsArray().OfType<JsonObject>().Where(o => o["class"]?.GetValue<string>() == "face")
            .OrderByDescending(o =>
            {
                var b = o["bbox"]!.AsArray().Select(n => n!.GetValue<double>()).ToArray();
                return (b[2] - b[0]) * (b[3] - b[1]);
            }),
    ];

    public static string Detail(JsonNode? body) => body!["detail"] is JsonArray a ? a[0]!["msg"]!.GetValue<string>() : body["detail"]!.GetValue<string>();
}
