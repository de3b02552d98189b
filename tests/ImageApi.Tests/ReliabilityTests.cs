using System.Diagnostics;
using System.Net.Sockets;
using ImageApi.Hosting;
using static ImageApi.Tests.Readiness;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ImageApi.Tests;

/// <summary>The embedded host on a real Kestrel socket, with a 1 MB body cap and a 3 s request deadline.</summary>
public sealed class KestrelImageApiFactory : ImageApiFactory
{
    public const int Cap = 1_000_000;

    public KestrelImageApiFactory() => UseKestrel(0);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Limits:MaxRequestBytes", Cap.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Reliability:RequestTimeout", "00:00:03");
    }
}

/// <summary>What clients see of the body cap and the request timeout over a real socket (issue 20).</summary>
public sealed class KestrelLimitsTests : IClassFixture<KestrelImageApiFactory>
{
    private readonly Uri _server;
    private readonly KestrelImageApiFactory _factory;

    public KestrelLimitsTests(KestrelImageApiFactory factory)
    {
        _factory = factory;
        factory.StartServer();
        using var client = factory.CreateClient();
        _server = client.BaseAddress!;
    }

    private static string Route => $"/{ServiceNames.FaceDetectorFaceFitter}/process/sample";

    [Fact]
    public async Task KnownLengthOverTheCap_Is413BeforeTheBodyIsSent()
    {
        using var tcp = await ConnectAsync();
        var stream = tcp.GetStream();
        await WriteAsync(stream, $"POST {Route} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000000\r\n\r\n");
        // Not a byte of the body sent: the answer must come anyway.
        var response = await ReadResponseAsync(stream, TimeSpan.FromSeconds(10));
        Assert.StartsWith("HTTP/1.1 413", response);
        Assert.Contains(ErrorMessages.TooLarge, response);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ClientThatSendsEverythingFirst_ReadsA413NotAReset(bool withContentLength)
    {
        const int size = 8 * KestrelImageApiFactory.Cap;
        using var tcp = await ConnectAsync();
        var stream = tcp.GetStream();
        var framing = withContentLength ? $"Content-Length: {size}" : "Transfer-Encoding: chunked";
        await WriteAsync(stream, $"POST {Route} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n{framing}\r\n\r\n");
        var block = new byte[64 * 1024];
        Array.Fill(block, (byte)' ');
        for (var sent = 0; sent < size; sent += block.Length)
        {
            if (!withContentLength) await WriteAsync(stream, $"{block.Length:X}\r\n");
            await stream.WriteAsync(block);
            if (!withContentLength) await WriteAsync(stream, "\r\n");
        }

        if (!withContentLength) await WriteAsync(stream, "0\r\n\r\n");
        var response = await ReadResponseAsync(stream, TimeSpan.FromSeconds(20));
        Assert.StartsWith("HTTP/1.1 413", response);
        Assert.Contains(ErrorMessages.TooLarge, response);
        await AssertAliveAsync();
    }

    [Fact]
    public async Task SlowBody_Is408AtTheDeadline()
    {
        using var tcp = await ConnectAsync();
        var stream = tcp.GetStream();
        var started = Stopwatch.StartNew();
        await WriteAsync(stream, $"POST {Route} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{\"$image\":");
        // Slow loris: a byte now and then, never the whole body.
        var read = ReadResponseAsync(stream, TimeSpan.FromSeconds(20));
        while (!read.IsCompleted && started.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.WhenAny(read, Task.Delay(500));
            if (!read.IsCompleted) await WriteAsync(stream, " ");
        }

        var response = await read;
        Assert.StartsWith("HTTP/1.1 408", response);
        Assert.Contains(ReliabilityErrors.SlowBody, response);
        Assert.InRange(started.Elapsed.TotalSeconds, 2.5, 15);
        await AssertAliveAsync();
    }

    private async Task AssertAliveAsync()
    {
        using var client = _factory.CreateClient();
        using var live = await client.GetAsync("/health/live");
        Assert.Equal(200, (int)live.StatusCode);
    }

    private async Task<TcpClient> ConnectAsync()
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(_server.Host, _server.Port);
        return tcp;
    }

    private static Task WriteAsync(NetworkStream stream, string text) => stream.WriteAsync(Encoding.ASCII.GetBytes(text)).AsTask();

    /// <summary>Reads until the connection closes, a JSON body's end arrives, or the timeout passes.</summary>
    private static async Task<string> ReadResponseAsync(NetworkStream stream, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var text = new StringBuilder();
        var buffer = new byte[16 * 1024];
        while (!cts.IsCancellationRequested)
        {
            var read = await stream.ReadAsync(buffer, cts.Token);
            if (read == 0) break;
            text.Append(Encoding.UTF8.GetString(buffer, 0, read));
            var all = text.ToString();
            var headerEnd = all.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (headerEnd > 0 && all.EndsWith('}')) break;
        }

        return text.ToString();
    }
}

/// <summary>One request in model work at a time and no queue: the second concurrent one is refused at once.</summary>
public sealed class SaturatedImageApiFactory : ImageApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Reliability:MaxConcurrentRequests", "1");
        builder.UseSetting("Reliability:MaxQueuedRequests", "0");
        builder.UseSetting("Reliability:RetryAfterSeconds", "2");
    }
}

