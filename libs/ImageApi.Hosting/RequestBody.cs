using ImageApi.Contracts;
using Microsoft.AspNetCore.Http;

namespace ImageApi.Hosting;

/// <summary>Reads a request body into memory with a hard cap (413 past it), without trusting Content-Length.</summary>
internal static class RequestBody
{
    public static async Task<byte[]> ReadAsync(HttpRequest request, long maxBytes, CancellationToken ct)
    {
        if (request.ContentLength > maxBytes) throw ApiException.TooLarge();
        var initial = (int)Math.Min(request.ContentLength ?? 64 * 1024, maxBytes);
        using var ms = new MemoryStream(initial);
        var buffer = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, ct)) > 0)
        {
            if (ms.Length + read > maxBytes) throw ApiException.TooLarge();
            ms.Write(buffer, 0, read);
        }

        return ms.ToArray();
    }
}
