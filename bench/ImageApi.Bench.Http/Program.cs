using System.Text.Json.Nodes;
using ImageApi.Contracts;

// End-to-end latency of a running host over loopback (bench/run.sh starts it), each row set against the raw ONNX Runtime
// time of exactly the model runs its requests performed — the host reports it per request in Server-Timing
// (ServerTimingMiddleware) — and, on testdata/identity, against the ort-node peer run on the same images in the same
// run. Writes bench/results/http.md and http.json. Benchmarks report; tests never assert timings.
// Usage: dotnet run -c Release --project bench/ImageApi.Bench.Http -- --url http://127.0.0.1:5080 --pid <host pid>
//        [--iterations 30] [--throughput-seconds 20] [--soak-minutes 10] [--peer peer.jsonl] [--out bench/results/http.md]
var (arguments, paths, _, iterations, outPath) = new BenchArguments(args, "http", iterations: 30);
var url = arguments.String("--url", "http://127.0.0.1:5080").TrimEnd('/');
var pid = arguments.Int("--pid", 0);
var throughputSeconds = arguments.Int("--throughput-seconds", 20);
var soakMinutes = arguments.Double("--soak-minutes", 10);
var peerFile = arguments.String("--peer");
var inv = CultureInfo.InvariantCulture;

using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(2) };
var json = ResultsFile.RunFacts();
var md = ResultsFile.StartReport("End-to-end latency over loopback against raw model time (bench/run.sh)", json,
    $"Release JIT host (`{url}`), 1 ORT intra-op thread, v2 JSON, `echo_image=false`. " +
    "**model** = the ONNX Runtime wall time of the model runs each request performed, measured in the host " +
    "(`Server-Timing: model`); **ratio** = p50 end-to-end / p50 model.");
var rssWarm = Rss();

const string OneFace = "identity/obama_1.jpg";
const string EightFaces = "group/compreface_016_8.jpg";
const string Large = "identity/compreface_A_001.jpg";
string[] fullPipeline =
[
    ServiceNames.FaceDetectorFaceFitter, ServiceNames.GenderEstimator, ServiceNames.AgeEstimator, ServiceNames.EmotionEstimator,
    ServiceNames.MaskEstimator, ServiceNames.LivenessEstimator, ServiceNames.QualityAssessmentEstimator, ServiceNames.TemplateExtractor,
];
string[] peerPipeline =
[
    ServiceNames.FaceDetectorFaceFitter, ServiceNames.GenderEstimator, ServiceNames.AgeEstimator, ServiceNames.EmotionEstimator,
    ServiceNames.LivenessEstimator, ServiceNames.TemplateExtractor,
];

// ---- 0. steady state: the JIT host compiles its pixel loops at full optimisation only after ~30 calls (tiered
// compilation); the Native AOT build has no such phase. Untimed full-pipeline requests first, so every row measures
// optimised code whichever row comes first.
const int JitWarmUpRequests = 30;
for (var i = 0; i < JitWarmUpRequests; i++)
{
    await PostAsync($"/pipeline/process/sample?echo_image=false&services={string.Join(',', fullPipeline)}", ImageBody(i % 3 == 2 ? EightFaces : OneFace));
}

// ---- 1. every service at concurrency 1, 1 face and 8 faces ----
md.AppendLine("## Per service, concurrency 1");
md.AppendLine();
md.AppendLine($"Estimators get the fitter's answer for the photo (as a client chains them); verify-matcher two templates. " +
              $"Measured after {JitWarmUpRequests} untimed full-pipeline requests (the JIT's tiered compilation; RSS after warm-up is taken before them).");
