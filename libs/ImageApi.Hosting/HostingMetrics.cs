using System.Diagnostics.Metrics;
using ImageApi.Inference;

namespace ImageApi.Hosting;

/// <summary>Request-level metrics of the ImageApi meter (names listed in docs/observability.md).</summary>
public static class HostingMetrics
{
    public static readonly Histogram<double> RequestDuration =
        ImageApiTelemetry.Meter.CreateHistogram<double>("imageapi.request.duration", "s", "Request duration per service and status");

    public static readonly Counter<long> Rejected =
        ImageApiTelemetry.Meter.CreateCounter<long>("imageapi.request.rejected", "{request}", "Requests refused with a 4xx/5xx detail");

    public static readonly Histogram<int> FacesPerImage =
        ImageApiTelemetry.Meter.CreateHistogram<int>("imageapi.faces.per_image", "{face}", "Face objects in the answer of one image request");

    public static readonly UpDownCounter<long> ImagesInFlight =
        ImageApiTelemetry.Meter.CreateUpDownCounter<long>("imageapi.images.in_flight", "{image}", "Image requests being processed now");
}
