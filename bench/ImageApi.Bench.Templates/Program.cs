using System.Text.Json.Nodes;
using ImageApi.Contracts;
using ImageApi.Faces;
using ImageApi.Imaging;
using ImageApi.Samples;
using ImageApi.Templates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

// bench/ImageApi.Bench.Templates — templates per second (1 and 8 faces per image) and verify-matcher calls per
// second, in-process: JSON body → SampleParser → service → response JSON, as the host runs them minus HTTP.
// Usage: dotnet run -c Release --project bench/ImageApi.Bench.Templates [-- --seconds 10 --threads 1 --out <md>]
var arguments = new ToolArguments(args);
var paths = new RepositoryPaths();
var inv = CultureInfo.InvariantCulture;
var repo = paths.Repo;
var seconds = arguments.Double("--seconds", 10);
var threads = arguments.String("--threads", "1");
var outPath = arguments.String("--out", paths.BenchResults("templates"));

// One host per template method (FaceTemplates:Method), the same photos and the same measurements: the cost per face
// of each method through the real services, and of its model alone.
var rows = new List<string>();
var perFace = new List<string>();
foreach (var method in TemplateMethod.All)
{
    await using var app = EvaluationHost.Build(services => services.AddFaceTemplates(), new Dictionary<string, string?>
    {
        ["Models:Directory"] = Path.Combine(repo, "models"),
        ["Inference:IntraOpThreads"] = threads,
        ["FaceTemplates:Method"] = method.Name,
    });
    var provider = app.Services;
    foreach (var w in provider.GetServices<IWarmable>()) w.WarmUp();
    var parser = provider.GetRequiredService<SampleParser>();
    var storage = provider.GetRequiredService<IOptions<FaceTemplateOptions>>().Value.Storage;

    IImageApiService Service(string name) => provider.GetRequiredKeyedService<IImageApiService>(name);

    string Run(string service, string body)
    {
        var svc = Service(service);
        var sample = parser.Parse(JsonNode.Parse(body), svc.NeedsImage, ServiceNames.Detectors.Contains(service));
        svc.ProcessAsync(sample, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return sample.Root.ToJsonString();
    }

    var m = $"`{method.Name}`";
    foreach (var (file, label) in new[] { ("identity/obama_1.jpg", "1 face (910×1137)"), ("group/compreface_016_8.jpg", "8 faces (800×533)") })
    {
        var body = ImageBody(file);
        var n = Faces(Run(ServiceNames.FaceDetectorTemplateExtractor, body));
        var detect = Measure(() => Faces(Run(ServiceNames.FaceDetectorTemplateExtractor, body)));
        rows.Add($"| {m} | face-detector-template-extractor | {label}, {n} templates | {detect.PerSecond:F1} templates/s | {detect.MedianMs:F1} ms | {detect.CpuMsPerItem:F1} ms | {detect.Runs} |");

        // template-extractor on the fitter's output (what a client sends after face-detector-face-fitter).
        var fitted = JsonNode.Parse(body)!.AsObject();
        var fitter = provider.GetRequiredService<FaceFitting>();
        var image = new ImageSource(File.ReadAllBytes(paths.TestData(file)), provider.GetRequiredService<ImageDecoder>());
        var objects = new JsonArray();
        var faces = fitter.Fit(image);
        foreach (var (f, i) in faces.Select((f, i) => (f, i)))
        {
            var o = new JsonObject();
            FaceObjectWriter.WriteDetection(o, i, f, image.Width, image.Height);
            FaceObjectWriter.WriteFitting(o, f, ApiVersion.V1, image.Width, image.Height);
            objects.Add((JsonNode)o);
        }

        fitted["objects"] = objects;
        var fittedBody = fitted.ToJsonString();
        var extract = Measure(() => Faces(Run(ServiceNames.TemplateExtractor, fittedBody)));
        rows.Add($"| {m} | template-extractor (fitter output in) | {label}, {n} templates | {extract.PerSecond:F1} templates/s | {extract.MedianMs:F1} ms | {extract.CpuMsPerItem:F1} ms | {extract.Runs} |");

        // Alignment + the embedding model on the n faces of the photo (one batch): the method's own cost per face.
        var embedder = provider.GetRequiredService<FaceTemplateExtractor>().Default;
        var points = faces.Select(f => f.FivePoints).ToList();
        var alignEmbed = Measure(() => embedder.Extract(image, points).Length);
        rows.Add($"| {m} | align + embed only (batch of {n}) | {label} | {alignEmbed.PerSecond:F1} templates/s | {alignEmbed.MedianMs:F2} ms | {alignEmbed.CpuMsPerItem:F2} ms | {alignEmbed.Runs} |");
        var crops = Enumerable.Range(0, n).Select(_ => RgbImage.Blank(embedder.CropSize, embedder.CropSize, 120, 110, 100)).ToList();
        var embed = Measure(() => embedder.Embed(crops).Length);
        rows.Add($"| {m} | model only (batch of {n}) | aligned {embedder.CropSize}×{embedder.CropSize} | {embed.PerSecond:F1} templates/s | {embed.MedianMs:F2} ms | {embed.CpuMsPerItem:F2} ms | {embed.Runs} |");
        perFace.Add($"| {m} | {label} | {detect.CpuMsPerItem:F1} | {extract.CpuMsPerItem:F1} | {alignEmbed.CpuMsPerItem:F2} | {embed.CpuMsPerItem:F2} | {FaceTemplate.BlobSize(storage, method)} |");
    }

    var a = JsonNode.Parse(Run(ServiceNames.FaceDetectorTemplateExtractor, ImageBody("identity/obama_1.jpg")))!["objects"]![0]!;
    var b = JsonNode.Parse(Run(ServiceNames.FaceDetectorTemplateExtractor, ImageBody("identity/obama_2.jpg")))!["objects"]![0]!;
    var verifyBody = new JsonObject { ["objects"] = new JsonArray(a.DeepClone(), b.DeepClone()) }.ToJsonString();
    var verify = Measure(() =>
    {
        var k = 0;
        for (; k < 1000; k++) Run(ServiceNames.VerifyMatcher, verifyBody);
        return k;
    });
    rows.Add($"| {m} | verify-matcher | two {FaceTemplate.BlobSize(storage, method)}-byte templates, v1 JSON in/out | {verify.PerSecond:F0} calls/s | {verify.MedianMs:F1} µs | {verify.CpuMsPerItem * 1000:F1} µs | {verify.Runs * 1000} |");
}

(double PerSecond, double MedianMs, int Runs, double CpuMsPerItem) Measure(Func<int> work)
{
    work(); // warm: decode paths, ORT arenas
    var times = new List<double>();
    var items = 0;
    var process = Process.GetCurrentProcess();
    var cpu0 = process.TotalProcessorTime;
    var total = Stopwatch.StartNew();
    while (total.Elapsed.TotalSeconds < seconds || times.Count < 5)
    {
        var sw = Stopwatch.StartNew();
        items += work();
        times.Add(sw.Elapsed.TotalMilliseconds);
    }

    process.Refresh();
    var cpuMs = (process.TotalProcessorTime - cpu0).TotalMilliseconds;
    return (items / total.Elapsed.TotalSeconds, Latency.Median(times), times.Count, cpuMs / Math.Max(1, items));
}

string ImageBody(string file) => new JsonObject { ["$image"] = Convert.ToBase64String(File.ReadAllBytes(paths.TestData(file))) }.ToJsonString();

int Faces(string json) => JsonNode.Parse(json)!["objects"]!.AsArray().Count(o => o!["$template"] is not null);

var md = new StringBuilder();
md.AppendLine("# Templates benchmark");
md.AppendLine();
md.AppendLine($"`dotnet run -c Release --project bench/ImageApi.Bench.Templates -- --seconds {seconds.ToString(inv)} --threads {threads}` on {Environment.ProcessorCount} logical CPUs ({System.Runtime.InteropServices.RuntimeInformation.OSDescription}), {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.");
md.AppendLine($"In-process (JSON body → SampleParser → service → response JSON; no HTTP), one request at a time, ORT intra-op threads = {threads}, CPU provider.");
md.AppendLine("Every row once per template method (a host with `FaceTemplates:Method` set to it). face-detector-template-extractor includes decoding, YuNet, PFLD (two passes), FSA-Net pose, alignment and the method's model; template-extractor skips detection and fitting (keypoints come in); \"align + embed only\" is the method's own cost.");
md.AppendLine();
md.AppendLine("## Cost per face by method (process CPU ms per template)");
md.AppendLine();
md.AppendLine("| method | photo | face-detector-template-extractor | template-extractor | align + embed | model only | template bytes |");
md.AppendLine("|---|---|---|---|---|---|---|");
foreach (var r in perFace) md.AppendLine(r);
md.AppendLine();
md.AppendLine("## All rows");
md.AppendLine();
md.AppendLine("| method | service | input | throughput (wall) | median per call (wall) | process CPU per template / call | calls |");
md.AppendLine("|---|---|---|---|---|---|---|");
foreach (var r in rows) md.AppendLine(r);
md.AppendLine();
md.AppendLine($"Load average at the end (/proc/loadavg): {ResultsFile.LoadAverage()}. On a shared machine the wall-clock numbers are lower bounds;");
md.AppendLine("the process CPU time per template (all threads of this process, incl. GC and ORT) is the contention-independent cost: 1000 / it ≈ templates per second per core.");
ResultsFile.Write(outPath, md);
Console.WriteLine(md.ToString());
return 0;
