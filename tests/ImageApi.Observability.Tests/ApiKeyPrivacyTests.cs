using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;

namespace ImageApi.Observability.Tests;

/// <summary>The embedded host with API keys on, every log line and span captured.</summary>
public sealed class KeyedObservedHost : IAsyncLifetime
{
    public const string Key = "k3y-Material-That-Must-Never-Be-Logged-0123456789abcdefABCDEF";

    public ObservedHost Host { get; } = new(b => b.UseSetting("ApiKeys:Sha256:0", Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Key)))));

    public Task InitializeAsync() => Host.InitializeAsync();

    public Task DisposeAsync() => Host.DisposeAsync();
}

/// <summary>No image, base64 or API key in any log line or span attribute of a run with keys on (issue 20).</summary>
public sealed partial class ApiKeyPrivacyTests(KeyedObservedHost keyed) : IClassFixture<KeyedObservedHost>
{
    private const string Image = "identity/biden_1.jpg";

    [Fact]
    public async Task KeyedRequests_LogAndTraceNoKeyAndNoPayload()
    {
        var host = keyed.Host;
        host.Reset();
        using var client = host.Factory.CreateClient();
        var sample = $$"""{"$image":"{{TestData.Base64(Image)}}"}""";
        var fitter = $"/{ServiceNames.FaceDetectorFaceFitter}/process/sample";
        var wrongKey = KeyedObservedHost.Key[..^1] + "!";
        var requests = new (string Path, string? Header, string? Value, int Expected)[]
        {
            (fitter, "X-API-Key", KeyedObservedHost.Key, 200),
            (fitter, "Authorization", "Bearer " + KeyedObservedHost.Key, 200),
            (fitter, "X-API-Key", wrongKey, 401),
            (fitter, "Authorization", "Bearer " + wrongKey, 401),
            (fitter, null, null, 401),
            ("/info", "X-API-Key", wrongKey, 401),
        };
        foreach (var (path, header, value, expected) in requests)
        {
            using var request = new HttpRequestMessage(path == "/info" ? HttpMethod.Get : HttpMethod.Post, path);
            if (path != "/info") request.Content = new StringContent(sample, Encoding.UTF8, "application/json");
            if (header is not null) request.Headers.TryAddWithoutValidation(header, value);
            using var response = await client.SendAsync(request);
            Assert.Equal(expected, (int)response.StatusCode);
            await host.ServerSpanAsync(path);
        }

        var lines = host.Logs.Lines;
        // Positive control: the capture saw these requests.
        Assert.Contains(lines, l => l.Contains($"{ServiceNames.FaceDetectorFaceFitter} answered 401", StringComparison.Ordinal));
        var spanText = host.Spans.Snapshot().SelectMany(SpanStrings).ToList();
        Assert.NotEmpty(spanText);
        foreach (var text in lines.Concat(spanText))
        {
            Assert.DoesNotContain(KeyedObservedHost.Key[..24], text, StringComparison.Ordinal);
            Assert.DoesNotContain(wrongKey[^24..], text, StringComparison.Ordinal);
            Assert.DoesNotMatch(LongBase64Run(), text);
        }

        var payload = TestData.Base64(Image);
        for (var i = 0; i + 48 <= payload.Length; i += 397)
        {
            var piece = payload.Substring(i, 48);
            Assert.DoesNotContain(lines.Concat(spanText), t => t.Contains(piece, StringComparison.Ordinal));
        }
    }

    /// <summary>Everything a span exports as text: name, tags, events and their tags.</summary>
    private static IEnumerable<string> SpanStrings(Activity span)
    {
        yield return span.DisplayName;
        foreach (var tag in span.TagObjects) yield return $"{tag.Key}={tag.Value}";
        foreach (var e in span.Events)
        {
            yield return e.Name;
            foreach (var tag in e.Tags) yield return $"{tag.Key}={tag.Value}";
        }
    }

    // Base64 runs long enough to be key or image material; hex digests (model sha256 in start-up lines) are excluded.
    [GeneratedRegex("(?=[A-Za-z0-9+/]*[g-zG-Z+/])[A-Za-z0-9+/]{40,}")]
    private static partial Regex LongBase64Run();
}
