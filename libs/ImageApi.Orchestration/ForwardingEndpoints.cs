using System.Net.Http.Headers;
using ImageApi.Hosting;

namespace ImageApi.Orchestration;

/// <summary>
/// The orchestrator's vendor routes: each forwarded as it came (body, content type, query) to the owning app by Dapr
/// service invocation, and the app's answer passed back byte for byte — or, for a multi-stage service configured in
/// <see cref="OrchestratorOptions.ComposedServices"/>, composed from its single-stage apps (JSON samples only).
/// </summary>
public static class ForwardingEndpoints
{
    public static IEndpointRouteBuilder MapForwardedServices(this IEndpointRouteBuilder app, IEnumerable<string> services)
    {
        var composed = app.ServiceProvider.GetRequiredService<IOptions<OrchestratorOptions>>().Value.ComposedServices;
        var hosted = app.ServiceProvider.GetRequiredService<HostedServices>();
        foreach (var service in services)
        {
            if (!ServiceNames.IsKnown(service)) throw new ArgumentException($"Unknown service '{service}'", nameof(services));
            hosted.Names.Add(service);
            var group = app.MapGroup("/" + service).WithTags(service);
            var sample = composed.Contains(service)
                ? group.MapPost("/process/sample", (HttpContext http, CancellationToken ct) => ComposeAsync(http, service))
                : group.MapPost("/process/sample", (HttpContext http, CancellationToken ct) => ForwardAsync(http, service, "process/sample"));
            sample.WithName(service + "/sample")
                .WithSummary($"{service}: JSON sample, v1 ($image) or v2 (_image) — forwarded to app '{service}' through Dapr")
                .Produces(StatusCodes.Status200OK, contentType: "application/json");
            if (ServiceNames.Detectors.Contains(service))
            {
                group.MapPost("/process/image", (HttpContext http, CancellationToken ct) => ForwardAsync(http, service, "process/image"))
                    .WithName(service + "/image")
                    .WithSummary($"{service}: multipart upload (field 'image') — forwarded to app '{service}' through Dapr")
                    .Produces(StatusCodes.Status200OK, contentType: "application/json")
                    .DisableAntiforgery();
            }
        }

        return app;
    }

    /// <summary>Forwards every request under <paramref name="prefix"/> (any method, body, query) to the same path of
    /// app <paramref name="service"/> — face-identifier's /galleries management routes, so that clients of the
    /// distributed mode manage galleries through the same front door.</summary>
    public static IEndpointRouteBuilder MapForwardedRoutes(this IEndpointRouteBuilder app, string prefix, string service)
    {
        if (!ServiceNames.IsKnown(service)) throw new ArgumentException($"Unknown service '{service}'", nameof(service));
        foreach (var pattern in new[] { prefix, prefix + "/{**rest}" })
        {
            app.MapMethods(pattern, ["GET", "POST", "DELETE"], (HttpContext http, CancellationToken ct) => ForwardPathAsync(http, service))
                .WithTags(service)
                .WithSummary($"{prefix}: forwarded to app '{service}' through Dapr");
        }

        return app;
    }

    private static async Task ForwardPathAsync(HttpContext http, string service)
    {
        var sidecar = http.RequestServices.GetRequiredService<DaprSidecar>();
        var method = new HttpMethod(http.Request.Method);
        HttpContent? content = null;
        if (method != HttpMethod.Get && method != HttpMethod.Delete)
        {
            content = new ReadOnlyMemoryContent(await SampleRequest.ReadBodyAsync(http));
            if (http.Request.ContentType is { } type && MediaTypeHeaderValue.TryParse(type, out var parsed)) content.Headers.ContentType = parsed;
        }

        var answer = await sidecar.InvokeAsync(method, service, $"{http.Request.Path}{http.Request.QueryString}", content, http.RequestAborted);
        http.Response.StatusCode = answer.StatusCode;
        if (answer.ContentType is not null) http.Response.ContentType = answer.ContentType;
        await http.Response.Body.WriteAsync(answer.Body, http.RequestAborted);
    }

    private static async Task ForwardAsync(HttpContext http, string service, string method)
    {
        var sidecar = http.RequestServices.GetRequiredService<DaprSidecar>();
        var content = new ReadOnlyMemoryContent(await SampleRequest.ReadBodyAsync(http));
        if (http.Request.ContentType is { } type && MediaTypeHeaderValue.TryParse(type, out var parsed)) content.Headers.ContentType = parsed;
        var answer = await sidecar.InvokeAsync(service, $"{service}/{method}{http.Request.QueryString}", content, http.RequestAborted);
        http.Response.StatusCode = answer.StatusCode;
        if (answer.ContentType is not null) http.Response.ContentType = answer.ContentType;
        await http.Response.Body.WriteAsync(answer.Body, http.RequestAborted);
    }

    private static async Task ComposeAsync(HttpContext http, string service)
    {
        var pipeline = http.RequestServices.GetRequiredService<StagePipeline>();
        var sample = await SampleRequest.ReadObjectAsync(http);
        var answer = await pipeline.RunServiceAsync(service, sample, SampleRequest.EchoImage(http), http.RequestAborted);
        await JsonResponse.WriteAsync(http.Response, StatusCodes.Status200OK, answer, http.RequestAborted);
    }
}
