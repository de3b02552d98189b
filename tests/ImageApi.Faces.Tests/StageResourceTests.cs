using System.Diagnostics;
using ImageApi.Inference;

namespace ImageApi.Faces.Tests;

/// <summary>How the stage uses decodes and models: no full-size decode of a large photo, one landmark and one pose stage
/// per image for all its faces.</summary>
public sealed class StageResourceTests(FaceStageFixture stage, ITestOutputHelper output) : IClassFixture<FaceStageFixture>
{
    private static readonly ActivitySource TestSource = new("ImageApi.Faces.Tests");

    [Fact]
    public void Fit_Photo4912x7360_NeverDecodedAtFullSize()
    {
        var source = stage.Source("identity/compreface_A_001.jpg");
        Assert.Equal((4912, 7360), (source.Width, source.Height));
        stage.Fitting.Fit(source); // warm: models loaded, JIT done
        source = stage.Source("identity/compreface_A_001.jpg");
        var before = GC.GetAllocatedBytesForCurrentThread();
        var faces = stage.Fitting.Fit(source);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Single(faces);
        output.WriteLine($"allocated {allocated / 1e6:F1} MB");
        // A full decode alone would allocate 4912 × 7360 × 3 = 108 MB of RGB; the detector copy (427 × 640) and the
        // landmark crop's decode (≤ 1/4 scale) stay far below.
        Assert.True(allocated < 40_000_000, $"allocated {allocated / 1e6:F1} MB");
    }

    [Fact]
    public void Fit_EightFaces_OneLandmarkAndOnePoseStageForAll()
    {
        var stages = new List<Activity>();
        var models = new List<Activity>();
        using var root = StartRoot(out var listener);
        listener.ActivityStopped = a =>
        {
            if (a.TraceId != root!.TraceId) return;
            lock (stages)
            {
                if (a.DisplayName.StartsWith("stage ", StringComparison.Ordinal)) stages.Add(a);
                else if (a.DisplayName.StartsWith("model ", StringComparison.Ordinal)) models.Add(a);
            }
        };
        var faces = stage.Fit("group/compreface_016_8.jpg");
        listener.Dispose();
        Assert.Equal(8, faces.Count);

        var landmarks = Assert.Single(stages, s => s.DisplayName == "stage landmarks");
        Assert.Equal(8, landmarks.GetTagItem("imageapi.faces.in"));
        var pose = Assert.Single(stages, s => s.DisplayName == "stage pose");
        Assert.Equal(8, pose.GetTagItem("imageapi.faces.in"));

        // PFLD and FSA-Net declare a fixed batch of 1 (models.json: 1x3x112x112, 1x3x64x64), so the batch is run item by
        // item: 8 faces × 2 landmark passes, 8 faces × 2 (crop + mirror) × 2 pose models. A dynamic-batch model would run once.
        var pfld = stage.Catalog.Get("face-landmarks-pfld-ghostone-98");
        var expectedLandmarkRuns = pfld.HasDynamicBatch ? 2 : 16;
        Assert.Equal(expectedLandmarkRuns, models.Count(m => m.DisplayName == "model face-landmarks-pfld-ghostone-98"));
        Assert.Equal(stage.Catalog.Get("face-headpose-fsanet-1x1").HasDynamicBatch ? 1 : 16,
            models.Count(m => m.DisplayName == "model face-headpose-fsanet-1x1"));
    }

    [Fact]
    public void IsDynamic_DetectorAndFixedModels_ReadFromTheSession()
    {
        Assert.True(stage.Catalog.Get("face-detector-yunet-n").HasDynamicBatch);
        Assert.False(stage.Catalog.Get("face-landmarks-pfld-ghostone-98").HasDynamicBatch);
    }

    [Fact]
    public void RunItems_FixedBatchModel_EachItemAnsweredAsIfRunAlone()
    {
        // PFLD (batch fixed at 1): three different real crops packed into one pooled buffer; item i's output must be
        // what the model says for crop i alone — the slices handed to ONNX Runtime must not overlap or shift.
        var pfld = stage.Catalog.Get("face-landmarks-pfld-ghostone-98");
        var source = stage.Source("group/compreface_016_8.jpg");
        var boxes = stage.Fitting.Fit(source).Take(3).Select(f => f.Box).ToList();
        Assert.Equal(3, boxes.Count);
        int[] itemShape = [3, FaceLandmarker.InputSize, FaceLandmarker.InputSize];
        var crops = boxes.Select(b => FaceLandmarker.Extract(source, LandmarkCrop.FromBox(b))).ToList();
        var layout = new PixelLayout(ChannelOrder.Bgr, [127.5f, 127.5f, 127.5f], [127.5f, 127.5f, 127.5f]); // FaceLandmarker's (SOURCE.md)
        var together = pfld.RunItems(crops.Count, itemShape, (i, dst) => TensorPacker.Pack(crops[i], layout, dst), [pfld.OutputNames[0]], default)[0];
        var per = together.Length / crops.Count;
        for (var i = 0; i < crops.Count; i++)
        {
            var alone = pfld.RunItems(1, itemShape, (_, dst) => TensorPacker.Pack(crops[i], layout, dst), [pfld.OutputNames[0]], default)[0];
            Assert.Equal(alone, together.AsSpan(i * per, per).ToArray());
        }

        Assert.NotEqual(together.AsSpan(0, per).ToArray(), together.AsSpan(per, per).ToArray());
    }

    private static Activity StartRoot(out ActivityListener listener)
    {
        listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is ImageApiTelemetry.SourceName or "ImageApi.Faces.Tests",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        return TestSource.StartActivity("test root")!;
    }
}
