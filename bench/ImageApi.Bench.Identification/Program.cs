using System.Diagnostics;
using System.Globalization;
using System.Text;
using ImageApi.Faces;
using ImageApi.Identification;
using ImageApi.Imaging;
using ImageApi.Measurement;
using ImageApi.Templates;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

// bench/ImageApi.Bench.Identification — 1:N identification, measured through the product's own code:
//   accuracy   shared/calibration (MANIFEST.md): one template per image from the product's detector + fitter +
//              extractor (cached in /tmp), persons = identities; multi-image identities: first half enrolled, second
//              half mated probes; single-image identities: every other one enrolled (distractor persons), the rest
//              non-mated probes. Mated probes are also searched with their own person left out, as further
//              non-mated probes. Rank-1 (closed set), FNIR at FPIR 1e-2 / 1e-3 (open set, rank 1).
//   scale      galleries of 10k / 100k / 1M templates (the enrolled calibration templates + synthetic distractors:
//              random unit vectors, one person each) written to a SQLite store, rebuilt by Galleries (start-up path),
//              then Galleries.SearchAsync latency (k = 5) for real probes, and RSS growth per million templates.
// Usage: dotnet run -c Release --project bench/ImageApi.Bench.Identification [-- --sizes 10000,100000,1000000
//        --queries 300 --cache /tmp/imageapi-identification-templates.bin --out bench/results/identification.md]
var arguments = new ToolArguments(args);
var paths = new RepositoryPaths(arguments.String("--shared"));
var inv = CultureInfo.InvariantCulture;
var sizes = arguments.String("--sizes", "10000,100000,1000000").Split(',').Select(s => int.Parse(s, inv)).ToArray();
var queries = arguments.Int("--queries", 300);
var cachePath = arguments.String("--cache", Path.Combine(Path.GetTempPath(), "imageapi-identification-templates.bin"));
var outPath = arguments.String("--out", paths.BenchResults("identification"));
var work = Path.Combine(Path.GetTempPath(), "imageapi-bench-identification");
if (Directory.Exists(work)) Directory.Delete(work, true);

Environment.SetEnvironmentVariable("Models__Directory", Path.Combine(paths.Repo, "models"));
WebApp(Path.Combine(work, "extract"), out var host);
var calibration = Path.Combine(paths.Shared, "calibration");
var labels = File.ReadAllLines(Path.Combine(calibration, "labels.csv"));
var header = CsvLine.Split(labels[0]);
int fileCol = header.IndexOf("file"), idCol = header.IndexOf("identity");
var images = labels.Skip(1).Where(l => l.Length > 0).Select(CsvLine.Split).Select(c => (File: c[fileCol], Identity: c[idCol])).ToList();

// 1. One template per image (the service pipeline: detect + fit every face, the labelled face by LFW's rule).
var templates = LoadCache(cachePath);
var fitting = host.Services.GetRequiredService<FaceFitting>();
var extractor = host.Services.GetRequiredService<FaceTemplateExtractor>();
var decoder = host.Services.GetRequiredService<ImageDecoder>();
var todo = images.Where(i => !templates.ContainsKey(i.File)).ToList();
var extractStarted = Stopwatch.GetTimestamp();
Console.Error.WriteLine($"{images.Count} images, {templates.Count} cached, {todo.Count} to extract");
foreach (var (file, _) in todo)
{
    var source = new ImageSource(File.ReadAllBytes(Path.Combine(calibration, file)), decoder);
    var faces = fitting.Fit(source);
    float[]? vector = null;
    if (faces.Count > 0)
    {
        float cx = source.Width / 2f, cy = source.Height / 2f;
        var face = faces.Where(f => f.Box.X1 <= cx && cx < f.Box.X2 && f.Box.Y1 <= cy && cy < f.Box.Y2).MaxBy(f => f.Score)
                   ?? faces.MinBy(f => MathF.Pow(f.Box.CenterX - cx, 2) + MathF.Pow(f.Box.CenterY - cy, 2))!;
        vector = extractor.For(TemplateMethod.MobileFaceNet).Extract(source, [face.FivePoints])[0];
    }

    templates[file] = vector;
    AppendCache(cachePath, file, vector);
    if (templates.Count % 500 == 0) Console.Error.WriteLine($"  {templates.Count} / {images.Count}");
}

var extractSeconds = Stopwatch.GetElapsedTime(extractStarted).TotalSeconds;

