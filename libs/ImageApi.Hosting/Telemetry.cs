using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ImageApi.Hosting;

/// <summary>OpenTelemetry wiring (traces, metrics) — see the observability issue; a no-op placeholder until then.</summary>
public static class Telemetry
{
    public static IServiceCollection AddImageApiTelemetry(this IServiceCollection services, IConfiguration configuration, string serviceName)
    {
        _ = configuration;
        _ = serviceName;
        return services;
    }
}
