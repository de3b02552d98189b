using System.Diagnostics;

namespace ImageApi.Hosting;

/// <summary>
/// Maps every failure to the vendor's <c>detail</c> body: <see cref="ApiException"/> to its status, an oversized body
/// to 413, anything unexpected to 500 — and writes the one structured log line per request (service, status, faces,
/// duration; never the image, a template or any base64).
/// </summary>
internal sealed partial class ErrorHandlingMiddleware(RequestDelegate next, ILogger<ErrorHandlingMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(http);
        }
        catch (Exception e) when (!http.Response.HasStarted && ApiErrors.From(e) is { } refusal)
        {
            HostingMetrics.Rejected.Add(1, new KeyValuePair<string, object?>("status", refusal.StatusCode), ServiceTag(http));
            await JsonResponse.WriteAsync(http.Response, refusal.StatusCode, ErrorBody.From(refusal), CancellationToken.None);
        }
        catch (BadHttpRequestException e) when (!http.Response.HasStarted)
        {
            var status = e.StatusCode == StatusCodes.Status413PayloadTooLarge ? 413 : 400;
            HostingMetrics.Rejected.Add(1, new KeyValuePair<string, object?>("status", status), ServiceTag(http));
            await JsonResponse.WriteAsync(http.Response, status,
                ErrorBody.Detail(status == 413 ? ErrorMessages.TooLarge : "Malformed request"), CancellationToken.None);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
        catch (Exception e) when (!http.Response.HasStarted)
        {
            LogUnhandled(e.GetType().Name, http.Request.Path);
            HostingMetrics.Rejected.Add(1, new KeyValuePair<string, object?>("status", 500), ServiceTag(http));
            await JsonResponse.WriteAsync(http.Response, 500, ErrorBody.Detail("Internal server error"), CancellationToken.None);
        }
        finally
        {
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (http.Items[RequestLogFields.ServiceKey] is string service || TryServiceFromPath(http.Request.Path, out service))
            {
                var faces = http.Items[RequestLogFields.FacesKey] as int? ?? 0;
                HostingMetrics.RequestDuration.Record(elapsed / 1000,
                    new KeyValuePair<string, object?>("service", service), new KeyValuePair<string, object?>("status", http.Response.StatusCode));
                LogRequest(service, http.Response.StatusCode, faces, elapsed);
            }
        }
    }

    private static KeyValuePair<string, object?> ServiceTag(HttpContext http) =>
        new("service", http.Items[RequestLogFields.ServiceKey] as string
                       ?? (TryServiceFromPath(http.Request.Path, out var service) ? service : ""));

    private static bool TryServiceFromPath(PathString path, out string service)
    {
        var value = path.Value ?? "";
        var slash = value.IndexOf('/', 1);
        service = slash > 1 ? value[1..slash] : "";
        return ServiceNames.IsKnown(service);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Service} answered {Status} with {Faces} objects in {ElapsedMs:F1} ms")]
    private partial void LogRequest(string service, int status, int faces, double elapsedMs);

    // Only the exception type and path are logged: messages of decoder/model exceptions could echo payload bytes.
    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled {ExceptionType} on {Path}")]
    private partial void LogUnhandled(string exceptionType, string path);
}