// 2. Protocol.
var enrolled = new List<(string Person, float[] Vector)>();
var mated = new List<(string Person, float[]? Vector)>();
var nonMated = new List<float[]?>();
var failedToEnrol = 0;
var singleIndex = 0;
foreach (var identity in images.GroupBy(i => i.Identity).OrderBy(g => g.Key, StringComparer.Ordinal))
{
    var files = identity.Select(i => i.File).OrderBy(f => f, StringComparer.Ordinal).ToList();
    if (files.Count == 1)
    {
        var v = templates[files[0]];
        if (singleIndex++ % 2 == 0)
        {
            if (v is null) failedToEnrol++;
            else enrolled.Add((identity.Key, v));
        }
        else
        {
            nonMated.Add(v);
        }

        continue;
    }

    var half = (files.Count + 1) / 2;
    foreach (var f in files.Take(half))
    {
        if (templates[f] is { } v) enrolled.Add((identity.Key, v));
        else failedToEnrol++;
    }

    foreach (var f in files.Skip(half)) mated.Add((identity.Key, templates[f]));
}

WebApp(Path.Combine(work, "accuracy"), out var accHost);
var galleries = accHost.Services.GetRequiredService<Galleries>();
await BulkLoadAsync(Path.Combine(work, "accuracy"), "calibration", enrolled, 0);
await galleries.RebuildAsync(CancellationToken.None);
var all = new MatchThreshold(null, 0);
var rank1Hits = 0;
var matedScores = new List<(double Score, double Far)>(); // the mate's when it is rank 1, else (-inf, +inf)
var nonMatedScores = new List<(double Score, double Far)>(); // the best candidate's
foreach (var (person, vector) in mated)
{
    if (vector is null)
    {
        matedScores.Add((double.NegativeInfinity, double.PositiveInfinity));
        continue;
    }

    var probe = Template(vector);
    var matches = await galleries.SearchAsync("calibration", probe, 2, all, CancellationToken.None);
    var top = matches[0];
    if (top.PersonId == person) rank1Hits++;
    matedScores.Add(top.PersonId == person ? (top.Verification.Score, top.Verification.FaR) : (double.NegativeInfinity, double.PositiveInfinity));
    var other = matches.First(m => m.PersonId != person);
    nonMatedScores.Add((other.Verification.Score, other.Verification.FaR));
}

foreach (var vector in nonMated)
{
    if (vector is null) continue; // no face: nobody is returned, no false positive
    var matches = await galleries.SearchAsync("calibration", Template(vector), 1, all, CancellationToken.None);
    nonMatedScores.Add((matches[0].Verification.Score, matches[0].Verification.FaR));
}

var nonMatedProbes = nonMated.Count + mated.Count(m => m.Vector is not null);
var roc = accHost.Services.GetRequiredService<ReferenceRoc>().For(TemplateMethod.MobileFaceNet);
var report = new StringBuilder();
report.AppendLine("# 1:N identification (bench/ImageApi.Bench.Identification)");
report.AppendLine();
report.AppendLine(inv, $"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores (load average {ResultsFile.LoadAverage()}), exact search (the default index), one thread.");
report.AppendLine();
report.AppendLine("## Accuracy on shared/calibration");
report.AppendLine();
report.AppendLine(inv, $"Templates from the product's pipeline (detect + fit + align + MobileFaceNet; the labelled face by LFW's centre rule), {images.Count} images, {templates.Values.Count(v => v is null)} without a face{(todo.Count > 0 ? $" (extraction took {extractSeconds:F0} s)" : "")}.");
report.AppendLine(inv, $"Gallery: {enrolled.Count} templates of {enrolled.Select(e => e.Person).Distinct().Count()} persons (first half of every multi-image identity's images, every other single-image identity; {failedToEnrol} failed to enrol).");
report.AppendLine(inv, $"Mated probes: {mated.Count} (second half of each multi-image identity). Non-mated probes: {nonMatedProbes} = {nonMated.Count} single-image identities not enrolled + every mated probe searched with its own person left out (its best other person).");
report.AppendLine();
var rank1 = (double)rank1Hits / mated.Count;
report.AppendLine(inv, $"- **Rank-1 (closed set): {100 * rank1:F2} %** ({rank1Hits} of {mated.Count}; probes without a face count as misses).");
report.AppendLine();
report.AppendLine("| operating point | threshold | FPIR measured | FNIR (rank 1) |");
report.AppendLine("|---|---|---|---|");
var sortedNon = nonMatedScores.Select(s => s.Score).OrderByDescending(s => s).ToList();
foreach (var fpir in new[] { 1e-2, 1e-3 })
{
    var allowed = (int)Math.Floor(fpir * nonMatedProbes);
    var threshold = allowed < sortedNon.Count ? Math.BitIncrement(sortedNon[allowed]) : 0;
    var fp = sortedNon.Count(s => s >= threshold);
    var fnir = matedScores.Count(s => s.Score < threshold) / (double)matedScores.Count;
    report.AppendLine(inv, $"| FPIR {fpir:0e0} | score ≥ {threshold:F4} | {(double)fp / nonMatedProbes:0.0000} ({fp} of {nonMatedProbes}) | **{100 * fnir:F2} %** |");
}

