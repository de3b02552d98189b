using System.Diagnostics.Metrics;
using ImageApi.Inference;

namespace ImageApi.Hosting;

/// <summary>Request-level metrics of the ImageApi meter.</summary>
public static class HostingMetrics
{
    public static readonly Histogram<double> RequestDuration =
        ImageApiTelemetry.Meter.CreateHistogram<double>("imageapi.request.duration", "s", "Request duration per service and status");

    public static readonly Counter<long> Rejected =
        ImageApiTelemetry.Meter.CreateCounter<long>("imageapi.request.rejected", "{request}", "Requests refused with a 4xx/5xx detail");
}
