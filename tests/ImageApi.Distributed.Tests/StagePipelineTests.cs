using Microsoft.Extensions.Options;

namespace ImageApi.Distributed.Tests;

/// <summary>The pipeline's plumbing, with a stage invoker that records what each stage received (a stand-in for the
/// process boundary; the services themselves are exercised by the host tests).</summary>
public sealed class StagePipelineTests
{
    /// <summary>Each stage appends its name to every object and checks it received the image; answers like the Dapr
    /// invoker (a new object, without the image).</summary>
    private sealed class RecordingInvoker(bool stagesRunApart = false) : IStageInvoker
    {
        public List<(string Service, JsonObject Received)> Calls { get; } = [];

        public bool StagesRunApart => stagesRunApart;

        public ValueTask<JsonObject> InvokeAsync(string service, JsonObject sample, CancellationToken ct)
        {
            lock (Calls) Calls.Add((service, sample.DeepClone().AsObject()));
            var answer = sample.DeepClone().AsObject();
            answer.Remove(FieldNames.ImageV1);
            answer.Remove(FieldNames.ImageV2);
            var objects = answer[FieldNames.Objects] as JsonArray ?? [];
            if (service == ServiceNames.FaceDetectorFaceFitter)
            {
                objects.Add((JsonNode)new JsonObject { ["class"] = "face", ["fitter"] = new JsonObject(), ["keypoints"] = new JsonObject() });
            }

            foreach (var o in objects.OfType<JsonObject>()) o[service] = true;
            answer[FieldNames.Objects] = objects.Parent is null ? objects : objects.DeepClone();
            return ValueTask.FromResult(answer);
        }
    }

    private static JsonObject Sample() => new()
    {
        ["first"] = 1,
        [FieldNames.ImageV2] = new JsonObject { ["blob"] = "aW1hZ2U=", ["format"] = "IMAGE" },
        ["last"] = 2,
    };

    private static StagePipeline Pipeline(IStageInvoker invoker, params string[] composed) =>
        new(invoker, Options.Create(new OrchestratorOptions { ComposedServices = [.. composed] }));

    [Fact]
    public async Task RunPipeline_EveryStageGetsTheImageAndThePreviousObjects()
    {
        var invoker = new RecordingInvoker();

        await Pipeline(invoker).RunPipelineAsync(
            [ServiceNames.FaceDetectorFaceFitter, ServiceNames.AgeEstimator, ServiceNames.MaskEstimator], Sample(), true, false, default);

        Assert.Equal([ServiceNames.FaceDetectorFaceFitter, ServiceNames.AgeEstimator, ServiceNames.MaskEstimator], invoker.Calls.Select(c => c.Service));
        Assert.All(invoker.Calls, c => Assert.Equal("aW1hZ2U=", (string)c.Received[FieldNames.ImageV2]!["blob"]!));
        var mask = invoker.Calls[2].Received[FieldNames.Objects]![0]!.AsObject();
        Assert.True((bool)mask[ServiceNames.FaceDetectorFaceFitter]! && (bool)mask[ServiceNames.AgeEstimator]!);
    }

    [Fact]
    public async Task RunPipeline_EchoedImageKeepsTheClientsFieldOrder()
    {
        var answer = await Pipeline(new RecordingInvoker()).RunPipelineAsync([ServiceNames.FaceDetectorFaceFitter], Sample(), true, false, default);

        Assert.Equal(["first", FieldNames.ImageV2, "last", FieldNames.Objects], answer.Select(p => p.Key));
    }

    [Fact]
    public async Task RunPipeline_NoEcho_NoImage_NoTimingsUnlessAsked()
    {
        var answer = await Pipeline(new RecordingInvoker()).RunPipelineAsync([ServiceNames.FaceDetectorFaceFitter], Sample(), false, false, default);

        Assert.False(answer.ContainsKey(FieldNames.ImageV2));
        Assert.False(answer.ContainsKey(StagePipeline.TimingsField));
    }

    [Fact]
    public async Task RunPipeline_Timings_OnePerStageAndTheTotal()
    {
        var answer = await Pipeline(new RecordingInvoker()).RunPipelineAsync(
            [ServiceNames.FaceDetectorFaceFitter, ServiceNames.GenderEstimator], Sample(), false, true, default);

        var timings = answer[StagePipeline.TimingsField]!.AsObject();
        Assert.Equal([ServiceNames.FaceDetectorFaceFitter, ServiceNames.GenderEstimator, "total"], timings.Select(t => t.Key));
        Assert.True((double)timings["total"]! >= (double)timings[ServiceNames.GenderEstimator]!);
    }