md.AppendLine();
md.AppendLine("| service | photo | faces | p50 (p90) ms | model p50 ms | model runs | ratio |");
md.AppendLine("|---|---|---|---|---|---|---|");
var rows = new JsonArray();
foreach (var (label, file) in new[] { ("1 face", OneFace), ("8 faces", EightFaces) })
{
    var image = ImageBody(file);
    var fitted = (await PostAsync($"/{ServiceNames.FaceDetectorFaceFitter}/process/sample?echo_image=false", image)).Body;
    var chained = fitted.DeepClone().AsObject();
    chained["_image"] = image["_image"]!.DeepClone();
    var faces = fitted["objects"]!.AsArray().Count;
    var templates = (await PostAsync($"/{ServiceNames.FaceDetectorTemplateExtractor}/process/sample?echo_image=false", image)).Body["objects"]!.AsArray();
    foreach (var service in ServiceNames.All)
    {
        JsonObject body = ServiceNames.Detectors.Contains(service) ? image
            : service == ServiceNames.VerifyMatcher ? new JsonObject { ["objects"] = new JsonArray(templates[0]!.DeepClone(), templates[^1]!.DeepClone()) }
            : chained;
        var runs = await RepeatAsync($"/{service}/process/sample?echo_image=false", body, iterations);
        rows.Add(Row(md, service, label, faces, runs));
    }

    var pipelineRuns = await RepeatAsync($"/pipeline/process/sample?echo_image=false&services={string.Join(',', fullPipeline)}", image, iterations);
    rows.Add(Row(md, "**full pipeline** (8 stages)", label, faces, pipelineRuns));
}

md.AppendLine();
json["per_service"] = rows;

// ---- 2. the 36 MP photo through the fitter ----
{
    var runs = await RepeatAsync($"/{ServiceNames.FaceDetectorFaceFitter}/process/sample?echo_image=false", ImageBody(Large), Math.Max(5, iterations / 3));
    md.AppendLine("## Large photo");
    md.AppendLine();
    md.AppendLine("| service | photo | faces | p50 (p90) ms | model p50 ms | model runs | ratio |");
    md.AppendLine("|---|---|---|---|---|---|---|");
    json["large_photo"] = Row(md, ServiceNames.FaceDetectorFaceFitter, $"{Large} ({new FileInfo(paths.TestData(Large)).Length / 1024} KiB JPEG)", -1, runs);
    md.AppendLine();
}

// ---- 3. throughput of the full pipeline at concurrency 1, 2, 4 ----
{
    md.AppendLine(string.Create(inv, $"## Throughput, full pipeline, 1 face ({throughputSeconds} s per level)"));
    md.AppendLine();
    md.AppendLine("| concurrency | requests/s | × concurrency 1 | p50 ms | p99 ms |");
    md.AppendLine("|---|---|---|---|---|");
    var path = $"/pipeline/process/sample?echo_image=false&services={string.Join(',', fullPipeline)}";
    var body = ImageBody(OneFace);
    var levels = new JsonArray();
    double first = 0;
    foreach (var c in new[] { 1, 2, 4 })
    {
        var (rate, latencies) = await LoadAsync(path, body, c, TimeSpan.FromSeconds(throughputSeconds));
        if (c == 1) first = rate;
        md.AppendLine(string.Create(inv, $"| {c} | {rate:F2} | {rate / first:F2} | {Latency.Median(latencies):F1} | {Latency.Percentile(latencies, 0.99):F1} |"));
        levels.Add(new JsonObject { ["concurrency"] = c, ["requests_per_s"] = Math.Round(rate, 3), ["p50_ms"] = Math.Round(Latency.Median(latencies), 1), ["p99_ms"] = Math.Round(Latency.Percentile(latencies, 0.99), 1) });
    }

    json["throughput"] = levels;
    md.AppendLine();
}

