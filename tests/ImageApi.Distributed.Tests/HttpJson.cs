using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;

namespace ImageApi.Distributed.Tests;

/// <summary>Calls into an in-process host with JSON, raw or multipart bodies.</summary>
public static class HttpJson
{
    public static async Task<Answer> PostJsonAsync(this IAppHost host, string path, JsonNode body, IReadOnlyDictionary<string, string>? headers = null)
    {
        using var client = host.CreateClient();
        client.Timeout = TimeSpan.FromMinutes(5);
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        foreach (var (name, value) in headers ?? new Dictionary<string, string>()) content.Headers.TryAddWithoutValidation(name, value);
        var started = Stopwatch.GetTimestamp();
        using var response = await client.PostAsync(path, content);
        return await ReadAsync(response, started);
    }

    public static async Task<Answer> PostRawAsync(this IAppHost host, string path, string raw, string contentType = "application/json")
    {
        using var client = host.CreateClient();
        using var content = new StringContent(raw, Encoding.UTF8, contentType);
        var started = Stopwatch.GetTimestamp();
        using var response = await client.PostAsync(path, content);
        return await ReadAsync(response, started);
    }

    public static async Task<Answer> PostImageAsync(this IAppHost host, string path, byte[] image)
    {
        using var client = host.CreateClient();
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(image);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "image", "image.jpg");
        var started = Stopwatch.GetTimestamp();
        using var response = await client.PostAsync(path, form);
        return await ReadAsync(response, started);
    }

    public static async Task<Answer> GetAsync(this IAppHost host, string path)
    {
        using var client = host.CreateClient();
        var started = Stopwatch.GetTimestamp();
        using var response = await client.GetAsync(path);
        return await ReadAsync(response, started);
    }

    private static async Task<Answer> ReadAsync(HttpResponseMessage response, long started)
    {
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? body = null;
        try
        {
            if (text.Length > 0) body = JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
        }

        return new Answer((int)response.StatusCode, body, Stopwatch.GetElapsedTime(started));
    }
}