    [Fact]
    public async Task RunService_Composed_RunsItsStagesAndDropsTheFittersFields()
    {
        var invoker = new RecordingInvoker();

        var answer = await Pipeline(invoker, ServiceNames.FaceDetectorTemplateExtractor)
            .RunServiceAsync(ServiceNames.FaceDetectorTemplateExtractor, Sample(), false, default);

        Assert.Equal([ServiceNames.FaceDetectorFaceFitter, ServiceNames.TemplateExtractor], invoker.Calls.Select(c => c.Service));
        var face = answer[FieldNames.Objects]![0]!.AsObject();
        Assert.True((bool)face[ServiceNames.TemplateExtractor]!);
        Assert.False(face.ContainsKey(FieldNames.Fitter));
        Assert.False(face.ContainsKey(FieldNames.Keypoints));
    }

    [Fact]
    public async Task RunService_NotComposed_OneCallToTheServicesOwnApp()
    {
        var invoker = new RecordingInvoker();

        await Pipeline(invoker).RunServiceAsync(ServiceNames.FaceDetectorTemplateExtractor, Sample(), false, default);

        Assert.Equal([ServiceNames.FaceDetectorTemplateExtractor], invoker.Calls.Select(c => c.Service));
    }

    [Fact]
    public async Task RunPipeline_StageRefuses_TheRefusalPropagates()
    {
        var failing = new FailingInvoker(new ApiException(422, "nope"));

        var e = await Assert.ThrowsAsync<ApiException>(() =>
            Pipeline(failing).RunPipelineAsync([ServiceNames.AgeEstimator], Sample(), true, true, default));

        Assert.Equal(422, e.StatusCode);
    }

    private sealed class FailingInvoker(ApiException error) : IStageInvoker
    {
        public bool StagesRunApart => false;

        public ValueTask<JsonObject> InvokeAsync(string service, JsonObject sample, CancellationToken ct) => throw error;
    }

    [Fact]
    public async Task RunPipeline_StagesInTheirOwnApps_EstimatorsAskedAtOnce_SameAnswerAsInOrder()
    {
        string[] services =
        [
            ServiceNames.FaceDetectorFaceFitter, ServiceNames.GenderEstimator, ServiceNames.AgeEstimator, ServiceNames.EmotionEstimator,
            ServiceNames.MaskEstimator, ServiceNames.LivenessEstimator, ServiceNames.QualityAssessmentEstimator, ServiceNames.TemplateExtractor,
        ];
        var inOrder = new RecordingInvoker();
        var apart = new RecordingInvoker(stagesRunApart: true);

        var expected = await Pipeline(inOrder).RunPipelineAsync(services, Sample(), true, false, default);
        var actual = await Pipeline(apart).RunPipelineAsync(services, Sample(), true, false, default);

        Assert.Equal(expected.ToJsonString(), actual.ToJsonString());
        // Quality ran after emotion and mask (their results are its input); the first wave's stages saw only the fitter's fields.
        var quality = apart.Calls.Single(c => c.Service == ServiceNames.QualityAssessmentEstimator).Received[FieldNames.Objects]![0]!.AsObject();
        Assert.True(quality.ContainsKey(ServiceNames.EmotionEstimator) && quality.ContainsKey(ServiceNames.MaskEstimator));
        var age = apart.Calls.Single(c => c.Service == ServiceNames.AgeEstimator).Received[FieldNames.Objects]![0]!.AsObject();
        Assert.False(age.ContainsKey(ServiceNames.GenderEstimator));
        Assert.All(apart.Calls, c => Assert.Equal("aW1hZ2U=", (string)c.Received[FieldNames.ImageV2]!["blob"]!));
    }

    [Fact]
    public async Task RunPipeline_WaveWithTwoFailures_TheFirstInThePipelinesOrderSpeaks()
    {
        var invoker = new FailingPerServiceInvoker(new Dictionary<string, int>
        {
            [ServiceNames.AgeEstimator] = 400,
            [ServiceNames.MaskEstimator] = 422,
        });

        var e = await Assert.ThrowsAsync<ApiException>(() => Pipeline(invoker).RunPipelineAsync(
            [ServiceNames.GenderEstimator, ServiceNames.AgeEstimator, ServiceNames.MaskEstimator], Sample(), false, false, default));

        Assert.Equal(400, e.StatusCode);
    }

    private sealed class FailingPerServiceInvoker(Dictionary<string, int> failures) : IStageInvoker
    {
        public bool StagesRunApart => true;

        public async ValueTask<JsonObject> InvokeAsync(string service, JsonObject sample, CancellationToken ct)
        {
            // The later stage fails first in time: the answer must not depend on who finishes first.
            if (service == ServiceNames.AgeEstimator) await Task.Delay(50, ct);
            if (failures.TryGetValue(service, out var status)) throw new ApiException(status, service + " refused");
            return sample;
        }
    }
}
