using ImageApi.Hosting;

namespace ImageApi.Distributed.Tests;

/// <summary>
/// The distributed pipeline hands what the models said about the faces from stage app to stage app
/// (<see cref="FaceResultsHandOff"/>): quality after emotion and mask runs no model, answers stay those of the embedded
/// host, and only the orchestrator's own stage calls can hand results in — a client's field of that name is never read.
/// </summary>
[Collection(DistributedCollection.Name)]
public sealed class HandOffTests(DistributedFixture fx)
{
    private const string Group = "group/compreface_016_8.jpg";

    private static readonly string[] Stages =
    [
        ServiceNames.FaceDetectorFaceFitter, ServiceNames.EmotionEstimator, ServiceNames.MaskEstimator, ServiceNames.QualityAssessmentEstimator,
    ];

    private static readonly string Query = $"?services={string.Join(',', Stages)}&timings=true";

    [Theory]
    [InlineData("v1")]
    [InlineData("v2")]
    public async Task Pipeline_QualityAfterEmotionAndMask_RunsNoModel_EqualsEmbedded(string version)
    {
        var request = SpecExamples.Request(ServiceNames.FaceDetectorFaceFitter, version, Group);
        var (status, expected) = await fx.Embedded.PostSampleAsync("pipeline", request.DeepClone(), Query);
        var answers = fx.Sidecar.Answers.Count;

        var actual = await fx.Orchestrator.PostJsonAsync("/pipeline/process/sample" + Query, request.DeepClone());

        Assert.Equal(200, status);
        Assert.Equal(200, actual.Status);
        JsonAssert.EqualIgnoringTimings(expected, actual.Body, "pipeline " + version);
        // Field order too (DeepEquals ignores it): emotion and mask answered at once, their fields stand where a
        // sequential run puts them.
        Assert.Equal(FieldOrder(expected), FieldOrder(actual.Body));
        Assert.Null(actual.Body![FaceResultsHandOff.Field]);
        var runs = fx.Sidecar.Answers.Skip(answers).ToList();
        Assert.Equal(Stages.Order(StringComparer.Ordinal), runs.Select(r => r.App).Order(StringComparer.Ordinal));
        Assert.Equal(0, runs.Single(r => r.App == ServiceNames.QualityAssessmentEstimator).ModelRuns);
        Assert.All(runs.Where(r => r.App != ServiceNames.QualityAssessmentEstimator), r => Assert.True(r.ModelRuns > 0, r.App));
    }

    [Fact]
    public async Task ClientsOwnField_PassesBackUntouched_AndIsNeverRead()
    {
        var (request, tampered) = await QualityRequestWithTamperedResultsAsync();
        var (status, expected) = await fx.Embedded.PostSampleAsync(ServiceNames.QualityAssessmentEstimator, request.DeepClone());
        Assert.Equal(200, status);
        Assert.True(JsonNode.DeepEquals(tampered, expected![FaceResultsHandOff.Field]), "the embedded host echoes an unknown field");

        // Through the orchestrator: forwarded as it came, and as a one-stage pipeline.
        var forwarded = await fx.Orchestrator.PostJsonAsync($"/{ServiceNames.QualityAssessmentEstimator}/process/sample", request.DeepClone());
        var pipeline = await fx.Orchestrator.PostJsonAsync(
            $"/pipeline/process/sample?services={ServiceNames.QualityAssessmentEstimator}", request.DeepClone());

        JsonAssert.EqualIgnoringTimings(expected, forwarded.Body, "forwarded");
        JsonAssert.EqualIgnoringTimings(expected, pipeline.Body, "pipeline");
    }

    [Fact]
    public async Task StageCall_TamperedResults_AreUsed()
    {
        // The same tampered results on an orchestrator's stage call (the header) do change quality: the test above can fail.
        var (request, _) = await QualityRequestWithTamperedResultsAsync();
        var (_, expected) = await fx.Embedded.PostSampleAsync(ServiceNames.QualityAssessmentEstimator, request.DeepClone());

        var staged = await fx.Services[ServiceNames.QualityAssessmentEstimator].PostJsonAsync(
            $"/{ServiceNames.QualityAssessmentEstimator}/process/sample", request.DeepClone(), new Dictionary<string, string>
            {
                ["dapr-api-token"] = DistributedFixture.AppToken,
                [FaceResultsHandOff.Header] = "hand-on",
            });

        Assert.Equal(200, staged.Status);
        Assert.NotEqual(Quality(expected), Quality(staged.Body));
    }

    // A v2 quality request with the fitter's objects, and beside them the landmarks the fitter app hands on — moved
    // 15 px to the right, so that quality measured on them would differ.
    private async Task<(JsonObject Request, JsonNode Tampered)> QualityRequestWithTamperedResultsAsync()
    {
        var request = SpecExamples.Request(ServiceNames.FaceDetectorFaceFitter, "v2", ServiceRequests.FaceImage);
        var fitted = await fx.Services[ServiceNames.FaceDetectorFaceFitter].PostJsonAsync(
            $"/{ServiceNames.FaceDetectorFaceFitter}/process/sample?echo_image=false", request.DeepClone(), new Dictionary<string, string>
            {
                ["dapr-api-token"] = DistributedFixture.AppToken,
                [FaceResultsHandOff.Header] = "hand-on",
            });
        Assert.Equal(200, fitted.Status);
        var results = fitted.Body![FaceResultsHandOff.Field]!.AsArray();
        var landmarks = results.Single(e => (string)e!["family"]! == "landmarks")!["points"]!.AsArray();
        Assert.Equal(196, landmarks.Count);
        for (var i = 0; i < landmarks.Count; i += 2) landmarks[i] = (float)landmarks[i]! + 15f;
        request[FieldNames.Objects] = fitted.Body[FieldNames.Objects]!.DeepClone();
        request[FaceResultsHandOff.Field] = results.DeepClone();
        return (request, results);
    }

    private static List<string> FieldOrder(JsonNode? answer) =>
        [.. answer![FieldNames.Objects]!.AsArray().Select(o => string.Join(',', o!.AsObject().Select(p => p.Key)))];

    private static string Quality(JsonNode? answer) => answer![FieldNames.Objects]![0]!["quality"]!.ToJsonString();
}
