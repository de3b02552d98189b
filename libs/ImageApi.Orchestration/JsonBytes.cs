using System.Net.Http.Headers;
using ImageApi.Hosting;

namespace ImageApi.Orchestration;

/// <summary>JSON bodies without reflection: a <see cref="JsonNode"/> written straight to UTF-8.</summary>
internal static class JsonBytes
{
    public static byte[] Serialize(JsonNode node)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(16 * 1024);
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer, JsonResponse.WriterOptions)) node.WriteTo(writer);
        return buffer.WrittenSpan.ToArray();
    }

    public static ByteArrayContent Content(JsonNode node)
    {
        var content = new ByteArrayContent(Serialize(node));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }
}
