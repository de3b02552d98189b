using System.Net;
using System.Text;

namespace ImageApi.Distributed.Tests;

/// <summary>The orchestrator serves the demo page and the API reference like the embedded host (docs/demo.md); its
/// examples run through the Dapr path.</summary>
[Collection(DistributedCollection.Name)]
public sealed class OrchestratorPageTests(DistributedFixture fx)
{
    [Theory]
    [InlineData("/", "text/html", "/demo/demo.js")]
    [InlineData("/demo/demo.js", "text/javascript", "/pipeline/process/sample")]
    [InlineData("/demo/demo.css", "text/css", "font-family")]
    [InlineData("/guide/templates.md", "text/plain", "verify-matcher")]
    public async Task Orchestrator_ServesThePageAndTheGuides(string path, string type, string content)
    {
        using var client = fx.Orchestrator.CreateClient();
        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(type, response.Content.Headers.ContentType!.MediaType);
        Assert.Contains(content, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Orchestrator_ReferenceExample_RunsThroughTheServiceApp()
    {
        using var client = fx.Orchestrator.CreateClient();
        client.Timeout = TimeSpan.FromMinutes(3);
        var doc = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!;
        var op = doc["paths"]![$"/{ServiceNames.AgeEstimator}/process/sample"]!["post"]!;
        Assert.StartsWith("Adds `age`", (string)op["description"]!, StringComparison.Ordinal);
        var example = op["requestBody"]!["content"]!["application/json"]!["examples"]!["v2"]!["value"]!;

        using var body = new StringContent(example.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await client.PostAsync($"/{ServiceNames.AgeEstimator}/process/sample?echo_image=false", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var face = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["objects"]![0]!;
        Assert.InRange(int.Parse((string)face["age"]!, System.Globalization.CultureInfo.InvariantCulture), 30, 75);
    }
}
