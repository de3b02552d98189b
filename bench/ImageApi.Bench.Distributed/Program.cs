using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using ImageApi.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

// The distributed pipeline against the embedded one (issue "spend the time in the models": ≤ 1.5 × the embedded
// pipeline). Starts, from the Release builds bench/distributed.sh made: the embedded host, the orchestrator and one
// process per stage of the 8-stage pipeline, all on loopback; in this process a forwarder stands in for the Dapr
// sidecars (POST /v1.0/invoke/{app}/method/{path} → the app's port, as daprd does without mTLS). Then the same photo
// goes through both pipelines alternately, answers are compared, and p50/p90 and the per-stage times (the pipeline
// route's timings=true) are written to bench/results/distributed.md and .json. Benchmarks report; tests never assert timings.
// Usage: dotnet bench/ImageApi.Bench.Distributed/bin/Release/net10.0/ImageApi.Bench.Distributed.dll
//        [--iterations 20] [--base-port 5180] [--out bench/results/distributed.md]
var (arguments, paths, _, iterations, outPath) = new BenchArguments(args, "distributed", iterations: 20);
var basePort = arguments.Int("--base-port", 5180);
var inv = CultureInfo.InvariantCulture;

string[] pipeline =
[
    ServiceNames.FaceDetectorFaceFitter, ServiceNames.GenderEstimator, ServiceNames.AgeEstimator, ServiceNames.EmotionEstimator,
    ServiceNames.MaskEstimator, ServiceNames.LivenessEstimator, ServiceNames.QualityAssessmentEstimator, ServiceNames.TemplateExtractor,
];
var forwarderPort = basePort;
var embeddedPort = basePort + 1;
var orchestratorPort = basePort + 2;
var appPorts = pipeline.Select((s, i) => (s, Port: basePort + 3 + i)).ToDictionary(p => p.s, p => p.Port);

// ---- the forwarder (the sidecars' service invocation) ----
var forwarderBuilder = WebApplication.CreateSlimBuilder();
forwarderBuilder.WebHost.UseUrls($"http://127.0.0.1:{forwarderPort}");
forwarderBuilder.Logging.ClearProviders();
var forwarder = forwarderBuilder.Build();
using var toApps = new HttpClient(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5), UseProxy = false })
{
    Timeout = TimeSpan.FromMinutes(2),
};
// What each app reported (its Server-Timing: app, model and stage spans) and how long the forwarder held the call,
// per app, while a measured round runs.
var recording = false;
var hops = new System.Collections.Concurrent.ConcurrentDictionary<string, System.Collections.Concurrent.ConcurrentQueue<Dictionary<string, double>>>();
forwarder.Map("/v1.0/invoke/{app}/method/{**method}", async (HttpContext context, string app, string method) =>
{
    var received = Stopwatch.GetTimestamp();
    if (!appPorts.TryGetValue(app, out var port))
    {
        context.Response.StatusCode = 500;
        return;
    }

    using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method),
        $"http://127.0.0.1:{port}/{method}{context.Request.QueryString}");
    if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
    {
        request.Content = new StreamContent(context.Request.Body);
        if (context.Request.ContentType is { } type) request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
        if (context.Request.ContentLength is { } length) request.Content.Headers.ContentLength = length;
    }

    // daprd passes the caller's headers on to the app (all but the connection's own).
    foreach (var (name, value) in context.Request.Headers)
    {
        if (name is "Host" or "Content-Type" or "Content-Length" or "Connection" or "Transfer-Encoding") continue;
        if (!request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)value)) request.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)value);
    }

    using var response = await toApps.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
    context.Response.StatusCode = (int)response.StatusCode;
    if (response.Content.Headers.ContentType is { } answerType) context.Response.ContentType = answerType.ToString();
    await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    if (!recording) return;
    var (hop, _) = TimedPost.ServerTiming(response.Headers.TryGetValues("Server-Timing", out var values) ? string.Join(',', values) : "");
    hop["forwarded"] = Stopwatch.GetElapsedTime(received).TotalMilliseconds;
    hops.GetOrAdd(app, _ => new()).Enqueue(hop);
});
await forwarder.StartAsync();

