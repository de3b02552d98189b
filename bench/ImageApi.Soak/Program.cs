using System.Net;
using System.Net.Sockets;

// Soak (issue 20): starts the embedded host (services/image-api, built in Release) on a loopback port with
// Reliability__MaxConcurrentRequests=<limit>, drives it with 4 x limit clients for --seconds (a mix of services and
// image sizes), polls /health/live throughout, then sends SIGTERM and waits for exit 0. Writes bench/results/soak.md.
//   dotnet build services/image-api -c Release && dotnet run --project bench/ImageApi.Soak -c Release -- --seconds 300
var inv = CultureInfo.InvariantCulture;
var seconds = Arg("--seconds", 300);
var limit = Arg("--limit", Environment.ProcessorCount);
var clients = 4 * limit;
var root = FindRoot();
var shared = Environment.GetEnvironmentVariable("IMAGEAPI_SHARED") is { Length: > 0 } s ? s
    : new[] { Path.Combine(root, "shared"), Path.Combine(root, "..", "shared") }.First(Directory.Exists);
var hostDll = Path.Combine(root, "services/image-api/bin/Release/net10.0/image-api.dll");
if (!File.Exists(hostDll)) throw new FileNotFoundException("build the host first: dotnet build services/image-api -c Release", hostDll);

var port = FreeLoopbackPort();
var start = new ProcessStartInfo("dotnet", [hostDll]) { RedirectStandardOutput = true, RedirectStandardError = true };
start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
start.Environment["Reliability__MaxConcurrentRequests"] = limit.ToString(inv);
start.Environment["Logging__LogLevel__Default"] = "Warning";
using var host = Process.Start(start)!;
host.OutputDataReceived += (_, _) => { };
host.ErrorDataReceived += (_, _) => { };
host.BeginOutputReadLine();
host.BeginErrorReadLine();
var baseUri = new Uri($"http://127.0.0.1:{port}");
using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients + 4 }) { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(60) };
await WaitReadyAsync();

string[] images = ["identity/biden_1.jpg", "group/compreface_016_8.jpg", "group/obama_and_biden.jpg", "identity/compreface_A_001.jpg"];
var bodies = images.Select(i => $"{{\"$image\":\"{Convert.ToBase64String(File.ReadAllBytes(Path.Combine(shared, "testdata", i)))}\"}}").ToArray();
string[] routes =
[
    "/face-detector-face-fitter/process/sample", "/face-detector-template-extractor/process/sample",
    "/face-detector-liveness-estimator/process/sample", "/body-detector/process/sample",
    "/pipeline/process/sample?services=face-detector-face-fitter,quality-assessment-estimator,age-estimator",
];

