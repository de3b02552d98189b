using System.Buffers;
using System.Text.Json;
using System.Text.Encodings.Web;
using System.Text.Json.Nodes;
using ImageApi.Imaging;

namespace ImageApi.Hosting;

/// <summary>Writes a JSON node to the response without reflection (AOT-safe).</summary>
public static class JsonResponse
{
    /// <summary>
    /// How every API answer is written (hosts, pipeline, orchestrator, stage hand-offs): the relaxed encoder leaves
    /// base64's <c>+</c> and <c>/</c> and other printable ASCII as they are. The default encoder wrote <c>\u002B</c> for
    /// every <c>+</c> of an echoed image (≈ 8 % more bytes; 5 768 escapes on obama_1). It is only "unsafe" for JSON pasted
    /// into HTML; these bodies are served as <c>application/json</c>. Quotes, backslashes and control characters are
    /// still escaped.
    /// </summary>
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        SkipValidation = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static async Task WriteAsync(HttpResponse response, int status, JsonNode body, CancellationToken ct)
    {
        // Serialise into a buffer first: a value that cannot be written (e.g. NaN) then fails before the response has
        // started, so the error middleware can still answer a clean 500 instead of a half-written body.
        using var activity = ImageApi.Inference.ImageApiTelemetry.StartStage("write");
        // Pooled, and sized at once for an answer that echoes the request's image (most of the request's bytes):
        // growing a fresh buffer by doubling left ≈ 2 × the answer's size on the large-object heap per request.
        using var buffer = new PooledBufferWriter((int)Math.Min(response.HttpContext.Request.ContentLength ?? 0, PixelBuffers.MaxPooledLength) + 16 * 1024);
        await using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            body.WriteTo(writer);
        }

        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength = buffer.WrittenCount;
        await response.Body.WriteAsync(buffer.WrittenMemory, ct);
    }

    /// <summary>A growable buffer over <see cref="PixelBuffers.Bytes"/>, given back on dispose.</summary>
    private sealed class PooledBufferWriter(int initialCapacity) : IBufferWriter<byte>, IDisposable
    {
        private byte[] _buffer = PixelBuffers.Bytes.Rent(initialCapacity);

        public int WrittenCount { get; private set; }

        public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, WrittenCount);

        public void Advance(int count) => WrittenCount += count;

        public Memory<byte> GetMemory(int sizeHint = 0) => Reserve(sizeHint).AsMemory(WrittenCount);

        public Span<byte> GetSpan(int sizeHint = 0) => Reserve(sizeHint).AsSpan(WrittenCount);

        public void Dispose()
        {
            PixelBuffers.Bytes.Return(_buffer);
            _buffer = [];
        }

        private byte[] Reserve(int sizeHint)
        {
            var needed = WrittenCount + Math.Max(sizeHint, 1);
            if (needed <= _buffer.Length) return _buffer;
            var larger = PixelBuffers.Bytes.Rent(Math.Max(needed, 2 * _buffer.Length));
            _buffer.AsSpan(0, WrittenCount).CopyTo(larger);
            PixelBuffers.Bytes.Return(_buffer);
            return _buffer = larger;
        }
    }
}
