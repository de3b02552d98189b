using System.Text.Json;
using System.Text.Json.Nodes;
using ImageApi.Contracts;
using ImageApi.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ImageApi.Hosting;

/// <summary>
/// The vendor routes of one service: <c>POST /{service}/process/sample</c> (JSON, v1 or v2) and, for the detector
/// services, <c>POST /{service}/process/image</c> (multipart field <c>image</c>, answered in v2 shape).
/// A service whose model work is not registered answers 501 — never a fake answer.
/// </summary>
public static class SampleEndpoints
{
    /// <summary>Query option to leave the (large) image out of the echoed response.</summary>
    public const string EchoImageQuery = "echo_image";

    /// <summary>The 400 detail of a multipart body that cannot be parsed.</summary>
    public const string MalformedMultipart = "There was an error parsing the body";

    public static IEndpointRouteBuilder MapImageApiService(this IEndpointRouteBuilder app, string service)
    {
        if (!ServiceNames.IsKnown(service)) throw new ArgumentException($"Unknown service '{service}'", nameof(service));
        app.ServiceProvider.GetRequiredService<HostedServices>().Names.Add(service);
        var group = app.MapGroup("/" + service).WithTags(service);
        group.MapPost("/process/sample", (HttpContext http, CancellationToken ct) => HandleSampleAsync(http, service))
            .WithName(service + "/sample")
            .WithSummary($"{service}: JSON sample, v1 ($image) or v2 (_image)")
            .Produces(StatusCodes.Status200OK, contentType: "application/json");
        if (ServiceNames.Detectors.Contains(service))
        {
            group.MapPost("/process/image", (HttpContext http, CancellationToken ct) => HandleImageAsync(http, service))
                .WithName(service + "/image")
                .WithSummary($"{service}: multipart upload (field 'image'), answered in v2 shape")
                .Produces(StatusCodes.Status200OK, contentType: "application/json")
                .DisableAntiforgery();
        }

        return app;
    }

    public static IEndpointRouteBuilder MapImageApiServices(this IEndpointRouteBuilder app, IEnumerable<string> services)
    {
        foreach (var s in services) app.MapImageApiService(s);
        return app;
    }

    private static async Task HandleSampleAsync(HttpContext http, string serviceName)
    {
        var parser = http.RequestServices.GetRequiredService<SampleParser>();
        var limits = http.RequestServices.GetRequiredService<IOptions<SampleLimits>>().Value;
        var body = await RequestBody.ReadAsync(http.Request, limits.MaxRequestBytes, http.RequestAborted);
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

        // Input is validated before the service is resolved, so every route reports bad input the same way.
        var service = http.RequestServices.GetKeyedService<IImageApiService>(serviceName);
        var needsImage = service?.NeedsImage ?? serviceName != ServiceNames.VerifyMatcher;
        var sample = parser.Parse(node, needsImage, ServiceNames.Detectors.Contains(serviceName));
        await RunAsync(http, service ?? Resolve(http, serviceName), sample);
    }

    private static async Task HandleImageAsync(HttpContext http, string serviceName)
    {
        var parser = http.RequestServices.GetRequiredService<SampleParser>();
        var limits = http.RequestServices.GetRequiredService<IOptions<SampleLimits>>().Value;
        if (!http.Request.HasFormContentType)
        {
            throw ApiException.Invalid("Expected multipart/form-data with a file field 'image'", "missing", "image");
        }

        if (http.Request.ContentLength > limits.MaxRequestBytes) throw ApiException.TooLarge();
        IFormCollection form;
        try
        {
            form = await http.Request.ReadFormAsync(http.RequestAborted);
        }
        catch (Exception e) when (e is InvalidDataException or IOException && !http.RequestAborted.IsCancellationRequested)
        {
            // A malformed multipart body (truncated boundary, oversized field name or part): the client's fault, not a
            // 500. Starlette's answer and wording, as the vendor's FastAPI service gives it.
            throw new ApiException(StatusCodes.Status400BadRequest, MalformedMultipart);
        }

        var file = form.Files.GetFile("image") ?? throw ApiException.Invalid("Field required", "missing", "image");
        if (file.Length > limits.MaxImageBytes) throw ApiException.TooLarge();
        using var ms = new MemoryStream((int)file.Length);
        await file.CopyToAsync(ms, http.RequestAborted);
        var sample = parser.FromUpload(ms.ToArray(), isDetector: true, echoImage: EchoImage(http));
        await RunAsync(http, Resolve(http, serviceName), sample);
    }

    private static async Task RunAsync(HttpContext http, IImageApiService service, Sample sample)
    {
        var serviceTag = new KeyValuePair<string, object?>("service", service.Name);
        if (sample.Image is not null) HostingMetrics.ImagesInFlight.Add(1, serviceTag);
        try
        {
            await service.ProcessAsync(sample, http.RequestAborted);
        }
        finally
        {
            if (sample.Image is not null) HostingMetrics.ImagesInFlight.Add(-1, serviceTag);
        }

        // Not via Sample.ObjectsOfClass: that would add an empty "objects" array to an answer that had none.
        if (sample.Image is not null && sample.Root[FieldNames.Objects] is JsonArray objects)
        {
            HostingMetrics.FacesPerImage.Record(objects.Count(o => o?[FieldNames.Class]?.GetValueKind() == JsonValueKind.String
                                                                   && o[FieldNames.Class]!.GetValue<string>() == "face"), serviceTag);
        }

        if (!EchoImage(http))
        {
            sample.Root.Remove(FieldNames.ImageV1);
            sample.Root.Remove(FieldNames.ImageV2);
        }

        RequestLogFields.Set(http, service.Name, sample);
        await JsonResponse.WriteAsync(http.Response, StatusCodes.Status200OK, sample.Root, http.RequestAborted);
    }

    private static bool EchoImage(HttpContext http) =>
        !http.Request.Query.TryGetValue(EchoImageQuery, out var v) || !string.Equals(v.ToString(), "false", StringComparison.OrdinalIgnoreCase);

    private static IImageApiService Resolve(HttpContext http, string name) =>
        http.RequestServices.GetKeyedService<IImageApiService>(name)
        ?? throw new ApiException(StatusCodes.Status501NotImplemented,
            $"Service '{name}' is not available in this build: its model work is not implemented yet");
}