// ---- 4. testdata/identity: ImageApi against the ort-node peer on the same photos ----
{
    md.AppendLine("## Per image against the plain ONNX Runtime script (ort-node), testdata/identity");
    md.AppendLine();
    md.AppendLine("ImageApi: pipeline route with " + string.Join(", ", peerPipeline) + " (the peer's work: detection, " +
                  "alignment, embedding, age/gender, emotion, liveness); median of 3 requests per photo, then the median over photos.");
    md.AppendLine();
    var files = Directory.GetFiles(paths.TestData("identity")).Order(StringComparer.Ordinal).ToList();
    var path = $"/pipeline/process/sample?echo_image=false&services={string.Join(',', peerPipeline)}";
    var ours = new List<double>();
    var oursModel = new List<double>();
    foreach (var file in files)
    {
        var runs = await RepeatAsync(path, ImageBody(Path.GetRelativePath(paths.TestData(""), file)), 3, warmUp: 1);
        ours.Add(Latency.Median(runs.Select(r => r.Wall)));
        oursModel.Add(Latency.Median(runs.Select(r => r.Model)));
    }

    var peer = new JsonObject { ["ran"] = false };
    md.AppendLine("| runner | photos | median per image ms | of it in models ms |");
    md.AppendLine("|---|---|---|---|");
    md.AppendLine(string.Create(inv, $"| ImageApi | {files.Count} | {Latency.Median(ours):F1} | {Latency.Median(oursModel):F1} |"));
    if (peerFile is not null && File.Exists(peerFile))
    {
        var totals = new List<double>();
        var models = new List<double>();
        foreach (var line in File.ReadLines(peerFile))
        {
            if (JsonNode.Parse(line) is not JsonObject rec || rec["timing_ms"] is not JsonObject t) continue;
            totals.Add(t["total"]!.GetValue<double>());
            models.Add(t["models_only"]!.GetValue<double>());
        }

        md.AppendLine(string.Create(inv, $"| ort-node peer | {totals.Count} | {Latency.Median(totals):F1} | {Latency.Median(models):F1} |"));
        md.AppendLine();
        md.AppendLine(string.Create(inv, $"ImageApi is **{Latency.Median(totals) / Latency.Median(ours):F2} ×** as fast as the peer per image (target ≥ 1.5 ×)."));
        peer = new JsonObject { ["ran"] = true, ["photos"] = totals.Count, ["median_ms"] = Math.Round(Latency.Median(totals), 1), ["models_ms"] = Math.Round(Latency.Median(models), 1) };
    }
    else
    {
        md.AppendLine();
        md.AppendLine("The peer was not run (no `--peer` file).");
    }

    json["identity"] = new JsonObject { ["photos"] = files.Count, ["median_ms"] = Math.Round(Latency.Median(ours), 1), ["models_ms"] = Math.Round(Latency.Median(oursModel), 1), ["peer"] = peer };
    md.AppendLine();
}

// ---- 5. memory: after warm-up, and over a mixed run including the 36 MP photo ----
{
    md.AppendLine(string.Create(inv, $"## Memory (RSS of the host process), mixed run of {soakMinutes:0.#} min"));
    md.AppendLine();
    var mix = new (string Path, byte[] Body)[]
    {
        ($"/pipeline/process/sample?echo_image=false&services={string.Join(',', fullPipeline)}", Bytes(ImageBody(OneFace))),
        ($"/pipeline/process/sample?echo_image=false&services={string.Join(',', fullPipeline)}", Bytes(ImageBody(EightFaces))),
        ($"/{ServiceNames.FaceDetectorFaceFitter}/process/sample?echo_image=false", Bytes(ImageBody(Large))),
        ($"/{ServiceNames.BodyDetector}/process/sample?echo_image=false", Bytes(ImageBody(EightFaces))),
    };
    var rssStart = Rss();
    var samples = new List<(double Minute, double Rss)>();
    var sw = Stopwatch.StartNew();
    var done = 0;
    var nextSample = TimeSpan.Zero;
    while (sw.Elapsed < TimeSpan.FromMinutes(soakMinutes))
    {
        var (p, b) = mix[done % mix.Length];
        await Task.WhenAll(PostBytesAsync(p, b), PostBytesAsync(mix[(done + 1) % mix.Length].Path, mix[(done + 1) % mix.Length].Body));
        done += 2;
        if (sw.Elapsed >= nextSample)
        {
            samples.Add((sw.Elapsed.TotalMinutes, Rss()));
            nextSample += TimeSpan.FromSeconds(10);
        }
    }

    var rssEnd = Rss();
    var firstHalf = samples.Count > 2 ? samples[samples.Count / 2].Rss : rssStart;
    md.AppendLine("| when | RSS MB |");
    md.AppendLine("|---|---|");
    md.AppendLine(string.Create(inv, $"| after warm-up (before any request) | {rssWarm:F0} |"));
    md.AppendLine(string.Create(inv, $"| start of the mixed run (after the rows above) | {rssStart:F0} |"));
    md.AppendLine(string.Create(inv, $"| half-way | {firstHalf:F0} |"));
    md.AppendLine(string.Create(inv, $"| end ({done} requests, concurrency 2) | {rssEnd:F0} |"));
    md.AppendLine(string.Create(inv, $"| max seen | {samples.Select(s => s.Rss).DefaultIfEmpty(rssEnd).Max():F0} |"));
    md.AppendLine();
    md.AppendLine(string.Create(inv, $"Growth from half-way to the end: {(rssEnd / Math.Max(1, firstHalf) - 1) * 100:F1} % (target ≤ 10 %, steady ≤ 600 MB)."));
    json["memory"] = new JsonObject
    {
        ["rss_after_warmup_mb"] = Math.Round(rssWarm), ["rss_start_mb"] = Math.Round(rssStart), ["rss_half_mb"] = Math.Round(firstHalf),
        ["rss_end_mb"] = Math.Round(rssEnd), ["requests"] = done, ["minutes"] = soakMinutes,
    };
}

