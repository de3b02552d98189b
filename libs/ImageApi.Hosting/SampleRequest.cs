using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace ImageApi.Hosting;

/// <summary>
/// The one place where a request becomes a sample and a sample becomes an answer, for every host: the service routes
/// (<see cref="SampleEndpoints"/>), the pipeline route, the pub/sub handler, both stage invokers and the orchestrator's
/// forwarder. The body cap, the JSON error format, <c>echo_image</c>, stripping the image and the rule for a service
/// that is not registered are written here once, so every route answers the same input the same way.
/// </summary>
public static class SampleRequest
{
    /// <summary>Query option to leave the (large) image out of the echoed response.</summary>
    public const string EchoImageQuery = "echo_image";

    /// <summary>The request body, read into memory with the host's cap (<see cref="SampleLimits.MaxRequestBytes"/>):
    /// 413 past it, without trusting Content-Length (but refusing at once where it already says too much). Behind the
    /// request gate the body is already in memory, capped: that buffer is returned as it is (valid until the response
    /// is done).</summary>
    public static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.Request.Body is MemoryStream { Position: 0 } buffered && buffered.TryGetBuffer(out var whole))
        {
            return whole.AsMemory(0, (int)buffered.Length);
        }

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

        return ms.GetBuffer().AsMemory(0, (int)ms.Length);
    }

    /// <summary>Parses a JSON body; malformed JSON is a 422 in the vendor's (FastAPI's) <c>json_invalid</c> shape.</summary>
    public static JsonNode? ParseJson(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var activity = Inference.ImageApiTelemetry.StartStage("parse");
            return JsonNode.Parse(body.Span, documentOptions: new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw new ApiException([new ValidationIssue(["body", (int)(e.BytePositionInLine ?? 0)], "JSON decode error", "json_invalid")]);
        }
    }

    /// <summary>The body as a JSON object (a sample or an envelope); anything else is a 422 <c>dict_type</c>.</summary>
    public static async Task<JsonObject> ReadObjectAsync(HttpContext http) =>
        ParseJson(await ReadBodyAsync(http)) as JsonObject
        ?? throw new ApiException([new ValidationIssue(["body"], "Input should be a valid dictionary", "dict_type")]);

    /// <summary>Whether the answer echoes the image (the vendor's default) — <c>?echo_image=false</c> leaves it out.</summary>
    public static bool EchoImage(HttpContext http) =>
        !http.Request.Query.TryGetValue(EchoImageQuery, out var v) || !string.Equals(v.ToString(), "false", StringComparison.OrdinalIgnoreCase);

    /// <summary>A boolean query flag (<c>true</c> or <c>1</c>).</summary>
    public static bool Flag(HttpContext http, string name) =>
        http.Request.Query.TryGetValue(name, out var v)
        && (string.Equals(v.ToString(), "true", StringComparison.OrdinalIgnoreCase) || v.ToString() == "1");

    /// <summary>Takes the image out of an answer (either version's key).</summary>
    public static void RemoveImage(JsonObject sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        sample.Remove(FieldNames.ImageV1);
        sample.Remove(FieldNames.ImageV2);
    }

    /// <summary>The service registered under <paramref name="name"/>. Every service of the contract is implemented, so a
    /// known name that is not registered is a wiring error of the host (a 500 and a failing test), never an answer.</summary>
    public static IImageApiService Resolve(IServiceProvider services, string name)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!ServiceNames.IsKnown(name)) throw new ArgumentException($"Unknown service '{name}'", nameof(name));
        return services.GetKeyedService<IImageApiService>(name)
               ?? throw new InvalidOperationException($"Service '{name}' is routed but not registered in this host");
    }
}
