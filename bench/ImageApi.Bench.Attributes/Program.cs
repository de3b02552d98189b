using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ImageApi.Attributes;
using ImageApi.Faces;
using ImageApi.Imaging;
using ImageApi.Inference;
using ImageApi.Pipeline;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

// Latency of the attribute estimators for one request: crops from the request's decoded image + every model run
// (the decode itself is shared with the detector and excluded; the faces come from YuNet once, outside the timing).
// Usage: dotnet run -c Release --project bench/ImageApi.Bench.Attributes [-- --threads 1 --iterations 30 --out path]
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var threads = IntArg("--threads", 1);
var iterations = IntArg("--iterations", 30);
var repo = FindUp("models/models.json") ?? throw new InvalidOperationException("repository root not found");
var shared = Environment.GetEnvironmentVariable("IMAGEAPI_SHARED") is { Length: > 0 } env ? env
    : FindUp("shared/testdata") is { } s ? Path.Combine(s, "shared") : throw new InvalidOperationException("shared/testdata not found");
var outPath = StringArg("--out") ?? Path.Combine(repo, "bench", "results", "attributes.md");

using var catalog = new ModelCatalog(Options.Create(new InferenceOptions { IntraOpThreads = threads }),
    Options.Create(new ModelOptions()), NullLogger<ModelCatalog>.Instance);
var fittingOptions = Options.Create(new FaceFittingOptions());
var detector = new FaceDetector(catalog, Options.Create(new FaceDetectorOptions()));
var fitting = new FaceFitting(detector, new FaceLandmarker(catalog, fittingOptions), new HeadPoseEstimator(catalog, fittingOptions), fittingOptions);
var decoder = new ImageDecoder();

var shipped = new FaceAttributesOptions();
var variants = new (string Name, FaceAttributesOptions Options, Func<FaceAttributesOptions, Func<ImageSource, List<FaceInput>, object>> Make)[]
{
    ("gender, shipped: face-api 1.05× + flip (2 views)", shipped, o => Gender(o)),
    ("gender: face-api 1.05+1.15+1.25× + flip (6 views)", new FaceAttributesOptions { GenderCropScales = "1.05,1.15,1.25" }, o => Gender(o)),
    ("gender: face-api 1.15×, no flip (SOURCE.md, 1 view)", new FaceAttributesOptions { GenderCropScales = "1.15", AgeGenderFlip = false }, o => Gender(o)),
    ("gender: insightface, bbox only (FitBoxes landmarks + alignment)", new FaceAttributesOptions { GenderModels = AttributeModels.InsightFaceAgeGender, AgeGenderFlip = false }, o => Gender(o)),
    ("gender: gender-mini 1.6×", new FaceAttributesOptions { GenderModels = AttributeModels.GenderMini, AgeGenderFlip = false }, o => Gender(o)),
    ("age, shipped: face-api 1.0× + flip (2 views)", shipped, o => Age(o)),
    ("age: face-api 1.15×, no flip (SOURCE.md)", new FaceAttributesOptions { AgeCropScales = "1.15", AgeGenderFlip = false }, o => Age(o)),
    ("emotion, shipped: big 1.1× + flip", shipped, o => Emotion(o)),
    ("emotion: big 1.1×, no flip", new FaceAttributesOptions { EmotionFlip = false }, o => Emotion(o)),
    ("emotion: mini 1.0×, no flip", new FaceAttributesOptions { EmotionModels = AttributeModels.EmotionMini, EmotionCropScale = 1.0f, EmotionFlip = false }, o => Emotion(o)),
    ("mask, shipped: 1.5× centred", shipped, o => Mask(o)),
};

var photos = new[] { "identity/biden_1.jpg", "group/compreface_016_8.jpg" };
var sb = new StringBuilder();
sb.AppendLine("# Face-attribute estimator latency").AppendLine();
sb.AppendLine(CultureInfo.InvariantCulture, $"`dotnet run -c Release --project bench/ImageApi.Bench.Attributes` — {threads} ONNX Runtime intra-op thread(s), CPU, {iterations} requests per row after one warm-up; ");
sb.AppendLine("time = crops from the already-decoded image + all model runs of one request (decode and detection excluded). ");
sb.AppendLine(CultureInfo.InvariantCulture, $"Machine: {Environment.ProcessorCount} logical CPUs, shared with other builds (medians are robust to that, p90 less so).").AppendLine();
sb.AppendLine("| estimator / setting | photo | faces | median ms / request | p90 ms | median ms / face |");
sb.AppendLine("| --- | --- | --- | --- | --- | --- |");
foreach (var photo in photos)
{
    var image = new ImageSource(File.ReadAllBytes(Path.Combine(shared, "testdata", photo)), decoder);
    var faces = detector.Detect(image).Select((d, i) => new FaceInput(i, new JsonObject(), d.Box, null, null)).ToList();
    foreach (var (name, options, make) in variants)
    {
        var run = make(options);
        run(image, faces);
        var times = new double[iterations];
        for (var i = 0; i < iterations; i++)
        {
            var start = Stopwatch.GetTimestamp();
            run(image, faces);
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(times);
        var median = times[iterations / 2];
        var line = $"| {name} | `{photo}` | {faces.Count} | {median:0.0} | {times[(int)(iterations * 0.9)]:0.0} | {median / Math.Max(1, faces.Count):0.0} |";
        sb.AppendLine(line);
        Console.WriteLine(line);
    }
}

Directory.CreateDirectory(Path.GetDirectoryName(outPath)!);
File.WriteAllText(outPath, sb.ToString());
Console.WriteLine($"wrote {outPath}");
return 0;

Func<ImageSource, List<FaceInput>, object> Gender(FaceAttributesOptions o)
{
    var e = new AgeGenderEstimator(catalog, fitting, Options.Create(o));
    return (img, f) => e.EstimateFemaleProbability(img, f, CancellationToken.None);
}

Func<ImageSource, List<FaceInput>, object> Age(FaceAttributesOptions o)
{
    var e = new AgeGenderEstimator(catalog, fitting, Options.Create(o));
    return (img, f) => e.EstimateAge(img, f, CancellationToken.None);
}

Func<ImageSource, List<FaceInput>, object> Emotion(FaceAttributesOptions o)
{
    var e = new EmotionEstimator(catalog, Options.Create(o));
    return (img, f) => e.Estimate(img, f, CancellationToken.None);
}

Func<ImageSource, List<FaceInput>, object> Mask(FaceAttributesOptions o)
{
    var e = new MaskEstimator(catalog, Options.Create(o));
    return (img, f) => e.Estimate(img, f, CancellationToken.None);
}

int IntArg(string name, int fallback) => StringArg(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

string? StringArg(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

static string? FindUp(string relative)
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (Path.Exists(Path.Combine(dir.FullName, relative))) return dir.FullName;
    }

    return null;
}
