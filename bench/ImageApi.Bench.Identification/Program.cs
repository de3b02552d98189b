using ImageApi.Faces;
using ImageApi.Identification;
using ImageApi.Imaging;
using ImageApi.Templates;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

// bench/ImageApi.Bench.Identification — 1:N identification, measured through the product's own code:
//   accuracy   shared/calibration (MANIFEST.md): one template per image from the product's detector + fitter +
//              extractor (cached in /tmp), persons = identities; multi-image identities: first half enrolled, second
//              half mated probes; single-image identities: every other one enrolled (distractor persons), the rest
//              non-mated probes. Mated probes are also searched with their own person left out, as further
//              non-mated probes. Rank-1 (closed set), FNIR at FPIR 1e-2 / 1e-3 (open set, rank 1).
//   scale      for both template methods (omz_reid_0095_1 256-d, the default, and mobilefacenet_1 128-d): galleries of
//              10k / 100k / 1M templates (real calibration templates of the method + synthetic distractors, one person
//              each: random unit vectors, and at --gaussian-sizes also draws from a Gaussian with the real templates'
//              mean and covariance) written to a SQLite store, each indexed twice from it by Galleries (start-up
//              path): exact (one core) and approximate (int8 codes on every core + exact re-scoring from the store).
//              Galleries.SearchAsync latency (k = 5) for real probes, recall@10 of approximate against exact, rebuild
//              time, RSS and managed-heap growth per million templates.
// Usage: dotnet run -c Release --project bench/ImageApi.Bench.Identification [-- --sizes 10000,100000,1000000
//        --gaussian-sizes 100000,1000000 --queries 300 --omz-images 2000
//        --cache /tmp/imageapi-identification-templates.bin --out bench/results/identification.md]
var arguments = new ToolArguments(args);
var paths = new RepositoryPaths(arguments.String("--shared"));
var inv = CultureInfo.InvariantCulture;
var sizes = arguments.String("--sizes", "10000,100000,1000000").Split(',').Select(s => int.Parse(s, inv)).ToArray();
var gaussianSizes = arguments.String("--gaussian-sizes", "100000,1000000").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s, inv)).ToHashSet();
var queries = arguments.Int("--queries", 300);
var omzBudget = arguments.Int("--omz-images", 2000);
var cachePath = arguments.String("--cache", Path.Combine(Path.GetTempPath(), "imageapi-identification-templates.bin"));
var omzCachePath = Path.ChangeExtension(cachePath, null) + "-omz.bin";
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
var fitting = host.Services.GetRequiredService<FaceFitting>();
var extractor = host.Services.GetRequiredService<FaceTemplateExtractor>();
var decoder = host.Services.GetRequiredService<ImageDecoder>();
var templates = LoadCache(cachePath, TemplateMethod.MobileFaceNet.Dimension);
var todo = images.Where(i => !templates.ContainsKey(i.File)).ToList();
var extractStarted = Stopwatch.GetTimestamp();
Console.Error.WriteLine($"{images.Count} images, {templates.Count} cached, {todo.Count} to extract");
foreach (var (file, _) in todo) Extract(file, TemplateMethod.MobileFaceNet, templates, cachePath);
var extractSeconds = Stopwatch.GetElapsedTime(extractStarted).TotalSeconds;

// 2. Protocol.
var enrolled = new List<(string Person, float[] Vector)>();
var enrolledFiles = new List<string>();
var mated = new List<(string Person, float[]? Vector)>();
var matedFiles = new List<string>();
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
            else
            {
                enrolled.Add((identity.Key, v));
                enrolledFiles.Add(files[0]);
            }
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
        if (templates[f] is { } v)
        {
            enrolled.Add((identity.Key, v));
            enrolledFiles.Add(f);
        }
        else
        {
            failedToEnrol++;
        }
    }

    foreach (var f in files.Skip(half))
    {
        mated.Add((identity.Key, templates[f]));
        matedFiles.Add(f);
    }
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

    var probe = Template(vector, TemplateMethod.MobileFaceNet);
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
    var matches = await galleries.SearchAsync("calibration", Template(vector, TemplateMethod.MobileFaceNet), 1, all, CancellationToken.None);
    nonMatedScores.Add((matches[0].Verification.Score, matches[0].Verification.FaR));
}

var nonMatedProbes = nonMated.Count + mated.Count(m => m.Vector is not null);
var roc = accHost.Services.GetRequiredService<ReferenceRoc>().For(TemplateMethod.MobileFaceNet);
var report = new StringBuilder();
report.AppendLine("# 1:N identification (bench/ImageApi.Bench.Identification)");
report.AppendLine();
report.AppendLine(inv, $"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores (load average {ResultsFile.LoadAverage()}). Accuracy: exact search (the index of a gallery this size), one thread.");
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