// RSS is read every 2 s once the load has run for a warm-up (pools, JIT, ORT arenas); growth after that is a leak.
// Under this mix a single reading swings by hundreds of MB with the garbage collector's cycle (a request allocates
// 5–70 MB, bench/results: docs/reliability.md), so "at start" and "at end" are the medians of the readings of the
// first and the last span (60 s, or a fifth of a shorter run); the single first and last readings are reported too.
using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
var warmUp = TimeSpan.FromSeconds(Math.Min(30, seconds / 10));
var span = TimeSpan.FromSeconds(Math.Min(60, seconds / 5.0));
var rssReadings = new List<(double At, long Rss)>();
var rssProbe = Task.Run(async () =>
{
    var clock = Stopwatch.StartNew();
    try
    {
        await Task.Delay(warmUp, stop.Token);
        while (!stop.IsCancellationRequested && !host.HasExited)
        {
            rssReadings.Add((clock.Elapsed.TotalSeconds, Rss(host.Id)));
            await Task.Delay(TimeSpan.FromSeconds(2), stop.Token);
        }
    }
    catch (OperationCanceledException)
    {
        // the run is over
    }
});
var accepted = new List<double>();
int answered = 0, ok = 0, busy = 0, server = 0, client = 0, failed = 0;
var health = new List<double>();
var healthLoop = Task.Run(async () =>
{
    using var probe = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(10) };
    while (!stop.IsCancellationRequested)
    {
        var t = Stopwatch.StartNew();
        try
        {
            using var r = await probe.GetAsync("/health/live");
            lock (health) health.Add(r.IsSuccessStatusCode ? t.Elapsed.TotalMilliseconds : double.PositiveInfinity);
        }
        catch (HttpRequestException)
        {
            lock (health) health.Add(double.PositiveInfinity);
        }

        await Task.Delay(250);
    }
});
// RSS over time: every 30 s (or a tenth of the run) the host's RSS and what happened in that window.
var window = TimeSpan.FromSeconds(Math.Max(5, Math.Min(30, seconds / 10)));
var samples = new List<(double At, long Rss, int Answered, int Ok, int Busy, int Server, int Failed, double P99, double HealthMax)>();
var sampler = Task.Run(async () =>
{
    var clock = Stopwatch.StartNew();
    int seenAnswered = 0, seenOk = 0, seenBusy = 0, seenServer = 0, seenFailed = 0, seenAccepted = 0, seenHealth = 0;
    while (!stop.IsCancellationRequested)
    {
        try { await Task.Delay(window, stop.Token); } catch (OperationCanceledException) { }
        List<double> latencies, probes;
        int a, o, b, sv, f;
        lock (accepted)
        {
            a = answered - seenAnswered; o = ok - seenOk; b = busy - seenBusy; sv = server - seenServer; f = failed - seenFailed;
            latencies = accepted.Skip(seenAccepted).Order().ToList();
            seenAnswered = answered; seenOk = ok; seenBusy = busy; seenServer = server; seenFailed = failed; seenAccepted = accepted.Count;
        }

        lock (health)
        {
            probes = health.Skip(seenHealth).ToList();
            seenHealth = health.Count;
        }

        if (host.HasExited) break;
        samples.Add((clock.Elapsed.TotalSeconds, Rss(host.Id), a, o, b, sv, f, Percentile(latencies, 0.99), probes.Count == 0 ? double.NaN : probes.Max()));
    }
});
var workers = Enumerable.Range(0, clients).Select(w => Task.Run(async () =>
{
    var random = new Random(w);
    while (!stop.IsCancellationRequested)
    {
        var route = routes[random.Next(routes.Length)];
        var body = bodies[random.Next(bodies.Length)];
        var t = Stopwatch.StartNew();
        try
        {
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var r = await http.PostAsync(route + (route.Contains('?') ? "&" : "?") + "echo_image=false", content);
            var code = (int)r.StatusCode;
            lock (accepted)
            {
                answered++;
                if (code == 200) { ok++; accepted.Add(t.Elapsed.TotalMilliseconds); }
                else if (code == 503) busy++;
                else if (code >= 500) server++;
                else client++;
            }

            if (code == 503) await Task.Delay(TimeSpan.FromSeconds((r.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1)).TotalSeconds / 4));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            lock (accepted) failed++;
        }
    }
})).ToArray();
await Task.WhenAll(workers);
await healthLoop;
await sampler;
await rssProbe;
var firstSpan = rssReadings.Where(r => r.At < warmUp.TotalSeconds + span.TotalSeconds).Select(r => (double)r.Rss).Order().ToList();
var lastSpan = rssReadings.Where(r => r.At >= rssReadings[^1].At - span.TotalSeconds).Select(r => (double)r.Rss).Order().ToList();
var rssStart = (long)Percentile(firstSpan, 0.5);
var rssEnd = (long)Percentile(lastSpan, 0.5);
var (rssMin, rssMax) = (rssReadings.Min(r => r.Rss), rssReadings.Max(r => r.Rss));
// Threads of the host below the normal priority (Reliability:InferenceNice): only the inference threads should be;
// any other (a pool worker created by one of them inherits its nice value) would serve probes at the low priority.
// The runtime's tier-up JIT worker is started on demand by whichever thread hot code runs on, an inference thread
// included, and then inherits its nice value: it compiles, it serves nothing, so it is listed but not counted.
var niced = NicedThreads(host.Id);
static bool ServesNothing(string thread) =>
    thread.StartsWith("inference-", StringComparison.Ordinal) || thread.StartsWith(".NET Tiered Com", StringComparison.Ordinal);
