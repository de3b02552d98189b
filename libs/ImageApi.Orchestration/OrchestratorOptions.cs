namespace ImageApi.Orchestration;

/// <summary>Settings of the orchestrator and the pipeline route, bound from the <c>Orchestrator</c> section.</summary>
public sealed class OrchestratorOptions
{
    public const string SectionName = "Orchestrator";

    /// <summary>Longest wait for one stage's answer (through the sidecar), then 504. A little above the resiliency
    /// policy's 30 s per-attempt timeout (components/), so the sidecar's own timeout and a retry of a fast failure
    /// normally come first; never a hang.</summary>
    public TimeSpan StageTimeout { get; set; } = TimeSpan.FromSeconds(40);

    /// <summary>Multi-stage services composed from single-stage apps instead of forwarded to their own app
    /// (comma-separated): <c>face-detector-liveness-estimator</c> (fitter → liveness-estimator) and/or
    /// <c>face-detector-template-extractor</c> (fitter → template-extractor). Empty here; the orchestrator
    /// (<see cref="OrchestrationRegistration.AddDaprOrchestration"/>) composes the liveness one by default, whose
    /// answers were measured equal to the embedded host's; see docs/distributed.md, "Composed services".</summary>
    public string ComposedServices { get; set; } = "";

    /// <summary><see cref="ComposedServices"/> as a list.</summary>
    public IReadOnlyList<string> ComposedServiceList() =>
        ComposedServices.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Pub/sub: results (serialized) larger than this go to the state store and travel by key.</summary>
    public int InlinePayloadLimitBytes { get; set; } = 256 * 1024;

    /// <summary>Time-to-live of offloaded results and of idempotency records in the state store.</summary>
    public int StateTtlSeconds { get; set; } = 3600;

    /// <summary>Request ids remembered in memory (in front of the state store) to answer redeliveries once.</summary>
    public int ProcessedCacheSize { get; set; } = 10_000;

    /// <summary>Answer <c>GET /dapr/subscribe</c> with the requests subscription. Off when the declarative
    /// Subscription resource (components/, the chart) is the only one wanted.</summary>
    public bool ProgrammaticSubscription { get; set; } = true;
}