/// <summary>Timing-sensitive: runs alone, after the parallel classes, so their CPU load does not skew it.</summary>
[CollectionDefinition(nameof(AdmissionTests), DisableParallelization = true)]
public sealed class AdmissionCollection;

[Collection(nameof(AdmissionTests))]
public sealed class AdmissionTests(SaturatedImageApiFactory factory) : IClassFixture<SaturatedImageApiFactory>
{
    [Fact]
    public async Task BeyondTheLimit_Is503WithRetryAfter_WhileHealthStaysFast()
    {
        var body = new JsonObject { ["$image"] = TestData.Base64("group/compreface_016_8.jpg") }.ToJsonString();
        using var client = factory.CreateClient();
        await WaitReadyAsync(client);
        using var stop = new CancellationTokenSource();
        var healthTimes = new List<double>();
        var probe = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                foreach (var path in new[] { "/health/live", "/health/ready" })
                {
                    var t = Stopwatch.StartNew();
                    using var r = await client.GetAsync(path);
                    Assert.Equal(200, (int)r.StatusCode);
                    lock (healthTimes) healthTimes.Add(t.Elapsed.TotalMilliseconds);
                }

                await Task.Delay(20);
            }
        });

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await client.PostAsync($"/{ServiceNames.FaceDetectorTemplateExtractor}/process/sample", content);
            var json = JsonNode.Parse(await response.Content.ReadAsStringAsync());
            return ((int)response.StatusCode, response.Headers.RetryAfter?.Delta, json);
        }));
        await stop.CancelAsync();
        await probe;

        Assert.All(answers, a => Assert.True(a.Item1 is 200 or 503, $"status {a.Item1}"));
        Assert.Contains(answers, a => a.Item1 == 200);
        var refused = answers.Where(a => a.Item1 == 503).ToList();
        Assert.NotEmpty(refused);
        Assert.All(refused, a =>
        {
            Assert.Equal(TimeSpan.FromSeconds(2), a.Delta);
            Assert.Equal(ReliabilityErrors.Busy, a.json!["detail"]!.GetValue<string>());
        });
        Assert.NotEmpty(healthTimes);
        Assert.True(healthTimes.Max() < 1000, $"slowest health answer {healthTimes.Max():F0} ms");
    }
}

/// <summary>A deadline far shorter than the model work of a group photo.</summary>
public sealed class ShortDeadlineImageApiFactory : ImageApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder) =>
        builder.UseSetting("Reliability:RequestTimeout", "00:00:00.300");
}

public sealed class DeadlineTests(ShortDeadlineImageApiFactory factory) : IClassFixture<ShortDeadlineImageApiFactory>
{
    [Fact]
    public async Task WorkPastTheDeadline_IsCancelledAnd504()
    {
        using var client = factory.CreateClient();
        await WaitReadyAsync(client);
        var services = string.Join(',', ServiceNames.FaceDetectorTemplateExtractor, ServiceNames.QualityAssessmentEstimator,
            ServiceNames.AgeEstimator, ServiceNames.GenderEstimator, ServiceNames.EmotionEstimator, ServiceNames.MaskEstimator);
        var body = new JsonObject { ["$image"] = TestData.Base64("group/compreface_016_8.jpg") }.ToJsonString();
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync($"/pipeline/process/sample?services={services}", content);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync());
        // Only model work that saw the cancelled token ends in 504: work that ignored it would have answered 200.
        Assert.Equal(504, (int)response.StatusCode);
        Assert.Equal(ReliabilityErrors.Deadline, json!["detail"]!.GetValue<string>());
        using var live = await client.GetAsync("/health/live");
        Assert.Equal(200, (int)live.StatusCode);
    }
}

public sealed class ShutdownTests
{
    [Fact]
    public async Task Stopping_TakesTheHostOutOfReadiness_AndFinishesInFlightWork()
    {
        // On Kestrel: the test server does not wait for in-flight requests when its host stops; Kestrel does.
        await using var factory = new ImageApiFactory();
        factory.UseKestrel(0);
        factory.StartServer();
        using var client = factory.CreateClient();
        await WaitReadyAsync(client);
        var body = new JsonObject { ["$image"] = TestData.Base64("group/compreface_016_8.jpg") }.ToJsonString();
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        var inFlight = client.PostAsync($"/{ServiceNames.FaceDetectorTemplateExtractor}/process/sample", content);
        await Task.Delay(100); // on its way: connected and sending before the stop begins
        factory.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
        // Kestrel accepts no new connection now, so the probe's answer is read from the state it reports.
        var readiness = factory.Services.GetRequiredService<ReadinessState>();
        Assert.False(readiness.IsReady);
        Assert.Equal("Shutting down", readiness.Failure);
        using var response = await inFlight;
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }
}

internal static class Readiness
{
    /// <summary>Model warm-up runs in the background after start: model work is only measured once it is done.</summary>
    public static async Task WaitReadyAsync(HttpClient client)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            using var ready = await client.GetAsync("/health/ready");
            if (ready.IsSuccessStatusCode) return;
            Assert.True(DateTime.UtcNow < deadline, "not ready after 120 s");
            await Task.Delay(200);
        }
    }
}
