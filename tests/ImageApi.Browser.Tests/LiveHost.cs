using System.Net;
using System.Net.Sockets;
using ImageApi.TestSupport;
using Microsoft.Playwright;

namespace ImageApi.Browser.Tests;

/// <summary>
/// The embedded host on a real loopback socket (the browser and curl need one; WebApplicationFactory's in-memory
/// server has none) and one headless Debian chromium driven by Playwright. Nothing is downloaded: the browser is the
/// system's (<c>IMAGEAPI_CHROMIUM</c>, default <c>/usr/bin/chromium</c>; .ci/test.sh installs it).
/// </summary>
public sealed class LiveHost : IAsyncLifetime
{
    private readonly ImageApiFactory _factory = new();
    private IPlaywright? _playwright;

    public string BaseUrl { get; private set; } = "";
    public IBrowser Browser { get; private set; } = null!;

    public static string ChromiumPath => Environment.GetEnvironmentVariable("IMAGEAPI_CHROMIUM") is { Length: > 0 } p ? p : "/usr/bin/chromium";

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"No browser at {ChromiumPath}: apt-get install -y chromium (.ci/test.sh does), or set IMAGEAPI_CHROMIUM");

        var port = FreePort();
        _factory.UseKestrel(port);
        _factory.StartServer();
        BaseUrl = $"http://127.0.0.1:{port}";

        using var http = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        var deadline = DateTime.UtcNow.AddMinutes(5); // models load and warm up; other test projects may share the 2 cores
        while ((await http.GetAsync("/health/ready")).StatusCode != HttpStatusCode.OK)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("/health/ready did not turn 200 within 5 minutes");
            await Task.Delay(250);
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        await _factory.DisposeAsync();
    }

    /// <summary>A page that records every request that leaves this host: the pages must work offline.</summary>
    public async Task<(IPage Page, List<string> Foreign, List<string> Errors)> NewPageAsync(int width = 1280, int height = 900)
    {
        // Clipboard permissions: the tests press "Copy as curl" and read what it copied.
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Permissions = ["clipboard-read", "clipboard-write"],
        });
        var page = await context.NewPageAsync();
        var foreign = new List<string>();
        var errors = new List<string>();
        page.Request += (_, r) =>
        {
            if (!r.Url.StartsWith(BaseUrl, StringComparison.Ordinal) && !r.Url.StartsWith("blob:", StringComparison.Ordinal)
                && !r.Url.StartsWith("data:", StringComparison.Ordinal)) foreign.Add(r.Url);
        };
        page.PageError += (_, e) => errors.Add(e);
        page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };
        return (page, foreign, errors);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
