using ImageApi.Hosting;
using ImageApi.Orchestration;

// In the ASP.NET namespace like MapOpenApi: a host maps the route with one line and no extra using.
namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// <c>POST /pipeline/process/sample?services=a,b,c[&amp;timings=true][&amp;echo_image=false]</c>: runs the listed
/// services in order over one v1 or v2 sample, each stage's objects feeding the next (docs/distributed.md).
/// </summary>
public static class PipelineEndpoints
{
    public const string Route = "/pipeline/process/sample";
    public const string ServicesQuery = "services";
    public const string TimingsQuery = "timings";

    /// <summary>The name the pipeline route is logged and measured under (it is not one of the twelve services).</summary>
    public const string Name = "pipeline";

    /// <summary>Maps the pipeline route on the registered <see cref="IStageInvoker"/> (the orchestrator binds Dapr);
    /// a host that registers none runs the stages in-process, with the services it has.</summary>
    public static IEndpointRouteBuilder MapImageApiPipeline(this IEndpointRouteBuilder app)
    {
        var services = app.ServiceProvider;
        var pipeline = services.GetService<StagePipeline>()
                       ?? new StagePipeline(services.GetService<IStageInvoker>() ?? new InProcessStageInvoker(services),
                           services.GetRequiredService<IOptions<OrchestratorOptions>>());
        app.MapPost(Route, (HttpContext http, CancellationToken ct) => HandleAsync(http, pipeline))
            .WithName(Name + "/sample")
            .WithTags(Name)
            .WithSummary("Several services over one sample: ?services=face-detector-face-fitter,quality-assessment-estimator&timings=true")
            .Produces(StatusCodes.Status200OK, contentType: "application/json");
        return app;
    }

    private static async Task HandleAsync(HttpContext http, StagePipeline pipeline)
    {
        RequestLogFields.Set(http, Name, null);
        var services = ServiceList.Split(http.Request.Query[ServicesQuery]);
        if (ServiceList.Check(services) is { } problem)
        {
            object[] loc = problem.Index < 0 ? ["query", ServicesQuery] : ["query", ServicesQuery, problem.Index];
            throw new ApiException([new ValidationIssue(loc, problem.Message, problem.Index < 0 ? "missing" : "value_error")]);
        }

        var sample = await SampleRequest.ReadObjectAsync(http);
        var answer = await pipeline.RunPipelineAsync(services, sample, SampleRequest.EchoImage(http),
            SampleRequest.Flag(http, TimingsQuery), http.RequestAborted);
        RequestLogFields.Set(http, Name, answer);
        await JsonResponse.WriteAsync(http.Response, StatusCodes.Status200OK, answer, http.RequestAborted);
    }
}