// ---- the processes ----
var processes = new List<(string Name, Process Process)>();
AppDomain.CurrentDomain.ProcessExit += (_, _) => StopAll();
Console.CancelKeyPress += (_, _) => StopAll();
try
{
    Start("image-api", embeddedPort);
    Start(ServiceNames.Orchestrator, orchestratorPort);
    foreach (var (service, port) in appPorts) Start(service, port);

    using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
    foreach (var (name, process) in processes) await WaitReadyAsync(http, name, process, PortOf(name));

    var json = ResultsFile.RunFacts();
    var md = ResultsFile.StartReport("The distributed pipeline against the embedded one (bench/distributed.sh)", json,
        "Release JIT builds, 1 ORT intra-op thread each, v2 JSON, `echo_image=false`. **Embedded**: `image-api`'s " +
        "`/pipeline/process/sample` (one process). **Distributed**: the orchestrator's same route, each stage in its own process " +
        $"({string.Join(", ", pipeline)}), service invocation through a loopback forwarder standing in for the " +
        "Dapr sidecars (one hop orchestrator → forwarder → app, as daprd's app-to-sidecar-to-app path minus the " +
        "second sidecar). The two run alternately, request by request, so both see the same machine load.");

    var query = $"/pipeline/process/sample?echo_image=false&timings=true&services={string.Join(',', pipeline)}";
    var embedded = new Uri($"http://127.0.0.1:{embeddedPort}{query}");
    var distributed = new Uri($"http://127.0.0.1:{orchestratorPort}{query}");

    // JIT tiering in every process (each app sees each request once): untimed requests first.
    const int WarmUp = 30;
    for (var i = 0; i < WarmUp; i++)
    {
        var body = Body(i % 3 == 2 ? "group/compreface_016_8.jpg" : "identity/obama_1.jpg");
        await PostAsync(http, embedded, body);
        await PostAsync(http, distributed, body);
    }

    md.AppendLine("| photo | faces | embedded p50 (p90) ms | distributed p50 (p90) ms | ratio (target ≤ 1.5 ×) | answers equal |");
    md.AppendLine("|---|---|---|---|---|---|");
    var rows = new JsonArray();
    var stageTables = new StringBuilder();
    foreach (var photo in new[] { "identity/obama_1.jpg", "group/compreface_016_8.jpg" })
    {
        var body = Body(photo);
        var e = new List<(double Wall, JsonObject Answer)>();
        var d = new List<(double Wall, JsonObject Answer)>();
        hops.Clear();
        for (var i = 0; i < iterations; i++)
        {
            e.Add(await PostAsync(http, embedded, body));
            recording = true;
            d.Add(await PostAsync(http, distributed, body));
            recording = false;
        }

        var equal = e.Zip(d).All(p => Comparable(p.First.Answer) == Comparable(p.Second.Answer));
        if (!equal)
        {
            // For a look at what differs: the first unequal pair, beside the system's temp folder.
            var (first, second) = e.Zip(d).First(p => Comparable(p.First.Answer) != Comparable(p.Second.Answer));
            var stem = Path.Combine(Path.GetTempPath(), "imageapi-distributed-" + Path.GetFileNameWithoutExtension(photo));
            File.WriteAllText(stem + ".embedded.json", first.Answer.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
            File.WriteAllText(stem + ".distributed.json", second.Answer.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
            Console.Error.WriteLine($"answers differ for {photo}: {stem}.embedded.json / .distributed.json");
        }
        var faces = e[0].Answer["objects"]?.AsArray().Count(o => o?["class"]?.GetValue<string>() == "face") ?? 0;
        var ew = e.Select(r => r.Wall).ToList();
        var dw = d.Select(r => r.Wall).ToList();
        var ratio = Latency.Median(dw) / Latency.Median(ew);
        md.AppendLine(string.Create(inv, $"| {photo} | {faces} | {Latency.Cell(ew)} | {Latency.Cell(dw)} | **{ratio:F2} ×** | {(equal ? "yes" : "**no**")} |"));

        stageTables.AppendLine(string.Create(inv, $"### Per stage, {photo} (median of the pipeline route's `timings`, ms)"));
        stageTables.AppendLine();
        stageTables.AppendLine("| stage | embedded | distributed | extra |");
        stageTables.AppendLine("|---|---|---|---|");
        var stages = new JsonObject();
        foreach (var stage in pipeline.Append("total"))
        {
            var es = Latency.Median(e.Select(r => Stage(r.Answer, stage)));
            var ds = Latency.Median(d.Select(r => Stage(r.Answer, stage)));
            stageTables.AppendLine(string.Create(inv, $"| {stage} | {es:F1} | {ds:F1} | {ds - es:+0.0;-0.0} |"));
            stages[stage] = new JsonObject { ["embedded_ms"] = Math.Round(es, 2), ["distributed_ms"] = Math.Round(ds, 2) };
        }

        stageTables.AppendLine();
        stageTables.AppendLine("Inside each hop (medians, ms): **forwarded** = the forwarder's time from receiving the orchestrator's call " +
                               "to the end of the app's answer; **app**, **model** and the stage spans are the app's own Server-Timing.");
        stageTables.AppendLine();
        var spanNames = hops.Values.SelectMany(q => q).SelectMany(h => h.Keys)
            .Where(k => k is not ("forwarded" or "app" or "model")).Distinct().Order(StringComparer.Ordinal).ToList();
        stageTables.AppendLine("| app | forwarded | app | model | " + string.Join(" | ", spanNames) + " |");
        stageTables.AppendLine("|---|---|---|---|" + string.Concat(spanNames.Select(_ => "---|")));
        foreach (var stage in pipeline)
        {
            if (!hops.TryGetValue(stage, out var q)) continue;
            string Cell(string key) => Latency.Median(q.Select(h => h.GetValueOrDefault(key))).ToString("F1", inv);
            stageTables.AppendLine($"| {stage} | {Cell("forwarded")} | {Cell("app")} | {Cell("model")} | " + string.Join(" | ", spanNames.Select(Cell)) + " |");
        }

        // The distributed run's CPU work is the apps' time added up, whatever ran at the same time.
        var appWork = pipeline.Where(hops.ContainsKey).Sum(s => Latency.Median(hops[s].Select(h => h.GetValueOrDefault("app"))));
        stageTables.AppendLine();
        stageTables.AppendLine(string.Create(inv, $"Time inside the apps, added up: **{appWork:F1} ms** per request (the embedded pipeline: {Latency.Median(e.Select(r => Stage(r.Answer, "total"))):F1} ms)."));

        stageTables.AppendLine();
        rows.Add(new JsonObject
        {
            ["photo"] = photo, ["faces"] = faces, ["iterations"] = iterations,
            ["embedded_p50_ms"] = Math.Round(Latency.Median(ew), 2), ["embedded_p90_ms"] = Math.Round(Latency.Percentile(ew, 0.9), 2),
            ["distributed_p50_ms"] = Math.Round(Latency.Median(dw), 2), ["distributed_p90_ms"] = Math.Round(Latency.Percentile(dw, 0.9), 2),
            ["ratio"] = Math.Round(ratio, 3), ["answers_equal"] = equal, ["stages"] = stages, ["apps_time_sum_ms"] = Math.Round(appWork, 1),
        });
    }

    md.AppendLine();
    md.AppendLine("Answers equal: every distributed answer has the same JSON as the embedded answer of the same round (the `timings` field aside).");
    md.AppendLine();
    md.Append(stageTables);
    md.AppendLine("## Memory");
    md.AppendLine();
    var embeddedRss = ProcessMemory.RssMegabytes(processes.First(p => p.Name == "image-api").Process.Id);
    var distributedRss = processes.Where(p => p.Name != "image-api").Sum(p => ProcessMemory.RssMegabytes(p.Process.Id));
    md.AppendLine(string.Create(inv, $"RSS after the run: embedded host {embeddedRss:F0} MB; orchestrator + {pipeline.Length} stage apps {distributedRss:F0} MB in all."));
    json["rows"] = rows;
    json["rss_embedded_mb"] = Math.Round(embeddedRss);
    json["rss_distributed_mb"] = Math.Round(distributedRss);

    ResultsFile.Write(outPath, md, json);
}
finally
{
    StopAll();
    await forwarder.StopAsync();
}

return;

int PortOf(string name) => name == "image-api" ? embeddedPort : name == ServiceNames.Orchestrator ? orchestratorPort : appPorts[name];

void Start(string name, int port)
{
    var dll = Path.Combine(paths.Repo, "services", name, "bin", "Release", "net10.0", name + ".dll");
    if (!File.Exists(dll)) throw new FileNotFoundException($"build it first (bench/distributed.sh does): {dll}");
    var start = new ProcessStartInfo("dotnet", [dll]) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = paths.Repo };
    start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
    start.Environment["Inference__IntraOpThreads"] = "1";
    start.Environment["Logging__LogLevel__Default"] = "Warning";
    start.Environment["Dapr__HttpEndpoint"] = $"http://127.0.0.1:{forwarderPort}";
    start.Environment["Telemetry__StageTimings"] = "true";
    var process = Process.Start(start)!;
    process.OutputDataReceived += (_, _) => { };
    process.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 }) Console.Error.WriteLine($"[{name}] {e.Data}"); };
    process.BeginOutputReadLine();
    process.BeginErrorReadLine();
    processes.Add((name, process));
}

