using System.Text.RegularExpressions;

namespace ImageApi.Observability.Tests;

/// <summary>Privacy: with every logger of the host at Trace level, no line ever holds the request's image.</summary>
public sealed partial class LogPrivacyTests(ObservedHost host) : IClassFixture<ObservedHost>
{
    private const string Image = "identity/biden_1.jpg";

    public static TheoryData<string, string> Requests => new()
    {
        { ServiceNames.FaceDetectorFaceFitter, "v1" },
        { ServiceNames.FaceDetectorFaceFitter, "v2" },
        { ServiceNames.AgeEstimator, "v1" },
        { ServiceNames.FaceDetectorLivenessEstimator, "v2" },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task SampleRequest_AtTraceLevel_NoLogLineContainsTheBase64Image(string service, string version)
    {
        host.Reset();
        var body = SpecExamples.Request(service, version, Image).ToJsonString();
        using var client = host.Factory.CreateClient();
        using var response = await client.PostAsync($"/{service}/process/sample", new StringContent(body, Encoding.UTF8, "application/json"));
        await host.ServerSpanAsync($"/{service}/process/sample"); // the request has fully ended

        var lines = host.Logs.Lines;
        // Positive control: the capture sees the request, including the per-request line and ASP.NET's Debug lines.
        Assert.Contains(lines, l => l.Contains($"{service} answered {(int)response.StatusCode}", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Debug Microsoft.AspNetCore", StringComparison.Ordinal));
        AssertNoPayload(lines, TestData.Base64(Image));
    }

    [Fact]
    public async Task RejectedRequests_AtTraceLevel_NoLogLineContainsThePayload()
    {
        host.Reset();
        using var client = host.Factory.CreateClient();
        var path = "/" + ServiceNames.FaceDetectorFaceFitter + "/process/sample";
        // Base64 of text (not an image) → 400; broken JSON right after a long base64 string → 422; a truncated image.
        var notImage = Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("this is no picture at all ", 200))));
        var truncated = Convert.ToBase64String(TestData.Bytes(Image).AsSpan(0, 4000));
        string[] bodies =
        [
            $$"""{"$image":"{{notImage}}"}""",
            $$"""{"$image":"{{notImage}}" "objects": ]""",
            "{\"_image\":{\"blob\":\"" + truncated + "\",\"format\":\"IMAGE\"}}",
        ];
        foreach (var b in bodies)
        {
            using var r = await client.PostAsync(path, new StringContent(b, Encoding.UTF8, "application/json"));
            Assert.InRange((int)r.StatusCode, 400, 499);
        }

        var lines = host.Logs.Lines;
        Assert.Contains(lines, l => l.Contains($"{ServiceNames.FaceDetectorFaceFitter} answered 4", StringComparison.Ordinal));
        AssertNoPayload(lines, notImage);
        AssertNoPayload(lines, truncated);
    }

    [Fact]
    public async Task PipelineRoute_IsLoggedUnderItsName_WithoutThePayload()
    {
        host.Reset();
        using var client = host.Factory.CreateClient();
        var body = $$"""{"$image":"{{TestData.Base64(Image)}}"}""";
        var route = $"/pipeline/process/sample?services={ServiceNames.FaceDetectorFaceFitter},{ServiceNames.AgeEstimator}";
        using var ok = await client.PostAsync(route, new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(200, (int)ok.StatusCode);
        using var bad = await client.PostAsync("/pipeline/process/sample?services=no-such-service",
            new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(422, (int)bad.StatusCode); // a query that fails validation, as FastAPI answers it
        // The log line is written when the middleware unwinds, which may be just after the client has the answer.
        for (var waited = 0; waited < 10_000 && !host.Logs.Lines.Any(l => l.Contains("pipeline answered 422", StringComparison.Ordinal)); waited += 50)
        {
            await Task.Delay(50);
        }

        var lines = host.Logs.Lines;
        Assert.Contains(lines, l => l.Contains("pipeline answered 200 with 1 objects", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("pipeline answered 422", StringComparison.Ordinal));
        AssertNoPayload(lines, TestData.Base64(Image));
    }

    private static void AssertNoPayload(IReadOnlyList<string> lines, string base64)
    {
        // Any 48-character piece of the payload, taken every few hundred characters, anywhere in any line ...
        for (var i = 0; i + 48 <= base64.Length; i += 397)
        {
            var piece = base64.Substring(i, 48);
            Assert.DoesNotContain(lines, l => l.Contains(piece, StringComparison.Ordinal));
        }

        // ... and no long base64-looking run at all (a template would look like this too).
        Assert.DoesNotContain(lines, l => LongBase64Run().IsMatch(l));
    }

    [GeneratedRegex("[A-Za-z0-9+/]{200,}")]
    private static partial Regex LongBase64Run();
}
