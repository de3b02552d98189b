using System.Text.Json;
using System.Text.Json.Nodes;
using ImageApi.Imaging;
using Microsoft.Extensions.Options;

namespace ImageApi.Hosting;

/// <summary>
/// The vendor routes of one service: <c>POST /{service}/process/sample</c> (JSON, v1 or v2) and, for the detector
/// services, <c>POST /{service}/process/image</c> (multipart field <c>image</c>, answered in v2 shape).
/// Reading, validating and answering go through <see cref="SampleRequest"/>, as on every other route.
/// </summary>
public static class SampleEndpoints
{
    /// <summary>The 400 detail of a multipart body that cannot be parsed.</summary>
    public const string MalformedMultipart = "There was an error parsing the body";

    /// <param name="pipelineStage">The host is one stage of an orchestrator's pipeline (a single-service host of the
    /// distributed mode): the sample route reads the results earlier stages carried (<see cref="FaceResultsHandOff"/>)
    /// and passes them on with its own.</param>
    public static IEndpointRouteBuilder MapImageApiService(this IEndpointRouteBuilder app, string service, bool pipelineStage = false)
    {
        if (!ServiceNames.IsKnown(service)) throw new ArgumentException($"Unknown service '{service}'", nameof(service));
        app.ServiceProvider.GetRequiredService<HostedServices>().Names.Add(service);
        var group = app.MapGroup("/" + service).WithTags(service);
        group.MapPost("/process/sample", (HttpContext http, CancellationToken ct) => HandleSampleAsync(http, service, pipelineStage))
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

    private static async Task HandleSampleAsync(HttpContext http, string serviceName, bool pipelineStage)
    {
        var parser = http.RequestServices.GetRequiredService<SampleParser>();
        var service = SampleRequest.Resolve(http.RequestServices, serviceName);
        var node = SampleRequest.ParseJson(await SampleRequest.ReadBodyAsync(http));
        var sample = parser.Parse(node, service.NeedsImage, ServiceNames.Detectors.Contains(serviceName));
        var handOff = pipelineStage && FaceResultsHandOff.IsRequested(http.Request) ? sample.Image?.Faces : null;
        if (handOff is not null) FaceResultsHandOff.Read(sample.Root, handOff);
        await RunAsync(http, serviceName, service, sample, handOff);
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
        var sample = parser.FromUpload(ms.ToArray(), isDetector: true, echoImage: SampleRequest.EchoImage(http));
        await RunAsync(http, serviceName, SampleRequest.Resolve(http.RequestServices, serviceName), sample);
    }

    private static async Task RunAsync(HttpContext http, string serviceName, IImageApiService service, Sample sample, FaceResults? handOff = null)
    {
        var serviceTag = new KeyValuePair<string, object?>("service", serviceName);
        if (sample.Image is not null) HostingMetrics.ImagesInFlight.Add(1, serviceTag);
        try
        {
            // Model work at a lower OS priority than Kestrel and the health probes (InferenceThreads).
            await http.RequestServices.GetRequiredService<InferenceThreads>().RunAsync(() => service.ProcessAsync(sample, http.RequestAborted));
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

        if (!SampleRequest.EchoImage(http)) SampleRequest.RemoveImage(sample.Root);
        if (handOff is not null) FaceResultsHandOff.Write(sample.Root, handOff);

        RequestLogFields.Set(http, serviceName, sample);
        await JsonResponse.WriteAsync(http.Response, StatusCodes.Status200OK, sample.Root, http.RequestAborted);
    }
}
