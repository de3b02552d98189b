using ImageApi.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ImageApi.Measurement;

/// <summary>
/// The product's own service container for an evaluation tool: the embedded host's defaults (configuration, model
/// catalog, decoder, limits) plus the stages the tool measures, never started as a server. Measuring through it means
/// the numbers are those of the shipped settings and code paths, not of a hand-built copy.
/// </summary>
public static class EvaluationHost
{
    public static WebApplication Build(Action<IServiceCollection> addStages)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.SetMinimumLevel(LogLevel.Warning); // progress lines of the tool stay readable
        builder.AddImageApiDefaults();
        addStages(builder.Services);
        return builder.Build();
    }
}
