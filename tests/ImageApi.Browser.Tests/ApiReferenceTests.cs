using System.Net;
using System.Text;
using ImageApi.Contracts;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace ImageApi.Browser.Tests;

/// <summary>The API reference at <c>/docs</c>: every service described, linked to its docs/ page, with request
/// examples that run as they stand, and nothing that reaches outside this host.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ApiReferenceTests(LiveHost host, ITestOutputHelper output)
{
    private const string DemoLinkPrefix = "/guide/";

    [Fact]
    public async Task EveryJsonExample_RunsAsItStands()
    {
        using var http = new HttpClient { BaseAddress = new Uri(host.BaseUrl), Timeout = TimeSpan.FromMinutes(2) };
        var doc = JsonNode.Parse(await http.GetStringAsync("/openapi/v1.json"))!;
        var ran = 0;
        foreach (var (path, item) in doc["paths"]!.AsObject())
        {
            var post = item!["post"];
            if (post?["requestBody"]?["content"]?["application/json"]?["examples"] is not JsonObject examples) continue;
            var query = string.Join('&', post["parameters"]!.AsArray().Select(p => $"{p!["name"]}={p["example"]}"));
            foreach (var (name, example) in examples)
            {
                using var content = new StringContent(example!["value"]!.ToJsonString(), Encoding.UTF8, "application/json");
                using var response = await http.PostAsync($"{path}?{query}", content);
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} example {name}: {(int)response.StatusCode} {body}");
                var answer = JsonNode.Parse(body)!;
                // Each example has one face that the service fills in (or, for the matcher, a verdict).
                if (path.StartsWith("/verify-matcher", StringComparison.Ordinal))
                    Assert.True(answer["verification"]!["score"]!.GetValue<double>() > 0.5, $"{name}: two photos of one person");
                else if (!path.StartsWith("/body-detector", StringComparison.Ordinal))
                    Assert.Single(answer["objects"]!.AsArray(), o => (string?)o!["class"] == "face");
                ran++;
            }
        }

        // The twelve services and the pipeline route, in both dialects.
        Assert.Equal(2 * (ServiceNames.All.Count + 1), ran);
    }

    [Fact]
    public async Task ReferencePage_DescribesAndLinksEveryService_Offline_WithoutOutsideButtons()
    {
        var (page, foreign, errors) = await host.NewPageAsync(1400, 1000);
        await page.GotoAsync(host.BaseUrl + "/docs");
        await page.GetByText("Face and body analysis in the vendor's Image API").WaitForAsync(new() { Timeout = 60_000 });
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        // The viewer renders a section when it is reached: open each area's service from the sidebar, then its
        // paragraph and the link to its docs/ page are there, and the page behind the link is served by this host.
        var areas = new (string Service, string Text, string Guide)[]
        {
            (ServiceNames.BodyDetector, "Finds people: one object of class", "bodies.md"),
            (ServiceNames.LivenessEstimator, "is this a live person in front of", "liveness.md"),
            (ServiceNames.TemplateExtractor, "the compact identity vector", "templates.md"),
            (ServiceNames.QualityAssessmentEstimator, "29 fields in the style of ISO/IEC 29794-5", "quality.md"),
            (ServiceNames.AgeEstimator, "Measured mean absolute error", "attributes.md"),
            (ServiceNames.FaceDetectorFaceFitter, "Finds every face in the photo and fits it", "faces.md"),
        };
        using var http = new HttpClient();
        foreach (var (service, text, guide) in areas)
        {
            await page.GetByText(service, new() { Exact = true }).First.ClickAsync();
            await page.GetByText(text).First.WaitForAsync(new() { Timeout = 20_000 });
            var href = DemoLinkPrefix + guide;
            await page.Locator($"a[href='{href}']").First.WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 20_000 });
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(host.BaseUrl + href)).StatusCode);
        }

        var body = await page.Locator("body").InnerTextAsync();
        foreach (var outside in new[] { "Ask AI", "Generate SDK", "Deploy" })
            Assert.DoesNotContain(outside, body);

        var path = Artifacts.PathOf("api-reference.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path });
        output.WriteLine($"screenshot: {path}");
        Console.WriteLine($"[browser-tests] screenshot: {path}");
        Assert.Empty(foreign);
        Assert.Empty(errors);
    }
}
