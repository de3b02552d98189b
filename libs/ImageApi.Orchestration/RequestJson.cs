using System.Text.Json;
using System.Text.Json.Nodes;
using ImageApi.Contracts;
using ImageApi.Hosting;
using ImageApi.Pipeline;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ImageApi.Orchestration;

/// <summary>Request bodies of the orchestration routes: read with the host's size cap, JSON errors answered exactly
/// as the service routes answer them (<see cref="SampleEndpoints"/>).</summary>
internal static class RequestJson
{
    public static async Task<byte[]> ReadBytesAsync(HttpContext http)
    {
        var max = http.RequestServices.GetRequiredService<IOptions<SampleLimits>>().Value.MaxRequestBytes;
        if (http.Request.ContentLength > max) throw ApiException.TooLarge();
        using var ms = new MemoryStream((int)Math.Min(http.Request.ContentLength ?? 64 * 1024, max));
        var buffer = new byte[81920];
        int read;
        while ((read = await http.Request.Body.ReadAsync(buffer, http.RequestAborted)) > 0)
        {
            if (ms.Length + read > max) throw ApiException.TooLarge();
            ms.Write(buffer, 0, read);
        }

        return ms.ToArray();
    }

    public static async Task<JsonObject> ReadSampleAsync(HttpContext http)
    {
        var body = await ReadBytesAsync(http);
        JsonNode? node;
        try
        {
            using var activity = ImageApi.Inference.ImageApiTelemetry.StartStage("parse");
            node = JsonNode.Parse(body, documentOptions: new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw new ApiException([new ValidationIssue(["body", (int)(e.BytePositionInLine ?? 0)], "JSON decode error", "json_invalid")]);
        }

        return node as JsonObject
               ?? throw new ApiException([new ValidationIssue(["body"], "Input should be a valid dictionary", "dict_type")]);
    }

    public static bool EchoImage(HttpContext http) =>
        !http.Request.Query.TryGetValue(SampleEndpoints.EchoImageQuery, out var v)
        || !string.Equals(v.ToString(), "false", StringComparison.OrdinalIgnoreCase);

    public static bool Flag(HttpContext http, string name) =>
        http.Request.Query.TryGetValue(name, out var v)
        && (string.Equals(v.ToString(), "true", StringComparison.OrdinalIgnoreCase) || v.ToString() == "1");
}
