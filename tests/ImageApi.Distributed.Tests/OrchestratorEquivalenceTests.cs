namespace ImageApi.Distributed.Tests;

/// <summary>The orchestrator (distributed: every route through Dapr service invocation to the owning app) answers
/// exactly what the embedded host answers, for every service and both contract versions.</summary>
[Collection(DistributedCollection.Name)]
public sealed class OrchestratorEquivalenceTests(DistributedFixture fx)
{
    [Theory]
    [MemberData(nameof(ServiceRequests.AllServicesBothVersions), MemberType = typeof(ServiceRequests))]
    public async Task ProcessSample_EveryServiceAndVersion_EqualsEmbeddedHost(string service, string version)
    {
        var request = await ServiceRequests.BuildAsync(service, version, fx.Embedded);
        var status = await AssertOrchestratorAnswersAsEmbeddedAsync(service, request, $"{service} {version}");
        Assert.NotEqual(500, status);
    }

    /// <summary>Posts <paramref name="request"/> to the embedded host and to the orchestrator, asserts both answer the
    /// same and that the orchestrator went through the sidecar to the service's own app (or, composed, to its stages'
    /// apps), nowhere else; returns the embedded host's status.</summary>
    private async Task<int> AssertOrchestratorAnswersAsEmbeddedAsync(string service, JsonObject request, string label)
    {
        var (status, expected) = await fx.Embedded.PostSampleAsync(service, request.DeepClone());
        var invocations = fx.Sidecar.Invocations.Count;

        var actual = await fx.Orchestrator.PostJsonAsync($"/{service}/process/sample", request.DeepClone());

        Assert.Equal(status, actual.Status);
        JsonAssert.EqualIgnoringTimings(expected, actual.Body, label);
        Assert.Equal(AppsServing(service), fx.Sidecar.Invocations.Skip(invocations).Select(i => i.App));
        return status;
    }

    private static IEnumerable<string> AppsServing(string service) =>
        OrchestrationRegistration.DefaultComposedServices == service ? CompositeServices.Stages[service] : [service];

    public static TheoryData<string, string, string> CompositesOnSeveralPhotos()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var image in new[] { "group/obama_and_biden.jpg", "group/compreface_016_8.jpg", "edge_cases/head_turned_3divi.jpg" })
        foreach (var version in new[] { "v1", "v2" })
        foreach (var service in CompositeServices.Stages.Keys) data.Add(service, version, image);
        return data;
    }

    [Theory]
    [MemberData(nameof(CompositesOnSeveralPhotos))]
    public async Task ProcessSample_MultiStageServices_EqualEmbeddedHostOnSeveralPhotos(string service, string version, string image)
    {
        var request = SpecExamples.Request(service, version, image);
        var status = await AssertOrchestratorAnswersAsEmbeddedAsync(service, request, $"{service} {version} {image}");
        Assert.Equal(200, status);
    }

    [Theory]
    [MemberData(nameof(ServiceRequests.Detectors), MemberType = typeof(ServiceRequests))]
    public async Task ProcessImage_Detectors_EqualsEmbeddedHost(string service)
    {
        var image = TestData.Bytes(service == ServiceNames.BodyDetector ? ServiceRequests.BodyImage : ServiceRequests.FaceImage);
        var (status, expected) = await fx.Embedded.PostImageAsync(service, image);

        var actual = await fx.Orchestrator.PostImageAsync($"/{service}/process/image", image);

        Assert.Equal(status, actual.Status);
        JsonAssert.EqualIgnoringTimings(expected, actual.Body, service + " multipart");
    }

    [Theory]
    [InlineData(ServiceNames.FaceDetectorFaceFitter, "v1")]
    [InlineData(ServiceNames.AgeEstimator, "v2")]
    [InlineData(ServiceNames.FaceDetectorTemplateExtractor, "v2")]
    public async Task ProcessSample_EchoImageFalse_EqualsEmbeddedHost(string service, string version)
    {
        var request = await ServiceRequests.BuildAsync(service, version, fx.Embedded);
        var (status, expected) = await fx.Embedded.PostSampleAsync(service, request.DeepClone(), "?echo_image=false");

        var actual = await fx.Orchestrator.PostJsonAsync($"/{service}/process/sample?echo_image=false", request.DeepClone());

        Assert.Equal(status, actual.Status);
        JsonAssert.EqualIgnoringTimings(expected, actual.Body, service);
    }

    public static TheoryData<string, string> BadRequests => new()
    {
        { ServiceNames.FaceDetectorFaceFitter, """{"$image": "@@@ not base64 @@@"}""" },
        { ServiceNames.GenderEstimator, """{"_image": {"blob": "aGVsbG8=", "format": "IMAGE"}, "objects": []}""" },
        { ServiceNames.TemplateExtractor, """{"objects": [}""" },
        { ServiceNames.LivenessEstimator, """[1, 2, 3]""" },
        { ServiceNames.VerifyMatcher, """{"objects": "nope"}""" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task ProcessSample_BadInput_SameRefusalAsEmbeddedHost(string service, string raw)
    {
        var (status, expected) = await fx.Embedded.PostRawAsync($"/{service}/process/sample", raw);

        var actual = await fx.Orchestrator.PostRawAsync($"/{service}/process/sample", raw);

        Assert.InRange(status, 400, 499);
        Assert.Equal(status, actual.Status);
        JsonAssert.EqualIgnoringTimings(expected, actual.Body, service);
    }

    [Fact]
    public async Task Info_Orchestrator_ListsEveryForwardedService()
    {
        var info = await fx.Orchestrator.GetAsync("/info");

        Assert.Equal(200, info.Status);
        var services = info.Body!["services"]!.AsArray().Select(s => (string)s!).Order(StringComparer.Ordinal);
        Assert.Equal(ServiceNames.AllWithAdditional.Order(StringComparer.Ordinal), services);
    }
}