// 3. Scale: store → exact and approximate index → search latency, recall, memory; both methods.
var probeIndexes = Enumerable.Range(0, mated.Count).Where(i => mated[i].Vector is not null).Take(queries).ToList();
var referenceRoc = accHost.Services.GetRequiredService<ReferenceRoc>();
await accHost.DisposeAsync();

// omz_reid_0095_1 templates for a subset of the calibration images (extraction is the slow part): every image of the
// probes' identities, then the other enrolled images in order, --omz-images in all.
var probeIdentities = probeIndexes.Select(i => mated[i].Person).ToHashSet(StringComparer.Ordinal);
var omzFiles = images.Where(i => probeIdentities.Contains(i.Identity)).Select(i => i.File)
    .Concat(enrolledFiles).Distinct(StringComparer.Ordinal).Take(Math.Max(omzBudget, 1)).ToHashSet(StringComparer.Ordinal);
var omzTemplates = LoadCache(omzCachePath, TemplateMethod.OmzReid0095.Dimension);
var omzStarted = Stopwatch.GetTimestamp();
foreach (var file in omzFiles.Where(f => !omzTemplates.ContainsKey(f)).ToList()) Extract(file, TemplateMethod.OmzReid0095, omzTemplates, omzCachePath);
var omzSeconds = Stopwatch.GetElapsedTime(omzStarted).TotalSeconds;
var omzReal = enrolledFiles.Select((f, i) => (enrolled[i].Person, Vector: omzFiles.Contains(f) ? omzTemplates[f] : null))
    .Where(e => e.Vector is not null).Select(e => (e.Person, Vector: e.Vector!)).ToList();
var omzProbes = probeIndexes.Where(i => omzTemplates.GetValueOrDefault(matedFiles[i]) is not null)
    .Select(i => (mated[i].Person, Vector: omzTemplates[matedFiles[i]]!)).ToList();
var mfnProbes = probeIndexes.Select(i => (mated[i].Person, Vector: mated[i].Vector!)).ToList();