void StopAll()
{
    foreach (var (_, process) in processes)
    {
        try { if (!process.HasExited) process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
    }
}

static async Task WaitReadyAsync(HttpClient http, string name, Process process, int port)
{
    for (var i = 0; i < 240; i++)
    {
        if (process.HasExited) throw new InvalidOperationException($"{name} exited with {process.ExitCode}");
        try
        {
            using var r = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/health/ready"));
            if (r.IsSuccessStatusCode) return;
        }
        catch (HttpRequestException) { }

        await Task.Delay(500);
    }

    throw new TimeoutException($"{name} not ready after 120 s");
}

byte[] Body(string file) => Encoding.UTF8.GetBytes(new JsonObject
{
    ["_image"] = new JsonObject { ["blob"] = Convert.ToBase64String(File.ReadAllBytes(paths.TestData(file))), ["format"] = "IMAGE" },
}.ToJsonString());

static async Task<(double Wall, JsonObject Answer)> PostAsync(HttpClient http, Uri uri, byte[] body)
{
    var answer = await TimedPost.JsonAsync(http, uri, body);
    return (answer.WallMs, answer.Body);
}

static string Comparable(JsonObject answer)
{
    var copy = answer.DeepClone().AsObject();
    copy.Remove("timings");
    return copy.ToJsonString();
}

static double Stage(JsonObject answer, string stage) => answer["timings"]?[stage]?.GetValue<double>() ?? double.NaN;
