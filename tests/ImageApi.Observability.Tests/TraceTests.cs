using System.Diagnostics;
using ImageApi.Faces;
using ImageApi.Hosting;
using ImageApi.Imaging;
using ImageApi.Inference;

namespace ImageApi.Observability.Tests;

/// <summary>Spans exported through the hosting library's OpenTelemetry wiring (in-memory exporter), real models.</summary>
public sealed class TraceTests(ObservedHost host) : IClassFixture<ObservedHost>
{
    private const string FitterPath = "/" + ServiceNames.FaceDetectorFaceFitter + "/process/sample";
    private const string TwoFaces = "group/obama_and_biden.jpg";

    private static readonly string[] ModelTags =
    [
        "imageapi.model.name", "imageapi.model.version", "imageapi.model.provider", "imageapi.model.batch_size", "imageapi.model.input_shape",
    ];

    [Fact]
    public async Task FaceFitterRequest_OneTrace_HasServerStageAndModelSpans()
    {
        host.Reset();
        using var client = host.Factory.CreateClient();
        var body = SpecExamples.Request(ServiceNames.FaceDetectorFaceFitter, "v2", TwoFaces);
        using var response = await client.PostAsync(FitterPath, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal(200, (int)response.StatusCode);

        var server = await host.ServerSpanAsync(FitterPath);
        var spans = host.Spans.Snapshot();

        // Everything exported since the reset belongs to this one request, and to one trace.
        Assert.Single(spans.Select(s => s.TraceId).Distinct());
        Assert.Equal(ServiceNames.FaceDetectorFaceFitter, server.GetTagItem(Telemetry.ServiceTag));
        Assert.Equal(200, server.GetTagItem("http.response.status_code"));
        var ours = spans.Where(s => s.Source.Name == ImageApiTelemetry.SourceName).ToList();
        Assert.All(ours, s => Assert.True(DescendsFrom(s, server, spans), $"{s.DisplayName} is not under the server span"));

        var stages = ours.Where(s => s.DisplayName.StartsWith("stage ", StringComparison.Ordinal)).Select(s => s.DisplayName).ToHashSet();
        Assert.Contains("stage decode", stages);
        Assert.Contains("stage detect", stages);
        Assert.Contains("stage landmarks", stages);
        Assert.Contains("stage pose", stages);

        var models = ours.Where(s => s.DisplayName.StartsWith("model ", StringComparison.Ordinal)).ToList();
        Assert.All(models, AssertModelSpan);
        var families = models.Select(m => (string)m.GetTagItem("imageapi.model.name")!).ToList();
        Assert.Contains(families, n => n.StartsWith("face-detector-", StringComparison.Ordinal));
        Assert.Contains(families, n => n.StartsWith("face-landmarks-", StringComparison.Ordinal));
        Assert.Contains(families, n => n.StartsWith("face-headpose-", StringComparison.Ordinal));

        // The server span says how many objects the answer has.
        var answer = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(answer["objects"]!.AsArray().Count, server.GetTagItem(ImageApiTelemetry.FacesOutTag));

        // No span carries the payload.
        var b64 = TestData.Base64(TwoFaces);
        Assert.All(spans, s => Assert.DoesNotContain(s.TagObjects, t => t.Value?.ToString()?.Contains(b64[1000..1064], StringComparison.Ordinal) == true));
    }

    [Fact]
    public void DetectStage_InsideARequestSpan_EmitsDecodeAndModelRunChildrenWithModelAttributes()
    {
        host.Reset();
        var detector = host.Factory.Services.GetRequiredService<FaceDetector>();
        var decoder = host.Factory.Services.GetRequiredService<ImageDecoder>();
        var catalog = host.Factory.Services.GetRequiredService<ModelCatalog>();
        IReadOnlyList<DetectedFace> faces;
        ActivitySpanId parentId;
        using (var parent = ImageApiTelemetry.StartStage("test-request"))
        {
            Assert.NotNull(parent); // the OpenTelemetry tracer provider listens to the ImageApi source
            parentId = parent.SpanId;
            faces = detector.Detect(new ImageSource(TestData.Bytes(TwoFaces), decoder));
        }

        var spans = host.Spans.Snapshot();
        var detect = spans.Single(s => s.DisplayName == "stage detect");
        Assert.Equal(parentId, detect.ParentSpanId);
        Assert.Equal(faces.Count, detect.GetTagItem(ImageApiTelemetry.FacesOutTag));
        Assert.NotEmpty(faces);

        // The detector may run more than one pass (different input sizes): every decode and every model run is a child.
        var decodes = spans.Where(s => s.DisplayName == "stage decode").ToList();
        Assert.NotEmpty(decodes);
        Assert.All(decodes, d => Assert.Equal(detect.SpanId, d.ParentSpanId));
        Assert.Contains(decodes, d => Math.Max((int)d.GetTagItem("imageapi.image.width")!, (int)d.GetTagItem("imageapi.image.height")!)
                                      == detector.Options.InputLongSide);

        var runs = spans.Where(s => s.DisplayName == "model " + detector.Options.Model).ToList();
        Assert.NotEmpty(runs);
        Assert.All(runs, model =>
        {
            Assert.Equal(detect.SpanId, model.ParentSpanId);
            AssertModelSpan(model);
            Assert.Equal(catalog.Manifest.Get(detector.Options.Model).Version, model.GetTagItem("imageapi.model.version"));
            Assert.Equal("CPU", model.GetTagItem("imageapi.model.provider"));
            Assert.Equal(1L, model.GetTagItem("imageapi.model.batch_size"));
            Assert.StartsWith("1x3x", (string)model.GetTagItem("imageapi.model.input_shape")!);
        });
    }

    [Fact]
    public async Task Request_WithW3cTraceparent_ContinuesTheCallersTrace()
    {
        host.Reset();
        var traceId = ActivityTraceId.CreateRandom();
        var callerSpan = ActivitySpanId.CreateRandom();
        using var client = host.Factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, FitterPath)
        {
            Content = new StringContent(SpecExamples.Request(ServiceNames.FaceDetectorFaceFitter, "v1", TwoFaces).ToJsonString(),
                Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("traceparent", $"00-{traceId}-{callerSpan}-01");
        using var response = await client.SendAsync(request);
        Assert.Equal(200, (int)response.StatusCode);

        var server = await host.ServerSpanAsync(FitterPath);
        Assert.Equal(traceId, server.TraceId);
        Assert.Equal(callerSpan, server.ParentSpanId);
        Assert.All(host.Spans.Snapshot(), s => Assert.Equal(traceId, s.TraceId));
    }

    [Fact]
    public async Task HealthProbes_AreNotTraced()
    {
        host.Reset();
        using var client = host.Factory.CreateClient();
        Assert.Equal(200, (int)(await client.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(200, (int)(await client.GetAsync("/info")).StatusCode);
        await host.ServerSpanAsync("/info"); // a traced request after the probe: the probe's span would be exported by now
        Assert.DoesNotContain(host.Spans.Snapshot(), s => (s.GetTagItem("url.path") as string)?.StartsWith("/health", StringComparison.Ordinal) == true);
    }

    private static void AssertModelSpan(Activity span)
    {
        foreach (var tag in ModelTags) Assert.True(span.GetTagItem(tag) is not null, $"{span.DisplayName}: missing {tag}");
        Assert.Equal("model " + span.GetTagItem("imageapi.model.name"), span.DisplayName);
    }

    private static bool DescendsFrom(Activity span, Activity ancestor, List<Activity> all)
    {
        var byId = all.ToDictionary(a => a.SpanId);
        var current = span;
        for (var depth = 0; depth < 32; depth++)
        {
            if (current.ParentSpanId == ancestor.SpanId) return true;
            if (!byId.TryGetValue(current.ParentSpanId, out var parent)) return false;
            current = parent;
        }

        return false;
    }
}