report.AppendLine();
report.AppendLine("## Search latency, recall, rebuild and memory by gallery size: exact vs approximate");
report.AppendLine();
report.AppendLine("Gallery = real calibration templates of the method + **synthetic distractors** (one person each, seed 1), of two kinds, stated per row:");
report.AppendLine("*random* = uniformly random unit vectors; *Gaussian* = draws from a Gaussian with the mean and covariance of the method's real calibration templates, normalised (closer to a model's output: distractors crowd the probes' neighbourhood like real strangers do, which is what makes approximate search miss).");
report.AppendLine(inv, $"Real templates: mobilefacenet_1 (128-d) all {enrolled.Count} enrolled calibration templates, {mfnProbes.Count} mated probes; omz_reid_0095_1 (256-d, the default method) the {omzReal.Count} enrolled templates among a {omzFiles.Count}-image subset (every image of the probes' identities first; extraction {omzSeconds:F0} s this run), {omzProbes.Count} mated probes.");
report.AppendLine("Each gallery is written once to a SQLite store and indexed twice from it by `Galleries` (the start-up rebuild): **exact** (`ApproximateAbove` = ∞: the float matrix, one core per search) and **approximate** (`ApproximateAbove` = 0 here so that it is measured at every size; by default it applies above 200,000 templates: int8 codes scanned on every core, the best 8 × k rows re-scored exactly from the store).");
report.AppendLine("Latency: `Galleries.SearchAsync`, k = 5, threshold 0 (index search + store re-scoring + verification fields of the k best). Recall@10: the fraction of the exact top-10 persons the approximate top-10 holds, over the probes; *identical* = probes whose approximate top-10 equals the exact one in persons, order and every score/distance/fa_r/fr_r. RSS: growth of the process's resident set over the index rebuild (start-up path; aggressive full GCs before and after, which return freed memory to the OS), per million templates; heap: how much the live managed heap shrinks when the index (matrix or codes, row ids, persons) is released, per million templates; index bytes: the matrix or codes and row arrays alone.");
var methods = new[]
{
    (Method: TemplateMethod.OmzReid0095, Real: omzReal, Probes: omzProbes),
    (Method: TemplateMethod.MobileFaceNet, Real: enrolled, Probes: mfnProbes),
};
foreach (var (method, real, methodProbes) in methods)
{
    report.AppendLine();
    report.AppendLine(inv, $"### {method.Name} ({method.Dimension}-d)");
    report.AppendLine();
    report.AppendLine("| distractors | templates | exact p50 / p99 | approx. p50 / p99 | recall@10 | identical top-10 | rank-1 exact / approx. | rebuild exact / approx. | RSS per 1M exact / approx. | heap per 1M exact / approx. | index bytes exact / approx. |");
    report.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
    var gaussian = new GaussianDistractors([.. real.Select(r => r.Vector)]);
    var runs = sizes.Select(size => (Size: size, Gaussian: false)).Concat(sizes.Where(gaussianSizes.Contains).Select(size => (Size: size, Gaussian: true)));
    foreach (var (size, isGaussian) in runs)
    {
        var dir = Path.Combine(work, $"{method.Name}-{size.ToString(inv)}-{(isGaussian ? "gauss" : "random")}");
        var distractors = Math.Max(0, size - real.Count);
        var rng = new Random(1);
        await BulkLoadAsync(dir, "scale", real, distractors, method, isGaussian ? v => gaussian.Draw(rng, v) : v => RandomUnit(rng, v));
        var approximate = await Released(MeasureAsync(dir, 0, method, methodProbes, referenceRoc));
        var exact = await Released(MeasureAsync(dir, int.MaxValue, method, methodProbes, referenceRoc));
        double recall = 0;
        var identical = 0;
        for (var q = 0; q < methodProbes.Count; q++)
        {
            var truth = exact.Top10[q].Select(m => m.PersonId).ToHashSet(StringComparer.Ordinal);
            recall += truth.Count == 0 ? 1 : approximate.Top10[q].Count(m => truth.Contains(m.PersonId)) / (double)truth.Count;
            if (exact.Top10[q].SequenceEqual(approximate.Top10[q])) identical++;
        }

        recall /= methodProbes.Count;
        var n = exact.Count;
        report.AppendLine(inv, $"| {(isGaussian ? "Gaussian" : "random")} | {n:N0} | {exact.P50:F2} / {exact.P99:F2} ms | **{approximate.P50:F2}** / {approximate.P99:F2} ms | **{recall:F4}** | {identical} of {methodProbes.Count} | {exact.Rank1:P1} / {approximate.Rank1:P1} | {exact.Rebuild:F2} / {approximate.Rebuild:F2} s | {PerMillion(exact.Rss, n)} / **{PerMillion(approximate.Rss, n)}** MB | {PerMillion(exact.Heap, n)} / {PerMillion(approximate.Heap, n)} MB | {exact.IndexBytes / 1048576.0:F0} / {approximate.IndexBytes / 1048576.0:F0} MB |");
        Console.Error.WriteLine($"{method.Name} {(isGaussian ? "gauss" : "random")} {n}: exact p50 {exact.P50:F2} ms, approx p50 {approximate.P50:F2} ms, recall@10 {recall:F4}, identical {identical}, rebuild {exact.Rebuild:F2}/{approximate.Rebuild:F2} s, RSS/M {PerMillion(exact.Rss, n)}/{PerMillion(approximate.Rss, n)} MB");
        SqliteConnection.ClearAllPools();
        Directory.Delete(dir, true);
    }
}

ResultsFile.Write(outPath, report);
Console.WriteLine(report);
return;

static FaceTemplate Template(float[] vector, TemplateMethod method)
{
    FaceTemplate.TryParse(FaceTemplate.Serialize(vector, TemplateElementType.Float32, method), out var t, out _);
    return t!;
}

static string PerMillion(long bytes, int templates) => (bytes / 1048576.0 * 1e6 / templates).ToString("F0", CultureInfo.InvariantCulture);

static void RandomUnit(Random rng, float[] v)
{
    for (var k = 0; k < v.Length; k++) v[k] = (float)(rng.NextDouble() * 2 - 1);
    UnitVector.Normalize(v);
}

