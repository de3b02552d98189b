using Dapr.Client;
using ImageApi.Samples;

namespace ImageApi.Orchestration;

/// <summary>DI of the distributed mode's front door: stages run in their own apps through the Dapr sidecar.</summary>
public static class OrchestrationRegistration
{
    /// <summary>Composed by default: fitter → liveness-estimator answers exactly as the embedded host (measured on
    /// single- and multi-face photos, v1 and v2). The template composite is forwarded: through the JSON hop the v2
    /// keypoints travel as relative floats and the aligned crop, hence the template bytes, can differ.</summary>
    public const string DefaultComposedServices = ImageApi.Contracts.ServiceNames.FaceDetectorLivenessEstimator;

    public static IServiceCollection AddDaprOrchestration(this IServiceCollection services)
    {
        if (!services.RegistersFirst(nameof(AddDaprOrchestration))) return services;
        services.AddOptions<DaprOptions>().BindConfiguration(DaprOptions.SectionName).ValidateOnStart(new DaprOptionsValidator());
        services.AddOptions<OrchestratorOptions>()
            .Configure<IConfiguration>(OrchestratorOptions.ClearConfiguredLists)
            .BindConfiguration(OrchestratorOptions.SectionName)
            .ValidateOnStart(new OrchestratorOptionsValidator());
        services.AddSingleton(sp => DaprConnection.From(sp.GetRequiredService<IOptions<DaprOptions>>().Value,
            sp.GetRequiredService<IConfiguration>()));

        // Service invocation: Dapr.Client's InvocationHandler (what DaprClient.CreateInvokeHttpClient builds) turns
        // http://{app-id}/{method} into {sidecar}/v1.0/invoke/{app-id}/method/{method} and adds DAPR_API_TOKEN.
        // Timeouts are per call (DaprSidecar), so the client's own is off.
        services.AddHttpClient(DaprSidecar.InvokeClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .AddHttpMessageHandler(sp =>
            {
                var connection = sp.GetRequiredService<DaprConnection>();
                return new InvocationHandler { DaprEndpoint = connection.HttpEndpoint.ToString() };
            });
        services.AddHttpClient(DaprSidecar.SidecarClientName, c => c.Timeout = TimeSpan.FromSeconds(30));
        services.AddSingleton<DaprSidecar>();
        services.AddSingleton<IStageInvoker, DaprStageInvoker>();
        services.AddSingleton<StagePipeline>();
        services.AddSingleton<ProcessedRequests>();
        services.AddSingleton<RequestEventHandler>();
        return services;
    }
}
