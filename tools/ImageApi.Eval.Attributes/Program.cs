using ImageApi.Eval.Attributes;
using ImageApi.Imaging;
using ImageApi.Inference;
using Microsoft.Extensions.DependencyInjection;

// Usage: dotnet run -c Release --project tools/ImageApi.Eval.Attributes [-- --shared <dir>] [--out <file>]
//        [--only age_gender|emotion|mask] [--every <k>]   (--every k: every k-th image, for exploration only)
//        --only emotion: shared/emotion-dev + the FER2013 rows → docs/results/emotion.md (--emotion-out <file> elsewhere).
// Runs face-detector-face-fitter's stage (FaceFitting) on every attributes-dev image, then the attribute services with
// their shipped settings and the compared variants; writes docs/results/attributes.md (and emotion.md).
var arguments = new ToolArguments(args);
var paths = new RepositoryPaths(arguments.String("--shared"));
var shared = paths.Shared;
var output = arguments.String("--out", paths.DocsResults("attributes"));
var only = arguments.String("--only");
var every = arguments.Int("--every", 1);

await using var app = EvaluationHost.Build(services => services.AddFaceFitting().AddFaceAttributes());
var sp = app.Services;
var catalog = sp.GetRequiredService<ModelCatalog>();
var fitting = sp.GetRequiredService<FaceFitting>();
var decoder = sp.GetRequiredService<ImageDecoder>();
var ct = CancellationToken.None; // nothing cancels a run

var devDir = Path.Combine(shared, "attributes-dev");
var labels = DevLabel.Read(Path.Combine(devDir, "labels.csv")).Where((_, i) => i % every == 0).ToList();
var report = new AttributesReport(sp, every);
List<LocatedFace> Locate(string task)
{
    var rows = labels.Where(l => l.Task == task).ToList();
    var located = new List<LocatedFace>(rows.Count);
    foreach (var row in rows) located.Add(LocatedFace.Locate(row, devDir, decoder, fitting, ct));
    Console.WriteLine($"{task}: {located.Count} images, detector missed {located.Count(f => f.Missed)}");
    return located;
}

if (only is null or "age_gender")
{
    var eval = new AgeGenderEvaluation(catalog, fitting, Locate("age_gender"));
    eval.MeasureVariants(ct);
    report.AddAgeGender(eval, ct);
    var testdata = Path.Combine(shared, "testdata");
    var photoFaces = DevLabel.ReadTestData(Path.Combine(testdata, "labels.csv"), "gender")
        .Select(l => LocatedFace.Locate(l, testdata, decoder, fitting, ct)).ToList();
    Console.WriteLine($"labelled test photos: {photoFaces.Count}");
    var photos = new AgeGenderEvaluation(catalog, fitting, photoFaces);
    photos.MeasureVariants(ct);
    report.AddAgeGenderPhotos(photos, ct);
}

if (only is null or "emotion" or "emotion-grid")
{
    // emotion-dev (photo-style, decides) and the FER2013 rows; faces the detector misses go with the whole picture as
    // the box, as a client holding a crop sends them.
    var emotionDevDir = Path.Combine(shared, "emotion-dev");
    var devRows = File.ReadLines(Path.Combine(emotionDevDir, "labels.csv")).Skip(1).Where(l => l.Length > 0)
        .Select(CsvLine.Split).Where(c => EmotionEvaluation.Classes.Contains(c[2]))
        .Select(c => new DevLabel(c[0], c[1], "", -1, "", c[2], "")).Where((_, i) => i % every == 0).ToList();
    var dev = new EmotionSet("emotion-dev", [.. devRows.Select(l => LocatedFace.Locate(l, emotionDevDir, decoder, fitting, ct))]);
    Console.WriteLine($"emotion-dev: {dev.Faces.Count} images, detector missed {dev.Faces.Count(f => f.Missed)}");
    var ferFaces = Locate("emotion");
    var eval = new EmotionEvaluation(catalog, fitting, dev, new EmotionSet("FER2013", ferFaces));
    if (only == "emotion-grid")
    {
        EmotionGrid.Run(eval, ct);
        return 0;
    }

    eval.MeasureVariants(ct);
    eval.MeasureSensitivity(ct);
    var calibrations = new List<(string, EmotionCalibration)>();
    foreach (var v in eval.Variants.ToList())
    {
        foreach (var priorOnly in new[] { false, true })
        {
            var (calibrated, offsets) = eval.Calibrate(v, priorOnly);
            calibrations.Add((calibrated.Name, offsets));
            Console.WriteLine($"  {calibrated.Name}: dev top-1 {EmotionEvaluation.Pct(EmotionEvaluation.Top1(calibrated.Dev, dev))} MCR {EmotionEvaluation.Pct(EmotionEvaluation.MeanRecall(calibrated.Dev, dev))}");
        }
    }

    var testdata = Path.Combine(shared, "testdata");
    var photoFaces = DevLabel.ReadTestData(Path.Combine(testdata, "labels.csv"), "emotion")
        .Select(l => LocatedFace.Locate(l, testdata, decoder, fitting, ct)).ToList();
    var emotionReport = new EmotionReport(sp, eval);
    var emotionMd = emotionReport.Build(new EmotionSet("test photos", photoFaces), calibrations, ct);
    report.AddEmotionSummary(emotionReport.SummaryRows);
    if (every == 1) ResultsFile.Write(arguments.String("--emotion-out", paths.DocsResults("emotion")), emotionMd);
    else Console.WriteLine(emotionMd);
}

if (only is null or "mask")
{
    var photoFaces = new List<LocatedFace>();
    var testdata = Path.Combine(shared, "testdata");
    foreach (var folder in new[] { "mask", "identity", "group" })
    {
        foreach (var path in Directory.GetFiles(Path.Combine(testdata, folder)).Order(StringComparer.Ordinal))
        {
            var file = folder + "/" + Path.GetFileName(path);
            // Labels: testdata/labels.csv marks the masked photos (mask/with_mask_*, mask_and_glasses, masked_woman);
            // nobody in identity/ and group/ wears one.
            var masked = folder == "mask" && Path.GetFileName(path) != "without_mask_1.jpg";
            var label = new DevLabel(file, "mask-photo", "", -1, "", "", masked ? "with_mask" : "without_mask");
            var all = LocatedFace.LocateAll(label, path, decoder, fitting, ct).ToList();
            // A masked photo's labelled face is its largest; other faces in it carry no label.
            photoFaces.AddRange(masked ? all.OrderByDescending(f => f.Fitted!.Box.Area).Take(1) : all);
        }
    }

    Console.WriteLine($"test photos: {photoFaces.Count} faces");
    var eval = new MaskEvaluation(catalog, Locate("mask"), photoFaces);
    eval.MeasureVariants(ct);
    report.AddMask(eval, ct);
}

if (only is null && every == 1)
{
    ResultsFile.Write(output, report.Markdown());
}
else
{
    Console.WriteLine(report.Markdown());
}

return 0;


