using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ImageApi.Tests;

/// <summary>SIGTERM on a real process (issue 20): the built embedded host (services/image-api) started with
/// <c>dotnet exec</c>, a request in flight (its body half sent), then SIGTERM. The in-flight request completes with
/// 200, new connections are refused, and the process exits 0 within the grace period.</summary>
public sealed class ShutdownProcessTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Sigterm_FinishesTheInFlightRequest_RefusesNewConnections_ExitsZero()
    {
        var repo = RepositoryRoot();
        var dll = HostDll(repo);
        var port = FreePort();
        var data = Path.Combine(Path.GetTempPath(), "imageapi-tests", "sigterm-" + Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo("dotnet", ["exec", dll])
        {
            WorkingDirectory = repo,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["Models__Directory"] = Path.Combine(repo, "models");
        start.Environment["Identification__DataDirectory"] = data;
        start.Environment["Reliability__ShutdownGrace"] = Grace.ToString("c");
        var log = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        Assert.True(process.Start());
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await WaitReadyAsync(http, process, log);

            // The in-flight request: headers and half the body now, the rest after SIGTERM.
            var body = Encoding.UTF8.GetBytes(new JsonObject { ["$image"] = TestData.Base64("identity/obama_1.jpg") }.ToJsonString());
            using var inFlight = new TcpClient();
            await inFlight.ConnectAsync(IPAddress.Loopback, port);
            var stream = inFlight.GetStream();
            var head = $"POST /{ServiceNames.FaceDetectorTemplateExtractor}/process/sample?echo_image=false HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n" +
                       $"Content-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
            await stream.WriteAsync(body.AsMemory(0, body.Length / 2));
            await stream.FlushAsync();
            await Task.Delay(500); // the request has begun: Kestrel is reading its body

            var signalled = Stopwatch.StartNew();
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
                Assert.Equal(0, kill.ExitCode);
            }

            // New connections: refused once the listener is closed (within a few seconds of the signal).
            var refused = false;
            while (!refused && signalled.Elapsed < TimeSpan.FromSeconds(5))
            {
                try
                {
                    using var late = new TcpClient();
                    await late.ConnectAsync(IPAddress.Loopback, port);
                    await Task.Delay(50);
                }
                // Refused once the listener is gone; reset when the attempt was still in the closing listener's
                // backlog (the kernel resets those): either way the connection is not accepted.
                catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.ConnectionReset)
                {
                    refused = true;
                }
            }

            Assert.True(refused, "a new connection was still accepted 5 s after SIGTERM");
            Assert.False(process.HasExited, "the process exited with a request in flight");

            // The in-flight request completes.
            await stream.WriteAsync(body.AsMemory(body.Length / 2));
            await stream.FlushAsync();
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var response = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.StartsWith("HTTP/1.1 200", response, StringComparison.Ordinal);
            Assert.Contains("\"objects\"", response, StringComparison.Ordinal);

            // Exit 0 within the grace period.
            using var exit = new CancellationTokenSource(Grace + TimeSpan.FromSeconds(5));
            await process.WaitForExitAsync(exit.Token);
            Assert.True(signalled.Elapsed < Grace + TimeSpan.FromSeconds(5), $"exit took {signalled.Elapsed}");
            Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}\n{Tail(log)}");
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            if (Directory.Exists(data)) Directory.Delete(data, recursive: true);
        }
    }

    private static async Task WaitReadyAsync(HttpClient http, Process process, StringBuilder log)
    {
        var deadline = DateTime.UtcNow.AddSeconds(180);
        while (true)
        {
            // ExitCode only exists once exited: build the message then, not eagerly.
            if (process.HasExited) Assert.Fail($"the host exited during start-up ({process.ExitCode})\n{Tail(log)}");
            try
            {
                using var ready = await http.GetAsync("/health/ready");
                if (ready.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            Assert.True(DateTime.UtcNow < deadline, "not ready after 180 s\n" + Tail(log));
            await Task.Delay(250);
        }
    }

    private static string Tail(StringBuilder log)
    {
        lock (log) return log.Length > 4000 ? log.ToString(log.Length - 4000, 4000) : log.ToString();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ImageApi.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException("ImageApi.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The host as built with this test (same configuration), else the copy in the test's output.</summary>
    private static string HostDll(string repo)
    {
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent?.Name ?? "Release";
        var built = Path.Combine(repo, "services", "image-api", "bin", configuration, "net10.0", "image-api.dll");
        if (File.Exists(built) && File.Exists(Path.ChangeExtension(built, ".runtimeconfig.json"))) return built;
        var copy = Path.Combine(AppContext.BaseDirectory, "image-api.dll");
        Assert.True(File.Exists(copy) && File.Exists(Path.ChangeExtension(copy, ".runtimeconfig.json")), "the built services/image-api host was not found");
        return copy;
    }
}