foreach (var far in new[] { 1e-2, 1e-3, 1e-4 })
{
    // The gallery threshold as the API applies it: keep candidates with fa_r ≤ far (reference ROC).
    var fp = nonMatedScores.Count(s => s.Far <= far);
    var fnir = matedScores.Count(s => !(s.Far <= far)) / (double)matedScores.Count;
    report.AppendLine(inv, $"| gallery threshold far={far:0e0}{(far == 1e-3 ? " (default)" : "")} | fa_r ≤ {far:0e0} | {(double)fp / nonMatedProbes:0.0000} ({fp} of {nonMatedProbes}) | {100 * fnir:F2} % |");
}

report.AppendLine();
report.AppendLine("FNIR counts a mated probe as missed when its mate is not rank 1 or scores below the threshold. The threshold is the");
report.AppendLine("score above which the given fraction of non-mated probes is returned (FPIR = non-mated probes with any candidate ≥ t).");

// 3. Scale: store → rebuild → search latency, memory.
report.AppendLine();
report.AppendLine("## Search latency, rebuild and memory by gallery size");
report.AppendLine();
report.AppendLine(inv, $"Gallery = the {enrolled.Count} calibration templates + synthetic distractors (random unit 128-d vectors, one person each, seed 1: **synthetic, stated as such**; exact search time does not depend on their distribution). Probes: {queries} mated calibration probes, k = 5, through `Galleries.SearchAsync` (index search + verification fields of the k best). Rebuild: `Galleries.RebuildAsync` from the SQLite store (start-up path). RSS: growth of the process's resident set over the rebuild, after a full GC, per million templates.");
report.AppendLine();
report.AppendLine("| templates | search p50 | search p99 | rank-1 of the probes | rebuild from SQLite | RSS growth | per 1M templates | matrix bytes |");
report.AppendLine("|---|---|---|---|---|---|---|---|");
var probes = mated.Where(m => m.Vector is not null).Take(queries).ToList();
await accHost.DisposeAsync();
foreach (var size in sizes)
{
    var dir = Path.Combine(work, "size-" + size.ToString(inv));
    var distractors = Math.Max(0, size - enrolled.Count);
    await BulkLoadAsync(dir, "scale", enrolled, distractors);
    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    var before = Rss();
    WebApp(dir, out var scaleHost);
    var g = scaleHost.Services.GetRequiredService<Galleries>();
    await g.Started;
    var rebuild = g.LastRebuild.TotalSeconds;
    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    var growth = Rss() - before;
    var latencies = new List<double>();
    var hits = 0;
    foreach (var (person, vector) in probes)
    {
        var probe = Template(vector!);
        var t0 = Stopwatch.GetTimestamp();
        var matches = await g.SearchAsync("scale", probe, 5, all, CancellationToken.None);
        latencies.Add(Latency.Milliseconds(t0, Stopwatch.GetTimestamp()));
        if (matches[0].PersonId == person) hits++;
    }

    var (_, count, bytes) = g.IndexSize();
    report.AppendLine(inv, $"| {count:N0} | {Latency.Percentile(latencies, 0.5):F2} ms | {Latency.Percentile(latencies, 0.99):F2} ms | {100.0 * hits / probes.Count:F1} % | {rebuild:F2} s | {growth / 1048576.0:F0} MB | {growth / 1048576.0 * 1e6 / count:F0} MB | {bytes / 1048576.0:F0} MB |");
    Console.Error.WriteLine($"size {count}: p50 {Latency.Percentile(latencies, 0.5):F2} ms, rebuild {rebuild:F2} s, RSS +{growth / 1048576.0:F0} MB");
    await scaleHost.DisposeAsync();
    SqliteConnection.ClearAllPools();
    Directory.Delete(dir, true);
}

