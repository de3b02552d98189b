using System.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace ImageApi.Observability.Tests;

/// <summary>
/// The embedded host with in-memory trace and metric exporters added to the telemetry the hosting library wires,
/// and a logger provider that captures every log line at Trace level. Waits until the models are warmed up, so
/// warm-up model runs never mix with a test's request.
/// </summary>
public sealed class ObservedHost : IAsyncLifetime
{
    private readonly ImageApiFactory _base = new();

    public ObservedHost() : this(_ => { })
    {
    }

    /// <summary>With extra host settings (e.g. API keys) on top of the capture.</summary>
    internal ObservedHost(Action<IWebHostBuilder> configure)
    {
        Factory = _base.WithWebHostBuilder(b =>
        {
            configure(b);
            b.ConfigureServices(s =>
            {
                s.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(Spans));
                s.ConfigureOpenTelemetryMeterProvider(m => m.AddInMemoryExporter(Metrics));
            });
            b.ConfigureLogging(l =>
            {
                l.AddProvider(Logs);
                // A provider-specific rule beats every category rule of appsettings.json: this sink sees it all.
                l.AddFilter<CapturingLoggerProvider>(null, LogLevel.Trace);
            });
        });
    }

    public WebApplicationFactory<Program> Factory { get; }
    public LockedCollection<Activity> Spans { get; } = new();
    public LockedCollection<MetricSnapshot> Metrics { get; } = new();
    public CapturingLoggerProvider Logs { get; } = new();

    public async Task InitializeAsync()
    {
        using var client = Factory.CreateClient();
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            using var ready = await client.GetAsync("/health/ready");
            if ((int)ready.StatusCode == 200) break;
            var why = await ready.Content.ReadAsStringAsync();
            if (deadline.Elapsed > TimeSpan.FromMinutes(3) || why.StartsWith("Unhealthy", StringComparison.Ordinal))
            {
                throw new TimeoutException($"/health/ready never answered 200: {why}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Forgets what start-up and earlier tests exported.</summary>
    public void Reset()
    {
        FlushMetrics();
        Spans.Clear();
        Metrics.Clear();
        Logs.Clear();
    }

    public void FlushMetrics() => Factory.Services.GetRequiredService<MeterProvider>().ForceFlush();

    /// <summary>Waits (bounded) until the server span of <paramref name="path"/> has ended: it is exported after the
    /// response, so the client can see the answer a moment before the span arrives.</summary>
    public async Task<Activity> ServerSpanAsync(string path)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var span = Spans.Snapshot().LastOrDefault(a => a.Kind == ActivityKind.Server && (a.GetTagItem("url.path") as string) == path);
            if (span is not null) return span;
            if (deadline.Elapsed > TimeSpan.FromSeconds(10)) throw new TimeoutException($"no server span for {path}");
            await Task.Delay(50);
        }
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await _base.DisposeAsync();
    }
}
