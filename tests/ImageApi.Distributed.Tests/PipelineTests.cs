namespace ImageApi.Distributed.Tests;

/// <summary>The pipeline route: the same code with the in-process invoker (embedded host) and the Dapr invoker
/// (orchestrator) gives the same answers, and each stage's objects feed the next.</summary>
[Collection(DistributedCollection.Name)]
public sealed class PipelineTests(DistributedFixture fx)
{
    private static readonly string[] Stages =
    [
        ServiceNames.FaceDetectorFaceFitter, ServiceNames.QualityAssessmentEstimator, ServiceNames.LivenessEstimator,
        ServiceNames.TemplateExtractor,
    ];

    private const string Route = "/pipeline/process/sample";

    private static string Query(bool timings = true, string echo = "") =>
        $"?services={string.Join(',', Stages)}&timings={(timings ? "true" : "false")}{echo}";

    [Theory]
    [InlineData("v1")]
    [InlineData("v2")]
    public async Task Pipeline_Distributed_EqualsEmbedded(string version)
    {
        var request = SpecExamples.Request(ServiceNames.FaceDetectorFaceFitter, version, ServiceRequests.FaceImage);
        var (status, expected) = await fx.Embedded.PostSampleAsync("pipeline", request.DeepClone(), Query());

        var actual = await fx.Orchestrator.PostJsonAsync(Route + Query(), request.DeepClone());

        Assert.NotEqual(500, status);
        Assert.Equal(status, actual.Status);
        JsonAssert.EqualIgnoringTimings(expected, actual.Body, "pipeline " + version);
        if (status == 200)
        {
            var timings = actual.Body!["timings"]!.AsObject();
            Assert.Equal([.. Stages, "total"], timings.Select(t => t.Key));
            Assert.All(timings, t => Assert.True((double)t.Value! >= 0));
        }
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("v2")]
    public async Task Pipeline_EachStageFeedsTheNext_EqualsChainedCallsOfTheServices(string version)
    {
        var request = SpecExamples.Request(ServiceNames.FaceDetectorFaceFitter, version, ServiceRequests.FaceImage);
        JsonNode? chained = request.DeepClone();
        var status = 200;
        foreach (var stage in Stages)
        {
            (status, chained) = await fx.Embedded.PostSampleAsync(stage, chained!);
            if (status != 200) break;
        }

        var pipeline = await fx.Orchestrator.PostJsonAsync(Route + Query(timings: false), request.DeepClone());

        Assert.Equal(status, pipeline.Status);
        JsonAssert.EqualIgnoringTimings(chained, pipeline.Body, "pipeline vs chained calls " + version);
        Assert.Null(pipeline.Body!["timings"]);
    }

    [Fact]
    public async Task Pipeline_EchoImageFalse_LeavesTheImageOut()
    {
        var request = SpecExamples.Request(ServiceNames.FaceDetectorFaceFitter, "v2", ServiceRequests.FaceImage);

        var answer = await fx.Orchestrator.PostJsonAsync(Route + Query(echo: "&echo_image=false"), request);

        Assert.Equal(200, answer.Status);
        Assert.Null(answer.Body![FieldNames.ImageV2]);
        Assert.NotNull(answer.Body!["objects"]);
    }

    [Theory]
    [InlineData("", "missing")]
    [InlineData("no-such-service", "value_error")]
    [InlineData("age-estimator,age-estimator", "value_error")]
    public async Task Pipeline_BadServiceList_422OnTheQuery(string services, string type)
    {
        var request = SpecExamples.Request(ServiceNames.FaceDetectorFaceFitter, "v1", ServiceRequests.FaceImage);

        var embedded = await fx.Embedded.PostSampleAsync("pipeline", request.DeepClone(), "?services=" + services);
        var distributed = await fx.Orchestrator.PostJsonAsync(Route + "?services=" + services, request.DeepClone());

        Assert.Equal(422, embedded.Status);
        Assert.Equal(422, distributed.Status);
        Assert.Equal(type, (string)distributed.Body!["detail"]![0]!["type"]!);
        Assert.Equal("query", (string)distributed.Body!["detail"]![0]!["loc"]![0]!);
        JsonAssert.EqualIgnoringTimings(embedded.Body, distributed.Body, "pipeline 422");
    }
}
