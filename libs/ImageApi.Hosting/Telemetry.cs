using System.Reflection;
using ImageApi.Inference;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ImageApi.Hosting;

/// <summary>
/// OpenTelemetry wiring shared by every host (docs/observability.md): traces of ASP.NET Core, HttpClient and the
/// product's <c>ImageApi</c> source (stage and model-run spans); metrics of the <c>ImageApi</c> meter, ASP.NET Core,
/// HttpClient and the runtime (GC, JIT, thread pool, process CPU and memory). Nothing is exported unless an OTLP
/// endpoint is configured through the standard <c>OTEL_EXPORTER_OTLP_*</c> variables; W3C <c>traceparent</c> is the
/// SDK's default propagator, so a request that crosses services (Dapr forwards the header) stays one trace.
/// </summary>
public static class Telemetry
{
    /// <summary>Service name override (standard variable); otherwise the host's application name.</summary>
    public const string ServiceNameVariable = "OTEL_SERVICE_NAME";

    // Seconds: model runs take ~1–100 ms on CPU, requests up to a few seconds on 36 MP photos.
    private static readonly double[] DurationBounds = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 10];
    private static readonly double[] FaceCountBounds = [0, 1, 2, 3, 5, 10, 20, 50, 100];

    public static IServiceCollection AddImageApiTelemetry(this IServiceCollection services, IConfiguration configuration, string serviceName)
    {
        // Once per container: a host that calls the defaults twice must not double every span and instrument.
        if (services.Any(d => d.ServiceType == typeof(TelemetryMarker))) return services;
        services.AddSingleton<TelemetryMarker>();

        var name = configuration[ServiceNameVariable] is { Length: > 0 } configured ? configured : serviceName;
        var export = OtlpSignals.From(configuration);

        // Privacy: the only ASP.NET component that can write request bodies to the log is the HTTP-logging
        // middleware; its category is switched off (a rule added after configuration's, so it beats the usual
        // Logging:LogLevel entries), so enabling the middleware by mistake cannot leak an image or a template.
        services.AddLogging(l => l.AddFilter(HttpLoggingCategory, LogLevel.None).AddFilter(HttpLoggingCategory + ".HttpLoggingMiddleware", LogLevel.None));

        var otel = services.AddOpenTelemetry()
            // A service.version in OTEL_RESOURCE_ATTRIBUTES (the Helm chart sets the image tag) wins over the assembly's.
            .ConfigureResource(r => r.AddService(name,
                serviceVersion: configuration["OTEL_RESOURCE_ATTRIBUTES"]?.Contains("service.version=", StringComparison.Ordinal) == true ? null : Version,
                autoGenerateServiceInstanceId: true))
            .WithTracing(t =>
            {
                t.AddSource(ImageApiTelemetry.SourceName)
                    .AddAspNetCoreInstrumentation(o =>
                    {
                        // Probes hit these every few seconds; they would drown the traces of real work.
                        o.Filter = http => !http.Request.Path.StartsWithSegments("/health");
                        o.EnrichWithHttpResponse = (activity, response) =>
                        {
                            if (response.HttpContext.Items[RequestLogFields.ServiceKey] is string service)
                            {
                                activity.SetTag(ServiceTag, service);
                            }

                            if (response.HttpContext.Items[RequestLogFields.FacesKey] is int faces)
                            {
                                activity.SetTag(ImageApiTelemetry.FacesOutTag, faces);
                            }
                        };
                    })
                    .AddHttpClientInstrumentation();
                if (export.Traces) t.AddOtlpExporter();
            })
            .WithMetrics(m =>
            {
                m.AddMeter(ImageApiTelemetry.SourceName)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation() // the built-in System.Runtime meter: GC, JIT, thread pool, process CPU/memory
                    .AddView(ImageApiTelemetry.ModelRunDuration.Name, new ExplicitBucketHistogramConfiguration { Boundaries = DurationBounds })
                    .AddView(HostingMetrics.RequestDuration.Name, new ExplicitBucketHistogramConfiguration { Boundaries = DurationBounds })
                    .AddView(HostingMetrics.FacesPerImage.Name, new ExplicitBucketHistogramConfiguration { Boundaries = FaceCountBounds });
                if (export.Metrics) m.AddOtlpExporter();
            });
        if (export.Logs) otel.WithLogging(l => l.AddOtlpExporter());
        return services;
    }

    /// <summary>Span tag naming the vendor service a request went to.</summary>
    public const string ServiceTag = "imageapi.service";

    private const string HttpLoggingCategory = "Microsoft.AspNetCore.HttpLogging";

    private static string Version =>
        typeof(Telemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary>Which signals go to OTLP: a signal is exported when the common endpoint or its own is set.</summary>
    private readonly record struct OtlpSignals(bool Traces, bool Metrics, bool Logs)
    {
        public static OtlpSignals From(IConfiguration c)
        {
            var any = IsSet(c, "OTEL_EXPORTER_OTLP_ENDPOINT");
            return new OtlpSignals(
                any || IsSet(c, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"),
                any || IsSet(c, "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"),
                any || IsSet(c, "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT"));
        }

        private static bool IsSet(IConfiguration c, string key) => !string.IsNullOrWhiteSpace(c[key]);
    }

    private sealed class TelemetryMarker;
}