ResultsFile.Write(outPath, report);
Console.WriteLine(report);
return;

static FaceTemplate Template(float[] vector)
{
    FaceTemplate.TryParse(FaceTemplate.Serialize(vector, TemplateElementType.Float32, TemplateMethod.MobileFaceNet), out var t, out _);
    return t!;
}

static long Rss()
{
    foreach (var line in File.ReadLines("/proc/self/status"))
    {
        if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
        {
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
    }

    return 0;
}

static void WebApp(string dataDirectory, out Microsoft.AspNetCore.Builder.WebApplication app)
{
    Environment.SetEnvironmentVariable("Identification__DataDirectory", dataDirectory);
    app = EvaluationHost.Build(s => s.AddIdentification());
}

// The store's schema, filled in one transaction (a bench shortcut: the API would add persons one request at a time).
static async Task BulkLoadAsync(string dir, string gallery, List<(string Person, float[] Vector)> real, int distractors)
{
    var store = new SqliteGalleryStore(dir);
    await store.InitializeAsync(CancellationToken.None);
    await store.CreateGalleryAsync(new GalleryInfo(gallery, 1e-3, null, DateTimeOffset.UtcNow), CancellationToken.None);
    await using var c = new SqliteConnection($"Data Source={store.Path};Foreign Keys=False");
    await c.OpenAsync();
    await using var tx = c.BeginTransaction();
    var person = c.CreateCommand();
    person.Transaction = tx;
    person.CommandText = "INSERT OR IGNORE INTO persons (gallery, id, created_at) VALUES ($g, $p, '2026-01-01T00:00:00Z')";
    var pg = person.Parameters.Add("$g", SqliteType.Text);
    var pp = person.Parameters.Add("$p", SqliteType.Text);
    var template = c.CreateCommand();
    template.Transaction = tx;
    template.CommandText = "INSERT INTO templates (gallery, person, template, created_at) VALUES ($g, $p, $t, '2026-01-01T00:00:00Z')";
    var tg = template.Parameters.Add("$g", SqliteType.Text);
    var tp = template.Parameters.Add("$p", SqliteType.Text);
    var tt = template.Parameters.Add("$t", SqliteType.Blob);
    var rng = new Random(1);
    var v = new float[TemplateMethod.MobileFaceNet.Dimension];
    for (var i = 0; i < real.Count + distractors; i++)
    {
        string id;
        if (i < real.Count)
        {
            id = real[i].Person;
            real[i].Vector.CopyTo(v, 0);
        }
        else
        {
            id = "synthetic-" + (i - real.Count).ToString(CultureInfo.InvariantCulture);
            for (var k = 0; k < v.Length; k++) v[k] = (float)(rng.NextDouble() * 2 - 1);
            UnitVector.Normalize(v);
        }

        pg.Value = gallery; pp.Value = id;
        await person.ExecuteNonQueryAsync();
        tg.Value = gallery; tp.Value = id; tt.Value = FaceTemplate.Serialize(v, TemplateElementType.Float32, TemplateMethod.MobileFaceNet);
        await template.ExecuteNonQueryAsync();
    }

    await tx.CommitAsync();
    await store.DisposeAsync();
}

static Dictionary<string, float[]?> LoadCache(string path)
{
    var result = new Dictionary<string, float[]?>(StringComparer.Ordinal);
    if (!File.Exists(path)) return result;
    using var reader = new BinaryReader(File.OpenRead(path));
    while (reader.BaseStream.Position < reader.BaseStream.Length)
    {
        try
        {
            var file = reader.ReadString();
            var has = reader.ReadBoolean();
            float[]? v = null;
            if (has)
            {
                v = new float[TemplateMethod.MobileFaceNet.Dimension];
                for (var i = 0; i < v.Length; i++) v[i] = reader.ReadSingle();
            }

            result[file] = v;
        }
        catch (EndOfStreamException)
        {
            break;
        }
    }

    return result;
}

static void AppendCache(string path, string file, float[]? v)
{
    using var writer = new BinaryWriter(new FileStream(path, FileMode.Append, FileAccess.Write));
    writer.Write(file);
    writer.Write(v is not null);
    if (v is not null) foreach (var x in v) writer.Write(x);
}