// One index of the stored gallery (exact or approximate by approximateAbove), measured: rebuild, latency, the top-10
// of every probe (for recall), the growth of the resident set over the rebuild (after aggressive full GCs, which
// return freed memory to the OS) and the live managed heap with the index (for Released).
static async Task<IndexRun> MeasureAsync(string dir, int approximateAbove, TemplateMethod method, List<(string Person, float[] Vector)> probes, ReferenceRoc roc)
{
    var all = new MatchThreshold(null, 0);
    GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    var rssBefore = Rss();
    var store = new SqliteGalleryStore(dir);
    var g = new Galleries(store, roc, Microsoft.Extensions.Options.Options.Create(new IdentificationOptions { ApproximateAbove = approximateAbove }),
        Microsoft.Extensions.Logging.Abstractions.NullLogger<Galleries>.Instance);
    await g.Started;
    if (g.IsApproximate("scale") != approximateAbove < int.MaxValue) throw new InvalidOperationException("the index is not of the kind asked for");
    var latencies = new List<double>();
    var hits = 0;
    var top10 = new List<IReadOnlyList<PersonMatch>>();
    foreach (var (_, vector) in probes.Take(20)) await g.SearchAsync("scale", Template(vector, method), 5, all, CancellationToken.None); // warm-up
    foreach (var (person, vector) in probes)
    {
        var probe = Template(vector, method);
        var t0 = Stopwatch.GetTimestamp();
        var matches = await g.SearchAsync("scale", probe, 5, all, CancellationToken.None);
        latencies.Add(Latency.Milliseconds(t0, Stopwatch.GetTimestamp()));
        if (matches[0].PersonId == person) hits++;
    }

    foreach (var (_, vector) in probes) top10.Add(await g.SearchAsync("scale", Template(vector, method), 10, all, CancellationToken.None));
    var (_, count, bytes) = g.IndexSize();
    var rebuild = g.LastRebuild.TotalSeconds;
    GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    long rssWith = Rss(), heapWith = GC.GetTotalMemory(true);
    await store.DisposeAsync();
    return new IndexRun((int)count, Latency.Percentile(latencies, 0.5), Latency.Percentile(latencies, 0.99), (double)hits / probes.Count,
        rebuild, rssWith - rssBefore, heapWith, bytes, top10);
}

// The managed memory an index held (run.Heap: the live heap with it) as the drop once it is gone. Called after the
// measuring method has returned and a yield, so that no stack slot of its frame still reports the index to the GC
// (a GC in the frame that used an object may keep it alive).
static async Task<IndexRun> Released(Task<IndexRun> measuring)
{
    var run = await measuring;
    await Task.Yield();
    SqliteConnection.ClearAllPools();
    for (var i = 0; i < 3; i++) GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    return run with { Heap = run.Heap - GC.GetTotalMemory(true) };
}

static long Rss() => ProcessMemory.RssBytes(Environment.ProcessId);

static void WebApp(string dataDirectory, out Microsoft.AspNetCore.Builder.WebApplication app)
{
    Environment.SetEnvironmentVariable("Identification__DataDirectory", dataDirectory);
    app = EvaluationHost.Build(s => s.AddIdentification());
}

// The store's schema, filled in one transaction (a bench shortcut: the API would add persons one request at a time).
static async Task BulkLoadAsync(string dir, string gallery, List<(string Person, float[] Vector)> real, int distractors,
    TemplateMethod? method = null, Action<float[]>? distractor = null)
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
    method ??= TemplateMethod.MobileFaceNet;
    var rng = new Random(1);
    distractor ??= v => RandomUnit(rng, v);
    var v = new float[method.Dimension];
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
            distractor(v);
        }

        pg.Value = gallery; pp.Value = id;
        await person.ExecuteNonQueryAsync();
        tg.Value = gallery; tp.Value = id; tt.Value = FaceTemplate.Serialize(v, TemplateElementType.Float32, method);
        await template.ExecuteNonQueryAsync();
    }

    await tx.CommitAsync();
    await store.DisposeAsync();
}

static Dictionary<string, float[]?> LoadCache(string path, int dimension)
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
                v = new float[dimension];
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


// One template per image (the service pipeline: detect + fit every face, the labelled face by LFW's centre rule), cached.
void Extract(string file, TemplateMethod method, Dictionary<string, float[]?> cache, string path)
{
    var source = new ImageSource(File.ReadAllBytes(Path.Combine(calibration, file)), decoder);
    var faces = fitting.Fit(source);
    float[]? vector = null;
    if (faces.Count > 0)
    {
        float cx = source.Width / 2f, cy = source.Height / 2f;
        var face = faces.Where(f => f.Box.X1 <= cx && cx < f.Box.X2 && f.Box.Y1 <= cy && cy < f.Box.Y2).MaxBy(f => f.Score)
                   ?? faces.MinBy(f => MathF.Pow(f.Box.CenterX - cx, 2) + MathF.Pow(f.Box.CenterY - cy, 2))!;
        vector = extractor.For(method).Extract(source, [face.FivePoints])[0];
    }

    cache[file] = vector;
    AppendCache(path, file, vector);
    if (cache.Count % 500 == 0) Console.Error.WriteLine($"  {method.Name}: {cache.Count} templates");
}

/// <summary>One index of a scale gallery, measured.</summary>
internal sealed record IndexRun(int Count, double P50, double P99, double Rank1, double Rebuild, long Rss, long Heap, long IndexBytes,
    List<IReadOnlyList<PersonMatch>> Top10);