var nicedOther = niced.Count(t => !ServesNothing(t));

// Graceful shutdown: SIGTERM, then the exit code.
var stopWatch = Stopwatch.StartNew();
Process.Start("kill", ["-TERM", host.Id.ToString(inv)])!.WaitForExit();
var exited = host.WaitForExit(TimeSpan.FromSeconds(40));
var exitCode = exited ? host.ExitCode : -1;
if (!exited) host.Kill();

accepted.Sort();
health.Sort();
var p50 = Percentile(accepted, 0.50);
var p99 = Percentile(accepted, 0.99);
var healthP99 = Percentile(health, 0.99);
var healthMax = health.Count == 0 ? double.NaN : health[^1];
var healthSlow = health.Count(h => h >= 100);
var growth = (rssEnd - rssStart) / (double)rssStart * 100;
var report = new StringBuilder()
    .AppendLine("# Soak: embedded host on loopback (bench/ImageApi.Soak)")
    .AppendLine()
    .AppendLine(inv, $"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, limit {limit} (queue {2 * limit}), {clients} clients, {seconds} s;")
    .AppendLine("mix: fitter, template extractor, liveness detector, body detector, a 3-stage pipeline × 4 photos (1 to 8 faces, 0.24 to 2.5 MB).")
    .AppendLine()
    .AppendLine("| measure | value | target |")
    .AppendLine("| --- | --- | --- |")
    .AppendLine(inv, $"| requests answered | {answered} ({answered / (double)seconds:F1}/s) | |")
    .AppendLine(inv, $"| 200 | {ok} | |")
    .AppendLine(inv, $"| 503 (busy, with Retry-After) | {busy} | |")
    .AppendLine(inv, $"| 5xx other than 503 | {server} | 0 |")
    .AppendLine(inv, $"| other 4xx / transport errors | {client} / {failed} | 0 / 0 |")
    .AppendLine(inv, $"| accepted requests p50 / p99 | {p50:F0} ms / {p99:F0} ms | |")
    .AppendLine(inv, $"| RSS after {warmUp.TotalSeconds:F0} s warm-up → end: medians of the first and last {span.TotalSeconds:F0} s (2-s readings) | {rssStart / 1048576.0:F0} MiB → {rssEnd / 1048576.0:F0} MiB ({growth:+0.0;-0.0} %) | ≤ +10 % |")
    .AppendLine(inv, $"| RSS: first and last reading; lowest and highest of {rssReadings.Count} | {rssReadings[0].Rss / 1048576.0:F0} → {rssReadings[^1].Rss / 1048576.0:F0} MiB; {rssMin / 1048576.0:F0} – {rssMax / 1048576.0:F0} MiB | |")
    .AppendLine(inv, $"| /health/live: probes, p99, max, ≥ 100 ms | {health.Count}, {healthP99:F1} ms, {healthMax:F1} ms, {healthSlow} | all < 100 ms |")
    .AppendLine(inv, $"| threads at nice > 0 at the end | {niced.Count}: {(niced.Count == 0 ? "none" : string.Join(", ", niced))} ({nicedOther} that could serve requests) | 0 other than inference-* (and the JIT's tier-up worker) |")
    .AppendLine(inv, $"| SIGTERM → exit | code {exitCode} after {stopWatch.Elapsed.TotalSeconds:F1} s | 0 |");
report.AppendLine()
    .AppendLine(inv, $"RSS and load over time ({window.TotalSeconds:F0} s windows):")
    .AppendLine()
    .AppendLine("| t (s) | RSS (MiB) | answered | 200 | 503 | 5xx | transport errors | p99 of 200s (ms) | /health/live max (ms) |")
    .AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
foreach (var w in samples)
{
    report.AppendLine(inv, $"| {w.At:F0} | {w.Rss / 1048576.0:F0} | {w.Answered} | {w.Ok} | {w.Busy} | {w.Server} | {w.Failed} | {w.P99:F0} | {w.HealthMax:F1} |");
}

