using System.Net;
using ImageApi.Hosting;
using Microsoft.Extensions.DependencyInjection;
using ImageApi.Samples;

namespace ImageApi.Tests;

/// <summary>Health, info, OpenAPI and the API page of the embedded host.</summary>
public sealed class HostingTests(ImageApiFactory factory) : IClassFixture<ImageApiFactory>
{
    [Fact]
    public async Task HealthLive_Always_Is200()
    {
        using var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public async Task HealthReady_AfterWarmUp_Is200()
    {
        using var client = factory.CreateClient();
        var deadline = DateTime.UtcNow.AddSeconds(120);
        HttpStatusCode status;
        do
        {
            status = (await client.GetAsync("/health/ready")).StatusCode;
            if (status == HttpStatusCode.OK) break;
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            await Task.Delay(200);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task Info_ListsServicesProviderAndModelsWithSha256()
    {
        using var client = factory.CreateClient();
        // Make sure at least the detector is loaded.
        await factory.PostSampleAsync(ServiceNames.FaceDetectorFaceFitter, new JsonObject { ["$image"] = TestData.Base64("identity/obama_1.jpg") });
        var info = JsonNode.Parse(await client.GetStringAsync("/info"))!;
        Assert.Equal("CPU", info["execution_provider"]!.GetValue<string>());
        // CI installs libjpeg-turbo's library (.ci/test.sh): /info names the file whole JPEGs are decoded with.
        Assert.Contains("turbojpeg", info["jpeg_decoder"]!.GetValue<string>(), StringComparison.Ordinal);
        var services = info["services"]!.AsArray().Select(s => s!.GetValue<string>()).ToList();
        Assert.Equal(ServiceNames.AllWithAdditional.Order(), services.Order());
        var models = info["models"]!.AsArray();
        Assert.NotEmpty(models);
        foreach (var m in models)
        {
            Assert.Matches("^[0-9a-f]{64}$", m!["sha256"]!.GetValue<string>());
            Assert.False(string.IsNullOrEmpty(m["license"]!.GetValue<string>()));
            Assert.False(string.IsNullOrEmpty(m["input"]!.GetValue<string>()));
        }
    }

    [Fact]
    public async Task Info_AContributorThatThrows_StillAnswers200WithItsError()
    {
        using var broken = factory.WithWebHostBuilder(b => b.ConfigureServices(s =>
            s.AddSingleton<IInfoContributor>(new ThrowingContributor())));
        using var client = broken.CreateClient();
        using var response = await client.GetAsync("/info");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var info = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("model not loaded", info["broken"]!["error"]!.GetValue<string>());
        Assert.NotNull(info["liveness"]); // the other areas are still described
    }

    private sealed class ThrowingContributor : IInfoContributor
    {
        public string Key => "broken";
        public JsonNode Describe() => throw new InvalidOperationException("model not loaded");
    }

    [Fact]
    public async Task OpenApi_DocumentsEveryServiceRoute()
    {
        using var client = factory.CreateClient();
        var doc = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!;
        var paths = doc["paths"]!.AsObject();
        foreach (var s in ServiceNames.All)
        {
            Assert.True(paths.ContainsKey($"/{s}/process/sample"), s);
            Assert.Equal(ServiceNames.Detectors.Contains(s), paths.ContainsKey($"/{s}/process/image"));
        }
    }

    [Fact]
    public async Task ApiPage_IsServed()
    {
        using var client = factory.CreateClient();
        var response = await client.GetAsync("/docs");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("html", response.Content.Headers.ContentType!.MediaType);
    }
}
