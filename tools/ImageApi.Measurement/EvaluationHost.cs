using ImageApi.Hosting;
using ImageApi.Inference;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ImageApi.Measurement;

/// <summary>
/// The product's own service container for an evaluation tool: the embedded host's defaults (configuration, model
/// catalog, decoder, limits) plus the stages the tool measures, never started as a server. Measuring through it means
/// the numbers are those of the shipped settings and code paths, not of a hand-built copy.
/// </summary>
public static class EvaluationHost
{
    /// <summary>The host's container with <paramref name="addStages"/>; <paramref name="settings"/> (section:key →
    /// value, e.g. <c>FaceTemplates:Method</c> for one run of a benchmark) sit under every other configuration source,
    /// so the environment still overrides them as it would the host's.</summary>
    public static WebApplication Build(Action<IServiceCollection> addStages, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        if (settings is not null) builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = settings });
        builder.Logging.SetMinimumLevel(LogLevel.Warning); // progress lines of the tool stay readable
        builder.AddImageApiDefaults();
        addStages(builder.Services);
        return builder.Build();
    }

    /// <summary>The model catalog alone (the repository's <c>models/</c>, <paramref name="intraOpThreads"/> ORT threads,
    /// no logging), for a benchmark that times model families directly rather than through a service.</summary>
    public static ModelCatalog ModelCatalog(int intraOpThreads) =>
        new(Options.Create(new InferenceOptions { IntraOpThreads = intraOpThreads }), Options.Create(new ModelOptions()),
            NullLogger<ModelCatalog>.Instance);
}
