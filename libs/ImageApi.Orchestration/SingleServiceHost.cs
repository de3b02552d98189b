using ImageApi.Hosting;

namespace ImageApi.Orchestration;

/// <summary>
/// The whole of a distributed-mode host: one service of the contract in its own process (Dapr app-id = route
/// prefix = <paramref name="serviceName"/>), with the same defaults (health, /info, OpenAPI, telemetry, errors) as
/// the embedded host and the Dapr app token checked on every call. The twelve hosts differ only in the service and
/// the stages they register, so they say only that.
/// </summary>
public static class SingleServiceHost
{
    /// <param name="mapRoutes">Routes the service has beside its sample route (face-identifier's /galleries).</param>
    public static void Run(string[] args, string serviceName, Action<IServiceCollection> addStages, Action<WebApplication>? mapRoutes = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.AddImageApiDefaults();
        addStages(builder.Services);

        var app = builder.Build();
        app.MapImageApiDefaults();
        app.UseDaprAppToken();
        app.MapImageApiService(serviceName, pipelineStage: true);
        mapRoutes?.Invoke(app);
        app.RunImageApi(args);
    }
}
