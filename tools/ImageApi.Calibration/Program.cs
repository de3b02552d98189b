using System.Diagnostics;
using ImageApi.Calibration;
using ImageApi.Faces;
using ImageApi.Imaging;
using ImageApi.Inference;
using ImageApi.Measurement;
using ImageApi.Templates;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

// tools/ImageApi.Calibration — builds verify-matcher's reference ROC table (docs/templates.md).
//   embed       run detect → fit → align → embed on every image of shared/calibration (cached, resumable)
//   roc         genuine/impostor pairs from the cache → libs/ImageApi.Templates/Data/roc-mobilefacenet.json
//               + docs/results/templates-calibration.md
//   drift       re-embed every n-th image (--every, default 40) with the current code and compare with the cache: tells
//               whether changes to detection/fitting since the table was built make it stale (rebuild if so)
//   resolution  testdata identity/group: alignment from the detector's copy vs from a ≥ 224-px decode
// Options: --shared <dir> (default: shared/ above the repo), --cache <file>, --limit <n>, --repo <dir>, --threads <n>,
//          --table <json>, --report <md> (roc outputs), --flip (roc: table for FaceTemplates:FlipAugmentation = true).
var arguments = new ToolArguments(args);
var paths = new RepositoryPaths(arguments.String("--shared"));
var command = arguments.Command() ?? "embed";
var repo = arguments.String("--repo", paths.Repo);
var shared = paths.Shared;
var cachePath = arguments.String("--cache", Path.Combine(Path.GetTempPath(), "imageapi-calibration-embeddings.bin"));
var limit = arguments.Int("--limit", 0);
var calibrationRoot = Path.Combine(shared, "calibration");

var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Models:Directory"] = Path.Combine(repo, "models"),
    ["Inference:IntraOpThreads"] = arguments.String("--threads", "1"),
}).AddEnvironmentVariables().Build();
var services = new ServiceCollection();
services.AddSingleton<IConfiguration>(config);
services.AddLogging();
services.AddOptions<InferenceOptions>().BindConfiguration(InferenceOptions.SectionName);
services.AddOptions<ModelOptions>().BindConfiguration(ModelOptions.SectionName);
services.AddSingleton(new ImageDecoder(new DecoderOptions()));
services.AddSingleton<ModelCatalog>();
services.AddFaceTemplates();
services.AddSingleton<Enroller>();
using var provider = services.BuildServiceProvider();

switch (command)
{
    case "embed":
        Embed();
        break;
    case "roc":
        RocBuilder.Run(CalibrationImage.ReadLabels(calibrationRoot), new EmbeddingCache(cachePath).Load(),
            provider.GetRequiredService<ModelCatalog>().Manifest.Get(provider.GetRequiredService<FaceTemplateExtractor>().Options.Model).Sha256,
            arguments.Flag("--flip"),
            arguments.String("--table", Path.Combine(repo, "libs", "ImageApi.Templates", "Data", "roc-mobilefacenet.json")),
            arguments.String("--report", Path.Combine(repo, "docs", "results", "templates-calibration.md")));
        break;
    case "drift":
        Drift();
        break;
    case "resolution":
        ResolutionCheck.Run(provider, Path.Combine(shared, "testdata"), Path.Combine(repo, "docs", "results", "templates-alignment-resolution.md"));
        break;
    default:
        Console.Error.WriteLine($"unknown command '{command}' (embed | roc | resolution)");
        return 2;
}

return 0;

void Embed()
{
    var images = CalibrationImage.ReadLabels(calibrationRoot);
    if (limit > 0) images = [.. images.Take(limit)];
    var cache = new EmbeddingCache(cachePath);
    var done = cache.Load();
    var enroller = provider.GetRequiredService<Enroller>();
    var todo = images.Where(i => !done.ContainsKey(i.File)).ToList();
    Console.Error.WriteLine($"{images.Count} images, {done.Count} cached, {todo.Count} to embed → {cachePath}");
    var sw = Stopwatch.StartNew();
    var failed = 0;
    for (var k = 0; k < todo.Count; k++)
    {
        EnrolledImage e;
        try
        {
            e = enroller.Enrol(calibrationRoot, todo[k]);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Console.Error.WriteLine($"{todo[k].File}: {ex.GetType().Name}: {ex.Message}");
            e = new EnrolledImage(todo[k].File, EnrolStatus.Failed, [], [], []);
        }

        if (e.Status == EnrolStatus.Failed) failed++;
        cache.Append(e);
        if ((k + 1) % 200 == 0 || k + 1 == todo.Count)
        {
            Console.Error.WriteLine($"{k + 1}/{todo.Count} in {sw.Elapsed.TotalSeconds:F0} s ({sw.Elapsed.TotalMilliseconds / (k + 1):F1} ms/image), {failed} failed to enrol");
        }
    }
}

void Drift()
{
    var every = arguments.Int("--every", 40);
    var images = CalibrationImage.ReadLabels(calibrationRoot);
    var cached = new EmbeddingCache(cachePath).Load();
    var enroller = provider.GetRequiredService<Enroller>();
    var cosines = new List<double>();
    var statusChanged = 0;
    for (var k = 0; k < images.Count; k += every)
    {
        if (!cached.TryGetValue(images[k].File, out var old)) continue;
        var now = enroller.Enrol(calibrationRoot, images[k]);
        if (now.Status != old.Status) { statusChanged++; continue; }
        if (now.Status == EnrolStatus.Failed) continue;
        float[] a = (float[])old.Fit.Clone(), b = (float[])now.Fit.Clone();
        UnitVector.Normalize(a);
        UnitVector.Normalize(b);
        cosines.Add(UnitVector.Dot(a, b));
    }

    cosines.Sort();
    Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"drift: {cosines.Count} images re-embedded (every {every}th), enrolment status changed for {statusChanged}; cos(cached, now): min {cosines[0]:F5}, 1st percentile {cosines[cosines.Count / 100]:F5}, median {cosines[cosines.Count / 2]:F5}, identical {cosines.Count(c => c > 0.999999)}"));
}
