namespace ImageApi.Distributed.Tests;

/// <summary>With APP_API_TOKEN set, a service app only answers its own sidecar (dapr-api-token), its health stays
/// open for probes, and it serves nothing but its own service.</summary>
[Collection(DistributedCollection.Name)]
public sealed class AppTokenTests(DistributedFixture fx)
{
    [Fact]
    public async Task ServiceHost_CalledWithoutTheToken_401()
    {
        var request = SpecExamples.Request(ServiceNames.FaceDetectorFaceFitter, "v1", ServiceRequests.FaceImage);

        var answer = await fx.Services[ServiceNames.FaceDetectorFaceFitter].PostJsonAsync("/face-detector-face-fitter/process/sample", request);

        Assert.Equal(401, answer.Status);
        Assert.Contains("dapr-api-token", (string)answer.Body!["detail"]!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task ServiceHost_Health_OpenWithoutTheToken(string path)
    {
        var answer = await fx.Services[ServiceNames.BodyDetector].GetAsync(path);

        Assert.NotEqual(401, answer.Status);
    }

    [Fact]
    public async Task ServiceHost_OtherServicesRoute_404()
    {
        var request = SpecExamples.Request(ServiceNames.AgeEstimator, "v1", ServiceRequests.FaceImage);
        var sidecar = fx.Sidecar.CreateHandler("test-client");
        using var client = new HttpClient(sidecar) { BaseAddress = new Uri("http://127.0.0.1:3500") };

        // Through the sidecar (token added), gender-estimator's app is asked for age-estimator's route.
        using var response = await client.PostAsync("/v1.0/invoke/gender-estimator/method/age-estimator/process/sample",
            new StringContent(request.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(404, (int)response.StatusCode);
    }

    [Fact]
    public async Task Orchestrator_PubSubRoute_RequiresTheToken()
    {
        var cloudEvent = new JsonObject { ["specversion"] = "1.0", ["id"] = "x", ["data"] = new JsonObject() };

        var answer = await fx.Orchestrator.PostJsonAsync(DaprNames.RequestsRoute, cloudEvent);

        Assert.Equal(401, answer.Status);
    }

    [Fact]
    public async Task Orchestrator_VendorRoutes_NeedNoToken()
    {
        var answer = await fx.Orchestrator.PostRawAsync("/age-estimator/process/sample", "{");

        Assert.Equal(422, answer.Status);
    }
}