ResultsFile.Write(outPath, md, json);
return;

static byte[] Bytes(JsonObject body) => Encoding.UTF8.GetBytes(body.ToJsonString());

JsonObject ImageBody(string file) => new()
{
    ["_image"] = new JsonObject { ["blob"] = Convert.ToBase64String(File.ReadAllBytes(paths.TestData(file))), ["format"] = "IMAGE" },
};

Task<(Run Run, JsonObject Body)> PostAsync(string path, JsonObject body) => PostBytesAsync(path, Encoding.UTF8.GetBytes(body.ToJsonString()));

// The body is serialised once per scenario, outside the timed section: the client's own JSON work is not the host's.
async Task<(Run Run, JsonObject Body)> PostBytesAsync(string path, byte[] bytes)
{
    var answer = await TimedPost.JsonAsync(http, new Uri(http.BaseAddress!, path), bytes);
    return (new Run(answer.WallMs, answer.Metric("app"), answer.Metric("model"), answer.ModelRuns), answer.Body);
}

async Task<List<Run>> RepeatAsync(string path, JsonObject body, int count, int warmUp = 3)
{
    var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
    for (var i = 0; i < warmUp; i++) await PostBytesAsync(path, bytes);
    var runs = new List<Run>(count);
    for (var i = 0; i < count; i++) runs.Add((await PostBytesAsync(path, bytes)).Run);
    return runs;
}

async Task<(double Rate, List<double> Latencies)> LoadAsync(string path, JsonObject body, int concurrency, TimeSpan duration)
{
    var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
    await PostBytesAsync(path, bytes);
    var latencies = new List<double>();
    var sw = Stopwatch.StartNew();
    var workers = Enumerable.Range(0, concurrency).Select(async _ =>
    {
        var mine = new List<double>();
        while (sw.Elapsed < duration) mine.Add((await PostBytesAsync(path, bytes)).Run.Wall);
        return mine;
    }).ToList();
    foreach (var w in workers) latencies.AddRange(await w);
    return (latencies.Count / sw.Elapsed.TotalSeconds, latencies);
}

JsonObject Row(StringBuilder report, string name, string photo, int faces, List<Run> runs)
{
    var wall = runs.Select(r => r.Wall).ToList();
    var model = Latency.Median(runs.Select(r => r.Model));
    var ratio = Latency.Median(wall) / model;
    report.AppendLine(string.Create(inv,
        $"| {name} | {photo} | {(faces < 0 ? "" : faces.ToString(inv))} | {Latency.Cell(wall)} | {model:F1} | {runs[0].ModelRuns} | {(model > 0 ? ratio.ToString("F2", inv) + " ×" : "—")} |"));
    return new JsonObject
    {
        ["name"] = name, ["photo"] = photo, ["faces"] = faces, ["p50_ms"] = Math.Round(Latency.Median(wall), 2),
        ["p90_ms"] = Math.Round(Latency.Percentile(wall, 0.9), 2), ["model_p50_ms"] = Math.Round(model, 2),
        ["app_p50_ms"] = Math.Round(Latency.Median(runs.Select(r => r.App)), 2), ["model_runs"] = runs[0].ModelRuns,
        ["ratio"] = model > 0 ? Math.Round(ratio, 3) : null,
    };
}

double Rss() => pid > 0 ? ProcessMemory.RssMegabytes(pid) : double.NaN;

internal readonly record struct Run(double Wall, double App, double Model, int ModelRuns);
