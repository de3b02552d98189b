using ImageApi.Eval.Liveness;
using ImageApi.Faces;
using Microsoft.Extensions.DependencyInjection;

// Usage: dotnet run -c Release --project tools/ImageApi.Eval.Liveness [-- --shared <dir>] [--out <file>] [--target-bpcer 0.05] [--scores <tsv>]
// Runs the real liveness services (AddLiveness, shipped settings) over shared/liveness-dev and the test photos and
// writes docs/results/liveness.md. Every method is measured from the same model runs (LivenessEstimator.Score, public API only).
var arguments = new ToolArguments(args);
var paths = new RepositoryPaths(arguments.String("--shared"));
var output = arguments.String("--out", paths.DocsResults("liveness"));
var targetBpcer = arguments.Double("--target-bpcer", 0.05);

await using var app = EvaluationHost.Build(services => services.AddFaceFitting().AddLiveness());
var runner = new ServiceRunner(app.Services);
var ct = CancellationToken.None; // nothing cancels a run

var devDir = Path.Combine(paths.Shared, "liveness-dev");
var dev = ReadDevLabels(Path.Combine(devDir, "labels.csv"));
var measured = new List<MeasuredImage>();
foreach (var image in dev)
{
    measured.Add(await runner.MeasureCropAsync(Path.Combine(devDir, image.File), image, ct));
    if (measured.Count % 50 == 0) Console.WriteLine($"liveness-dev: {measured.Count}/{dev.Count}");
}

if (arguments.String("--scores") is { } scoresFile)
{
    // Per-image raw model outputs, for inspection (kept out of the repository: the dev images are not ours to publish).
    await File.WriteAllLinesAsync(scoresFile, measured.Select(m => string.Join('\t', m.Image.File, m.Image.Subject, m.Image.IsReal ? "real" : "spoof",
        m.FacesFound, m.Pipeline.CelebaSpoofLogitDifference, m.Pipeline.SilentFaceV2Real, m.Pipeline.SilentFaceV1SeReal,
        m.WholeCrop.CelebaSpoofLogitDifference, m.WholeCrop.SilentFaceV2Real, m.WholeCrop.SilentFaceV1SeReal)), ct);
}

var photos = new List<PhotoResult>();
foreach (var folder in new[] { "identity", "liveness" })
{
    foreach (var file in Directory.GetFiles(paths.TestData(folder)).Order(StringComparer.Ordinal))
    {
        var relative = folder + "/" + Path.GetFileName(file);
        photos.Add(await runner.MeasurePhotoAsync(file, relative, ct));
    }
}

Console.WriteLine($"test photos: {photos.Count}");
var results = new List<MethodResult>();
foreach (var variant in Enum.GetValues<CropVariant>())
{
    foreach (var method in Enum.GetValues<LivenessMethod>()) results.Add(DevSetEvaluation.Evaluate(measured, method, variant, targetBpcer));
}

var report = new LivenessReport(measured, photos, results, runner.Options, targetBpcer);
ResultsFile.Write(output, report.Markdown());
Console.WriteLine(report.Summary());
return 0;



static List<DevImage> ReadDevLabels(string path)
{
    var lines = File.ReadAllLines(path);
    var header = lines[0].Split(',');
    int file = Array.IndexOf(header, "file"), liveness = Array.IndexOf(header, "liveness"), subject = Array.IndexOf(header, "subject");
    // The columns used come before the quoted free-text licence column, so a plain split is safe for them.
    return [.. lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split(','))
        .Select(c => new DevImage(c[file], c[liveness] == "real", c[subject]))];
}
