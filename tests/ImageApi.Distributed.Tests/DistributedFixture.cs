using Microsoft.Extensions.DependencyInjection;
using OrchestratorProgram = ImageApi.Hosts.Orchestrator.Program;

namespace ImageApi.Distributed.Tests;

/// <summary>
/// The distributed mode in one process: the twelve single-service hosts and the orchestrator behind the test sidecar
/// (app token on), plus the embedded host as the reference. Shared by every test class of the collection.
/// </summary>
public sealed class DistributedFixture : IAsyncLifetime
{
    public const string AppToken = "test-app-token";

    /// <summary>Timeout of the fault-test orchestrator's stage calls.</summary>
    public static readonly TimeSpan ShortStageTimeout = TimeSpan.FromSeconds(1);

    private readonly List<IAppHost> _hosts = [];

    public TestSidecar Sidecar { get; } = new() { AppToken = AppToken };

    public ImageApiFactory Embedded { get; } = new();

    public IReadOnlyDictionary<string, IAppHost> Services { get; private set; } = new Dictionary<string, IAppHost>();

    /// <summary>The front door (app-id orchestrator, the pub/sub subscriber). Generous stage timeout: real models on
    /// a loaded 2-core machine.</summary>
    public IAppHost Orchestrator { get; private set; } = null!;

    /// <summary>A second orchestrator with a 1 s stage timeout, for the fault tests (not a subscriber).</summary>
    public IAppHost FastFailOrchestrator { get; private set; } = null!;

    /// <summary>Results at most this large travel inline (small, so real answers exercise the state-store path).</summary>
    public const int InlineLimitBytes = 4096;

    public Task InitializeAsync()
    {
        var serviceSettings = new Dictionary<string, string?> { [DaprNames.AppApiTokenVariable] = AppToken };
        var services = new Dictionary<string, IAppHost>();
        foreach (var name in ServiceNames.AllWithAdditional)
        {
            var host = ServiceHosts.Create[name](serviceSettings);
            services[name] = host;
            _hosts.Add(host);
            Sidecar.AddApp(name, host.CreateHandler());
        }

        Services = services;
        Orchestrator = CreateOrchestrator(TimeSpan.FromMinutes(3));
        FastFailOrchestrator = CreateOrchestrator(ShortStageTimeout);
        Sidecar.AddApp(ServiceNames.Orchestrator, Orchestrator.CreateHandler());
        return Sidecar.DiscoverSubscriptionsAsync();
    }

    private IAppHost CreateOrchestrator(TimeSpan stageTimeout)
    {
        var settings = new Dictionary<string, string?>
        {
            [DaprNames.AppApiTokenVariable] = AppToken,
            ["Orchestrator:StageTimeout"] = stageTimeout.ToString("c"),
            ["Orchestrator:InlinePayloadLimitBytes"] = InlineLimitBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Dapr:HttpEndpoint"] = "http://127.0.0.1:3500",
        };
        var host = new HostFactory<OrchestratorProgram>(settings, s =>
        {
            s.AddHttpClient(DaprSidecar.InvokeClientName).ConfigurePrimaryHttpMessageHandler(() => Sidecar.CreateHandler(ServiceNames.Orchestrator));
            s.AddHttpClient(DaprSidecar.SidecarClientName).ConfigurePrimaryHttpMessageHandler(() => Sidecar.CreateHandler(ServiceNames.Orchestrator));
        });
        _hosts.Add(host);
        return host;
    }

    public async Task DisposeAsync()
    {
        await Sidecar.DeliveriesSettledAsync();
        foreach (var host in _hosts) host.Dispose();
        await Embedded.DisposeAsync();
    }
}
