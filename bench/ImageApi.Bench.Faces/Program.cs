using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using ImageApi.Contracts;
using ImageApi.Faces;
using ImageApi.Imaging;
using ImageApi.Inference;
using Microsoft.Extensions.Options;

// Per-stage latency of face-detector-face-fitter's work for one request, as the service runs it: a fresh ImageSource
// per request (so the ≤ 640 px decode is paid every time), detect, landmarks (two passes), pose (two models, flip
// averaged), then writing the v1 and v2 objects and serialising them. Plus the decode of a 4912×7360 JPEG: at the
// detector's 640 px (what the stage does) vs. full size, with time and memory.
// Usage: dotnet run -c Release --project bench/ImageApi.Bench.Faces [-- --threads 1 --iterations 30 --out path]
var (_, paths, threads, iterations, outPath) = new BenchArguments(args, "faces", iterations: 30);
string Data(string rel) => paths.TestData(rel);

using var catalog = EvaluationHost.ModelCatalog(threads);
var fittingOptions = Options.Create(new FaceFittingOptions());
var detector = new FaceDetector(catalog, Options.Create(new FaceDetectorOptions()));
var landmarker = new FaceLandmarker(catalog, fittingOptions);
var pose = new HeadPoseEstimator(catalog, fittingOptions);
detector.WarmUp();
landmarker.WarmUp();
pose.WarmUp();
var decoder = new ImageDecoder();

var report = new StringBuilder();
report.AppendLine("# Face detection + fitting latency (bench/ImageApi.Bench.Faces)");
report.AppendLine();
report.AppendLine(string.Create(CultureInfo.InvariantCulture,
    $"{DateTime.UtcNow:yyyy-MM-dd}, {RuntimeInformation.OSDescription}, {Environment.ProcessorCount} logical CPUs, ORT CPU, " +
    $"{threads} intra-op thread(s), {iterations} timed requests after 3 warm-up ones; medians (p90) in ms. " +
    $"Load average at start: {ResultsFile.LoadAverage()} — the VM is shared with other jobs, so these are upper bounds."));
report.AppendLine();
report.AppendLine("| photo | faces | decode ≤640 | detect | landmarks (2 passes) | pose (2 models × flip) | serialize v1+v2 | total |");
report.AppendLine("|---|---|---|---|---|---|---|---|");

foreach (var (label, file) in new[] { ("1 face, 910×1137", "identity/obama_1.jpg"), ("8 faces, 800×533", "group/compreface_016_8.jpg") })
{
    var bytes = File.ReadAllBytes(Data(file));
    var t = new Dictionary<string, List<double>> { ["decode"] = [], ["detect"] = [], ["landmarks"] = [], ["pose"] = [], ["serialize"] = [], ["total"] = [] };
    var faces = 0;
    for (var i = -3; i < iterations; i++)
    {
        var t0 = Stopwatch.GetTimestamp();
        var source = new ImageSource(bytes, decoder);
        _ = source.Get(detector.Options.InputLongSide);
        var t1 = Stopwatch.GetTimestamp();
        var found = detector.Detect(source).OrderByDescending(d => d.Score).ToList();
        var t2 = Stopwatch.GetTimestamp();
        var boxes = found.Select(d => d.Box).ToList();
        var points = landmarker.Detect(source, boxes);
        var t3 = Stopwatch.GetTimestamp();
        var poses = pose.Estimate(source, boxes);
        var t4 = Stopwatch.GetTimestamp();
        var length = 0;
        foreach (var version in new[] { ApiVersion.V1, ApiVersion.V2 })
        {
            var objects = new JsonArray();
            for (var k = 0; k < boxes.Count; k++)
            {
                var f = new FittedFace(boxes[k], found[k].Score, VendorKeypointMap.ToFivePoints(points[k]), VendorKeypointMap.ToVendor21(points[k]), points[k], poses[k]);
                var o = new JsonObject();
                FaceObjectWriter.WriteDetection(o, k, f, source.Width, source.Height);
                FaceObjectWriter.WriteFitting(o, f, version, source.Width, source.Height);
                objects.Add((JsonNode)o);
            }

            length += objects.ToJsonString().Length;
        }

        var t5 = Stopwatch.GetTimestamp();
        if (i < 0) continue;
        faces = boxes.Count;
        t["decode"].Add(Latency.Milliseconds(t0, t1));
        t["detect"].Add(Latency.Milliseconds(t1, t2));
        t["landmarks"].Add(Latency.Milliseconds(t2, t3));
        t["pose"].Add(Latency.Milliseconds(t3, t4));
        t["serialize"].Add(Latency.Milliseconds(t4, t5));
        t["total"].Add(Latency.Milliseconds(t0, t5));
        GC.KeepAlive(length);
    }

    report.AppendLine(string.Create(CultureInfo.InvariantCulture,
        $"| {label} (`{file}`) | {faces} | {Latency.Cell(t["decode"])} | {Latency.Cell(t["detect"])} | {Latency.Cell(t["landmarks"])} | {Latency.Cell(t["pose"])} | {Latency.Cell(t["serialize"])} | {Latency.Cell(t["total"])} |"));
}

