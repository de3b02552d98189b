using System.Buffers;
using System.Threading.RateLimiting;
using ImageApi.Imaging;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace ImageApi.Hosting;

/// <summary>The <c>detail</c> of the answers of <see cref="RequestGate"/> and <see cref="ApiKeyGate"/>.</summary>
public static class ReliabilityErrors
{
    public const string ApiKey = "Missing or invalid API key";
    public const string Deadline = "Request deadline exceeded";
    public const string SlowBody = "Request body arrived too slowly";
    public const string Busy = "Service busy: too many requests in progress, retry later";
}

/// <summary>
/// In front of every POST route (all of them are model work): the body cap, the request deadline and admission
/// control. The body is read whole before a slot is taken, so a slow upload never holds one; then at most
/// <see cref="ReliabilityOptions.ConcurrencyLimit"/> requests run at once, a bounded queue waits, and anyone beyond it
/// is answered 503 with <c>Retry-After</c> at once. GET routes (health, /info) never wait here.
/// </summary>
internal sealed partial class RequestGate(
    RequestDelegate next, ConcurrencyLimiter limiter, IOptions<ReliabilityOptions> options, IOptions<SampleLimits> limits,
    ILogger<RequestGate> logger)
{
    public async Task InvokeAsync(HttpContext http)
    {
        if (!HttpMethods.IsPost(http.Request.Method))
        {
            await next(http);
            return;
        }

        var o = options.Value;
        var cap = limits.Value.MaxRequestBytes;
        var size = http.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (http.Request.ContentLength is { } length && length > cap)
        {
            // 413 before a byte is read. Kestrel then discards the body (bounded by its drain timeout) when allowed
            // to, so a client that writes everything before reading gets this answer instead of a reset connection.
            if (length <= o.DiscardOversizedBodyBytes && size is { IsReadOnly: false }) size.MaxRequestBodySize = length;
            else http.Response.Headers.Connection = "close";
            throw ApiException.TooLarge();
        }

        // Without a length the cap is counted below; Kestrel's own limit is raised so the rest can be discarded after
        // the 413 in the same way.
        if (http.Request.ContentLength is null && size is { IsReadOnly: false })
        {
            size.MaxRequestBodySize = Math.Max(cap, o.DiscardOversizedBodyBytes);
        }

        var clientGone = http.RequestAborted;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(clientGone);
        deadline.CancelAfter(o.RequestTimeout);
        // Handlers pass http.RequestAborted to the model work: it now fires when the client leaves or the deadline passes.
        http.RequestAborted = deadline.Token;
        var phase = Phase.Body;
        try
        {
            await BufferBodyAsync(http, cap, deadline.Token);
            phase = Phase.Queue;
            using var lease = await limiter.AcquireAsync(1, deadline.Token);
            if (!lease.IsAcquired)
            {
                LogRejected(http.Request.Path);
                throw Busy(http, o);
            }

            phase = Phase.Work;
            await next(http);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !clientGone.IsCancellationRequested
                                                 && !http.Response.HasStarted)
        {
            throw phase switch
            {
                Phase.Body => new ApiException(StatusCodes.Status408RequestTimeout, ReliabilityErrors.SlowBody),
                Phase.Queue => Busy(http, o),
                _ => new ApiException(StatusCodes.Status504GatewayTimeout, ReliabilityErrors.Deadline),
            };
        }
        catch (IOException) when (clientGone.IsCancellationRequested)
        {
            // The connection dropped mid-body: nobody to answer, nothing to log as a server error.
            throw new OperationCanceledException(clientGone);
        }
        finally
        {
            http.RequestAborted = clientGone;
        }
    }

    private static ApiException Busy(HttpContext http, ReliabilityOptions o)
    {
        http.Response.Headers.RetryAfter = o.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new ApiException(StatusCodes.Status503ServiceUnavailable, ReliabilityErrors.Busy);
    }

    /// <summary>Reads the whole body (at most <paramref name="cap"/> bytes, else 413) and puts it back as an in-memory
    /// stream for the handler, which reads it from there without another copy (<see cref="SampleRequest.ReadBodyAsync"/>).
    /// A body of known length up to <see cref="PixelBuffers.MaxPooledLength"/> goes into a pooled buffer, given back
    /// when the response is done: a photo's base64 body is megabytes, and every request, a refused one included, had
    /// one fresh on the large-object heap.</summary>
    private static async Task BufferBodyAsync(HttpContext http, long cap, CancellationToken ct)
    {
        var known = http.Request.ContentLength;
        MemoryStream body;
        if (known is > 0 and <= PixelBuffers.MaxPooledLength)
        {
            var pooled = PixelBuffers.Bytes.Rent((int)known.Value);
            http.Response.RegisterForDispose(new PooledBody(pooled));
            body = new MemoryStream(pooled, 0, (int)known.Value, writable: true, publiclyVisible: true);
            body.SetLength(0);
        }
        else
        {
            body = new MemoryStream((int)Math.Min(known ?? 64 * 1024, cap));
        }

        http.Response.RegisterForDispose(body);
        var buffer = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            int read;
            while ((read = await http.Request.Body.ReadAsync(buffer, ct)) > 0)
            {
                if (body.Length + read > cap) throw ApiException.TooLarge();
                body.Write(buffer, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        body.Position = 0;
        http.Request.Body = body;
    }

    /// <summary>Gives the pooled body buffer back when the response is disposed (after the last byte is sent).</summary>
    private sealed class PooledBody(byte[] buffer) : IDisposable
    {
        public void Dispose() => PixelBuffers.Bytes.Return(buffer);
    }

    private enum Phase { Body, Queue, Work }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected {Path} with 503: concurrency limit and queue are full")]
    private partial void LogRejected(string path);
}
