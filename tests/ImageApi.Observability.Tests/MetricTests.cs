using OpenTelemetry.Metrics;

namespace ImageApi.Observability.Tests;

/// <summary>Measurements exported through the hosting library's meter provider (in-memory exporter).</summary>
public sealed class MetricTests(ObservedHost host) : IClassFixture<ObservedHost>
{
    [Fact]
    public async Task FitterRequests_RecordRequestModelFaceAndRejectionMetrics()
    {
        host.Reset();
        using var client = host.Factory.CreateClient();
        var path = "/" + ServiceNames.FaceDetectorFaceFitter + "/process/sample";
        var ok = SpecExamples.Request(ServiceNames.FaceDetectorFaceFitter, "v2", "group/obama_and_biden.jpg");
        using (var r = await client.PostAsync(path, Json(ok.ToJsonString()))) Assert.Equal(200, (int)r.StatusCode);
        using (var r = await client.PostAsync(path, Json("""{"$image":"not base64!"}"""))) Assert.Equal(400, (int)r.StatusCode);

        host.FlushMetrics();
        var metrics = host.Metrics.Snapshot();

        var request = Points(metrics, "imageapi.request.duration");
        Assert.Contains(request, p => Tag(p, "service") == ServiceNames.FaceDetectorFaceFitter && Tag(p, "status") == "200" && p.GetHistogramCount() >= 1);
        Assert.Contains(request, p => Tag(p, "service") == ServiceNames.FaceDetectorFaceFitter && Tag(p, "status") == "400");

        var rejected = Points(metrics, "imageapi.request.rejected");
        Assert.Contains(rejected, p => Tag(p, "service") == ServiceNames.FaceDetectorFaceFitter && Tag(p, "status") == "400" && p.GetSumLong() >= 1);

        var runs = Points(metrics, "imageapi.model.run.duration");
        Assert.Contains(runs, p => Tag(p, "model")!.StartsWith("face-detector-", StringComparison.Ordinal) && Tag(p, "provider") == "CPU");
        Assert.Contains(runs, p => Tag(p, "model")!.StartsWith("face-landmarks-", StringComparison.Ordinal));

        var faces = Points(metrics, "imageapi.faces.per_image");
        Assert.Contains(faces, p => Tag(p, "service") == ServiceNames.FaceDetectorFaceFitter && p.GetHistogramCount() >= 1 && p.GetHistogramSum() >= 1);

        // Up and down once per image: nothing is left in flight after the answers.
        var inFlight = Points(metrics, "imageapi.images.in_flight");
        Assert.Contains(inFlight, p => Tag(p, "service") == ServiceNames.FaceDetectorFaceFitter && p.GetSumLong() == 0);

        // ASP.NET Core's own and the runtime's (process) instruments are exported as well.
        Assert.NotEmpty(Points(metrics, "http.server.request.duration"));
        Assert.NotEmpty(Points(metrics, "dotnet.process.memory.working_set"));
    }

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    private static List<MetricPoint> Points(List<MetricSnapshot> metrics, string name) =>
        [.. metrics.Where(m => m.Name == name).SelectMany(m => m.MetricPoints)];

    private static string? Tag(MetricPoint point, string key)
    {
        foreach (var tag in point.Tags)
        {
            if (tag.Key == key) return tag.Value?.ToString();
        }

        return null;
    }
}
