using ImageApi.Contracts;
using ImageApi.Hosting;
using ImageApi.Orchestration;

namespace ImageApi.Hosts.Orchestrator;

/// <summary>The distributed mode's front door (Dapr app-id <c>orchestrator</c>): no models of its own; every route
/// runs in the owning app through its Dapr sidecar. A class in its own namespace so tests can host it beside the
/// services.</summary>
public sealed class Program
{
    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.AddImageApiDefaults();
        builder.Services.AddDaprOrchestration();

        var app = builder.Build();
        app.MapImageApiDefaults();
        app.MapForwardedServices(ServiceNames.AllWithAdditional);
        app.MapForwardedRoutes("/galleries", ServiceNames.FaceIdentifier); // face-identifier's gallery management
        app.MapImageApiPipeline();
        app.MapRequestSubscription();
        app.RunImageApi(args);
    }
}