var outIndex = Array.IndexOf(args, "--out");
var outPath = outIndex >= 0 && outIndex + 1 < args.Length ? args[outIndex + 1] : Path.Combine(root, "bench/results/soak.md");
File.WriteAllText(outPath, report.ToString());
var json = new System.Text.Json.Nodes.JsonObject
{
    ["utc"] = DateTime.UtcNow.ToString("O", inv), ["cores"] = Environment.ProcessorCount, ["limit"] = limit, ["clients"] = clients,
    ["seconds"] = seconds, ["answered"] = answered, ["ok"] = ok, ["busy_503"] = busy, ["server_5xx"] = server,
    ["client_4xx"] = client, ["transport_errors"] = failed, ["p50_ms"] = p50, ["p99_ms"] = p99,
    ["rss_start_bytes"] = rssStart, ["rss_end_bytes"] = rssEnd, ["rss_growth_percent"] = growth, ["rss_span_s"] = span.TotalSeconds,
    ["rss_first_reading_bytes"] = rssReadings[0].Rss, ["rss_last_reading_bytes"] = rssReadings[^1].Rss, ["rss_min_bytes"] = rssMin, ["rss_max_bytes"] = rssMax,
    ["rss_readings"] = new System.Text.Json.Nodes.JsonArray([.. rssReadings.Select(r => (System.Text.Json.Nodes.JsonNode)new System.Text.Json.Nodes.JsonArray(Math.Round(r.At, 1), r.Rss))]),
    ["health_probes"] = health.Count, ["health_p99_ms"] = healthP99, ["health_max_ms"] = double.IsFinite(healthMax) ? healthMax : -1,
    ["health_slow_probes"] = healthSlow,
    ["niced_threads"] = niced.Count, ["niced_threads_not_inference"] = nicedOther, ["exit_code"] = exitCode,
    ["windows"] = new System.Text.Json.Nodes.JsonArray([.. samples.Select(w => (System.Text.Json.Nodes.JsonNode)new System.Text.Json.Nodes.JsonObject
    {
        ["t_s"] = Math.Round(w.At, 1), ["rss_bytes"] = w.Rss, ["answered"] = w.Answered, ["ok"] = w.Ok, ["busy_503"] = w.Busy,
        ["server_5xx"] = w.Server, ["transport_errors"] = w.Failed, ["p99_ms"] = double.IsFinite(w.P99) ? Math.Round(w.P99, 1) : -1,
        ["health_max_ms"] = double.IsFinite(w.HealthMax) ? Math.Round(w.HealthMax, 1) : -1,
    })]),
};
File.WriteAllText(Path.ChangeExtension(outPath, ".json"), json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n");
Console.Write(report);
var pass = server == 0 && client == 0 && failed == 0 && growth <= 10 && healthMax < 100 && nicedOther == 0 && exitCode == 0;
Console.WriteLine(pass ? "soak: PASS" : "soak: FAIL");
return pass ? 0 : 1;

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], inv) : fallback;
}

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "ImageApi.sln"))) return dir.FullName;
    }

    throw new DirectoryNotFoundException("ImageApi.sln not found above " + AppContext.BaseDirectory);
}

static int FreeLoopbackPort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

static long Rss(int pid)
{
    var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
}

static List<string> NicedThreads(int pid)
{
    var names = new List<string>();
    foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
    {
        try
        {
            var stat = File.ReadAllText(Path.Combine(task, "stat"));
            // Field 19 is the nice value, counted from the state (field 3) after the parenthesised name.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (int.Parse(fields[19 - 3], CultureInfo.InvariantCulture) > 0) names.Add(stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')]);
        }
        catch (IOException)
        {
            // the thread exited meanwhile
        }
    }

    return names;
}

static double Percentile(List<double> sorted, double q) =>
    sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];

async Task WaitReadyAsync()
{
    var deadline = Stopwatch.StartNew();
    while (deadline.Elapsed < TimeSpan.FromMinutes(3))
    {
        if (host.HasExited) throw new InvalidOperationException($"host exited with {host.ExitCode}");
        try
        {
            using var r = await http.GetAsync("/health/ready");
            if (r.IsSuccessStatusCode) return;
        }
        catch (HttpRequestException)
        {
        }

        await Task.Delay(500);
    }

    throw new TimeoutException("host not ready after 3 minutes");
}
