using System.ComponentModel.DataAnnotations;
using ImageApi.Samples;

namespace ImageApi.Orchestration;

/// <summary>Settings of the orchestrator and the pipeline route, bound from the <c>Orchestrator</c> section.</summary>
public sealed class OrchestratorOptions : IValidatableObject
{
    public const string SectionName = "Orchestrator";

    /// <summary>Longest wait for one stage's answer (through the sidecar), then 504. A little above the resiliency
    /// policy's 30 s per-attempt timeout (components/), so the sidecar's own timeout and a retry of a fast failure
    /// normally come first; never a hang.</summary>
    public TimeSpan StageTimeout { get; set; } = TimeSpan.FromSeconds(40);

    /// <summary>Multi-stage services composed from single-stage apps instead of forwarded to their own app, bound as
    /// a list (<c>Orchestrator__ComposedServices__0=…</c>): <c>face-detector-liveness-estimator</c> (fitter →
    /// liveness-estimator) and/or <c>face-detector-template-extractor</c> (fitter → template-extractor). Default: the
    /// liveness one (<see cref="OrchestrationRegistration.DefaultComposedServices"/>), whose answers were measured equal
    /// to the embedded host's; a configured list replaces it, an empty value (<c>Orchestrator__ComposedServices=</c>)
    /// forwards all; see docs/distributed.md, "Composed services".</summary>
    public string[] ComposedServices { get; set; } = [OrchestrationRegistration.DefaultComposedServices];

    /// <summary>Pub/sub: results (serialized) larger than this go to the state store and travel by key.</summary>
    [Range(0, int.MaxValue)]
    public int InlinePayloadLimitBytes { get; set; } = 256 * 1024;

    /// <summary>Time-to-live of offloaded results and of idempotency records in the state store.</summary>
    [Range(0, int.MaxValue)]
    public int StateTtlSeconds { get; set; } = 3600;

    /// <summary>Request ids remembered in memory (in front of the state store) to answer redeliveries once.</summary>
    [Range(0, int.MaxValue)]
    public int ProcessedCacheSize { get; set; } = 10_000;

    /// <summary>Answer <c>GET /dapr/subscribe</c> with the requests subscription. Off when the declarative
    /// Subscription resource (components/, the chart) is the only one wanted.</summary>
    public bool ProgrammaticSubscription { get; set; } = true;

    /// <summary>Runs before binding: a configured <see cref="ComposedServices"/> starts empty, so binding, which
    /// appends, replaces the default instead of adding to it.</summary>
    public static void ClearConfiguredLists(OrchestratorOptions options, IConfiguration configuration)
    {
        if (ListSetting.IsConfigured<OrchestratorOptions>(configuration.GetSection(SectionName), nameof(ComposedServices))) options.ComposedServices = [];
    }

    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        if (StageTimeout <= TimeSpan.Zero) yield return new ValidationResult("Orchestrator:StageTimeout must be positive", [nameof(StageTimeout)]);
        if (!ComposedServices.All(CompositeServices.IsComposite))
            yield return new ValidationResult(
                "Orchestrator:ComposedServices may only name face-detector-template-extractor and face-detector-liveness-estimator",
                [nameof(ComposedServices)]);
    }
}

/// <summary>Start-up check of <see cref="OrchestratorOptions"/>: its attributes, a positive stage timeout and composable services only.</summary>
[OptionsValidator]
public sealed partial class OrchestratorOptionsValidator : IValidateOptions<OrchestratorOptions>;
