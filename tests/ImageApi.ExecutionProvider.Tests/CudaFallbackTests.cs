using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using ImageApi.Contracts;
using ImageApi.Inference;
using ImageApi.TestSupport;

namespace ImageApi.ExecutionProvider.Tests;

/// <summary>CUDA asked for, cannot start, fallback off (the default): the host never becomes ready, and says why.</summary>
public sealed class CudaRefusalTests(CudaNoFallbackHost host) : IClassFixture<CudaNoFallbackHost>
{
    [Fact]
    public async Task HealthReady_CudaCannotStart_Is503WithTheReasonAndTheWayOut()
    {
        var (status, body) = await host.SettledReadinessAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.StartsWith("Unhealthy: Inference:ExecutionProvider is CUDA but the CUDA execution provider could not start", body);
        Assert.Contains($"({ModelCatalog.Flavour} build of ONNX Runtime)", body);
        Assert.Contains("Inference__AllowCpuFallback=true", body);
    }

    [Fact]
    public async Task Info_CudaCannotStart_NotReadyAndNoModelOnTheCpu()
    {
        await host.SettledReadinessAsync();
        using var client = host.CreateClient();
        var info = JsonNode.Parse(await client.GetStringAsync("/info"))!;

        Assert.Equal("CUDA", info["execution_provider"]!.GetValue<string>());
        Assert.False(info["ready"]!.GetValue<bool>());
        Assert.Null(info["fallback"]);
        // Nothing quietly opened on the CPU in the meantime.
        Assert.DoesNotContain(info["models"]!.AsArray(), m => m!["provider"]!.GetValue<string>() == "CPU");
    }
}

/// <summary>CUDA asked for, cannot start, <c>Inference:AllowCpuFallback=true</c>: answers from the CPU and reports it.</summary>
public sealed class CudaFallbackTests(CudaWithFallbackHost host) : IClassFixture<CudaWithFallbackHost>
{
    [Fact]
    public async Task HealthReady_FallbackAllowed_Is200()
    {
        var (status, body) = await host.SettledReadinessAsync();
        Assert.True(status == HttpStatusCode.OK, body);
    }

    [Fact]
    public async Task Detect_FallbackAllowed_FindsTheFaceOnTheCpu()
    {
        Assert.Equal(HttpStatusCode.OK, (await host.SettledReadinessAsync()).Status);
        var (status, body) = await host.PostSampleAsync(ServiceNames.FaceDetectorFaceFitter,
            new JsonObject { ["$image"] = TestData.Base64("identity/obama_1.jpg") });

        Assert.Equal(200, status);
        var faces = body!["objects"]!.AsArray().Where(o => o!["class"]?.GetValue<string>() == "face").ToList();
        var face = Assert.Single(faces);
        Assert.True(face!["confidence"]!.GetValue<double>() > 0.5);
        // labels.csv: one face, top=142 bottom=409 px of the 1137 px high photo; bbox is relative [x1, y1, x2, y2].
        var bbox = face["bbox"]!.AsArray().Select(v => v!.GetValue<double>()).ToList();
        var centreY = (bbox[1] + bbox[3]) / 2 * 1137;
        Assert.InRange(centreY, 142, 409);
    }

    [Fact]
    public async Task Info_FallbackAllowed_ReportsCudaAskedCpuUsedAndWhy()
    {
        Assert.Equal(HttpStatusCode.OK, (await host.SettledReadinessAsync()).Status);
        using var client = host.CreateClient();
        var info = JsonNode.Parse(await client.GetStringAsync("/info"))!;

        Assert.Equal("CUDA", info["execution_provider"]!.GetValue<string>());
        Assert.Equal(ModelCatalog.Flavour, info["onnxruntime"]!.GetValue<string>());
        var reason = info["fallback"]!.GetValue<string>();
        Assert.StartsWith("the CUDA execution provider could not start for model '", reason);
        var models = info["models"]!.AsArray();
        Assert.NotEmpty(models);
        foreach (var m in models)
        {
            Assert.Equal("CPU", m!["provider"]!.GetValue<string>());
            Assert.Equal(reason, m["fallback"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task ModelSpans_FallbackAllowed_CarryTheFallbackReason()
    {
        Assert.Equal(HttpStatusCode.OK, (await host.SettledReadinessAsync()).Status);
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == ImageApiTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (spans) spans.Add(a); },
        };
        ActivitySource.AddActivityListener(listener);

        var (status, _) = await host.PostSampleAsync(ServiceNames.FaceDetectorFaceFitter,
            new JsonObject { ["$image"] = TestData.Base64("identity/obama_1.jpg") });

        Assert.Equal(200, status);
        List<Activity> runs;
        lock (spans) runs = [.. spans.Where(a => a.OperationName.StartsWith("model ", StringComparison.Ordinal))];
        Assert.NotEmpty(runs);
        foreach (var run in runs)
        {
            Assert.Equal("CPU", run.GetTagItem("imageapi.model.provider"));
            Assert.StartsWith("the CUDA execution provider could not start", (string)run.GetTagItem("imageapi.model.fallback")!);
        }
    }
}
