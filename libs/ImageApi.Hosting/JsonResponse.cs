using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ImageApi.Hosting;

/// <summary>Writes a JSON node to the response without reflection (AOT-safe).</summary>
public static class JsonResponse
{
    public static async Task WriteAsync(HttpResponse response, int status, JsonNode body, CancellationToken ct)
    {
        // Serialise into a buffer first: a value that cannot be written (e.g. NaN) then fails before the response has
        // started, so the error middleware can still answer a clean 500 instead of a half-written body.
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        await using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true }))
        {
            body.WriteTo(writer);
        }

        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength = buffer.WrittenCount;
        await response.Body.WriteAsync(buffer.WrittenMemory, ct);
    }
}
