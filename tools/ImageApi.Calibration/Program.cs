using System.Diagnostics;
using ImageApi.Calibration;
using ImageApi.Faces;
using ImageApi.Imaging;
using ImageApi.Inference;
using Microsoft.Extensions.DependencyInjection;

// tools/ImageApi.Calibration — builds verify-matcher's reference ROC table (docs/templates.md).
//   embed       run detect → fit once, then align → embed for every template method, on every image of
//               shared/calibration (one cache per method, resumable)
//   roc         per method: genuine/impostor pairs from its cache → libs/ImageApi.Templates/Data/roc-<model>.json
//               + docs/results/templates-calibration[-<method>].md; then docs/results/templates-methods.md (side by side)
//   drift       re-embed every n-th image (--every, default 40) with the current code and compare with the cache: tells
//               whether changes to detection/fitting since the table was built make it stale (rebuild if so)
//   resolution  testdata identity/group: alignment from the detector's copy vs from a ≥ 224-px decode
// Options: --shared <dir> (default: shared/ above the repo), --cache <file> (MobileFaceNet's; other methods add
//          -<method> to the name), --method <name> (default: every method), --limit <n>, --repo <dir>, --threads <n>,
//          --flip (roc: tables for FaceTemplates:FlipAugmentation = true).
var arguments = new ToolArguments(args);
var paths = new RepositoryPaths(arguments.String("--shared"));
var command = arguments.Command() ?? "embed";
var repo = arguments.String("--repo", paths.Repo);
var shared = paths.Shared;
var cachePath = arguments.String("--cache", Path.Combine(Path.GetTempPath(), "imageapi-calibration-embeddings.bin"));
var limit = arguments.Int("--limit", 0);
var calibrationRoot = Path.Combine(shared, "calibration");
var methodArg = arguments.String("--method", "");
IReadOnlyList<TemplateMethod> methods = string.IsNullOrEmpty(methodArg)
    ? TemplateMethod.All
    : [TemplateMethod.Named(methodArg) ?? throw new ArgumentException($"unknown method '{methodArg}'")];

await using var app = EvaluationHost.Build(services => services.AddFaceTemplates().AddSingleton<Enroller>(), new Dictionary<string, string?>
{
    ["Models:Directory"] = Path.Combine(repo, "models"),
    ["Inference:IntraOpThreads"] = arguments.String("--threads", "1"),
});
var provider = app.Services;

switch (command)
{
    case "embed":
        Embed();
        break;
    case "roc":
        var results = new List<MethodResult>();
        foreach (var method in methods)
        {
            var cache = EmbeddingCache.For(cachePath, method);
            if (!File.Exists(cache.Path))
            {
                Console.Error.WriteLine($"{method.Name}: no cache at {cache.Path} (run 'embed'); skipped");
                continue;
            }

            results.Add(RocBuilder.Run(method, CalibrationImage.ReadLabels(calibrationRoot), cache.Load(),
                provider.GetRequiredService<ModelCatalog>().Manifest.Get(method.Model).Sha256,
                arguments.Flag("--flip"),
                Path.Combine(repo, "libs", "ImageApi.Templates", "Data", Path.GetFileName(RocTable.BuiltInResource(method)["ImageApi.Templates.".Length..])),
                Path.Combine(repo, "docs", "results", method == TemplateMethod.MobileFaceNet ? "templates-calibration.md" : $"templates-calibration-{method.Name}.md")));
        }

        if (results.Count > 1) MethodComparison.Write(Path.Combine(repo, "docs", "results", "templates-methods.md"), results);
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
    var caches = methods.Select(m => EmbeddingCache.For(cachePath, m)).ToArray();
    var done = caches.Select(c => c.Load()).ToArray();
    var enroller = provider.GetRequiredService<Enroller>();
    // An image is redone for every method when any method lacks it (detection and fitting are shared anyway).
    var todo = images.Where(i => done.Any(d => !d.ContainsKey(i.File))).ToList();
    Console.Error.WriteLine($"{images.Count} images, {todo.Count} to embed for {string.Join(", ", methods.Select(m => m.Name))} → {string.Join(", ", caches.Select(c => c.Path))}");
    var sw = Stopwatch.StartNew();
    var failed = 0;
    for (var k = 0; k < todo.Count; k++)
    {
        EnrolledImage[] e;
        try
        {
            e = enroller.Enrol(calibrationRoot, todo[k], methods);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Console.Error.WriteLine($"{todo[k].File}: {ex.GetType().Name}: {ex.Message}");
            e = [.. methods.Select(_ => new EnrolledImage(todo[k].File, EnrolStatus.Failed, [], [], []))];
        }

        if (e[0].Status == EnrolStatus.Failed) failed++;
        for (var m = 0; m < caches.Length; m++)
        {
            if (!done[m].ContainsKey(todo[k].File)) caches[m].Append(e[m]);
        }
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
    var cached = EmbeddingCache.For(cachePath, TemplateMethod.MobileFaceNet).Load();
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
