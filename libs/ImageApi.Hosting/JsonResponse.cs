using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ImageApi.Hosting;

/// <summary>Writes a JSON node to the response without reflection (AOT-safe).</summary>
public static class JsonResponse
{
    public static async Task WriteAsync(HttpResponse response, int status, JsonNode body, CancellationToken ct)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(response.BodyWriter, new JsonWriterOptions { SkipValidation = true });
        body.WriteTo(writer);
        await writer.FlushAsync(ct);
    }
}