// The 36 MP photo: decode at 640 (the stage's path) vs. full size. Managed bytes are the RGB copy (+ small buffers);
// Skia's RGBA bitmap is native, so the peak working set is reported too (the full decode is measured last, because
// the peak only grows).
var big = File.ReadAllBytes(Data("identity/compreface_A_001.jpg"));
report.AppendLine();
report.AppendLine("## 4912×7360 JPEG (`identity/compreface_A_001.jpg`, 2.4 MB)");
report.AppendLine();
report.AppendLine("| decode | median ms (p90) | managed bytes allocated | peak working set after |");
report.AppendLine("|---|---|---|---|");
foreach (var (label, maxSide) in new[] { ("≤ 640 px (DCT-scaled 1/8, then resized) — what the stage does", 640), ("full size (for comparison)", 0) })
{
    var times = new List<double>();
    long managed = 0;
    var n = maxSide == 0 ? Math.Min(iterations, 8) : iterations;
    for (var i = -1; i < n; i++)
    {
        GC.Collect();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var t0 = Stopwatch.GetTimestamp();
        var img = decoder.Decode(big, maxSide);
        var ms = Latency.Milliseconds(t0, Stopwatch.GetTimestamp());
        managed = GC.GetAllocatedBytesForCurrentThread() - before;
        GC.KeepAlive(img);
        if (i >= 0) times.Add(ms);
    }

    using var process = Process.GetCurrentProcess();
    report.AppendLine(string.Create(CultureInfo.InvariantCulture,
        $"| {label} | {Latency.Cell(times)} | {managed / 1e6:F1} MB | {process.PeakWorkingSet64 / 1e6:F0} MB |"));
}

// The whole stage on the 36 MP photo (fresh source per request): which decodes it made.
{
    var source = new ImageSource(big, decoder);
    var fitting = new FaceFitting(detector, landmarker, pose, fittingOptions);
    var times = new List<double>();
    for (var i = -1; i < Math.Min(iterations, 10); i++)
    {
        source = new ImageSource(big, decoder);
        var t0 = Stopwatch.GetTimestamp();
        var found = fitting.Fit(source);
        if (i >= 0) times.Add(Latency.Milliseconds(t0, Stopwatch.GetTimestamp()));
        GC.KeepAlive(found);
    }

    report.AppendLine();
    report.AppendLine(string.Create(CultureInfo.InvariantCulture,
        $"Whole stage (decode + detect + landmarks + pose) on it: {Latency.Cell(times)} ms; the detector uses the ≤ 640 decode, the landmark crop (face ≈ 540 px of 7360) asks ImageSource.ForRegion for ≥ 112 px on the face, i.e. a ≤ 1536 px decode; nothing is decoded at full size."));
}

ResultsFile.Write(outPath, report);
Console.Write(report);
