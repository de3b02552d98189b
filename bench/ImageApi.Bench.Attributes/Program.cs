using System.Text.Json.Nodes;
using ImageApi.Attributes;
using ImageApi.Faces;
using ImageApi.Imaging;
using ImageApi.Inference;
using ImageApi.Samples;
using Microsoft.Extensions.Options;

// Latency of the attribute estimators for one request: crops from the request's decoded image + every model run
// (the decode itself is shared with the detector and excluded; the faces come from YuNet once, outside the timing).
// Usage: dotnet run -c Release --project bench/ImageApi.Bench.Attributes [-- --threads 1 --iterations 30 --out path]
var (_, paths, threads, iterations, outPath) = new BenchArguments(args, "attributes", iterations: 30);

using var catalog = EvaluationHost.ModelCatalog(threads);
var fittingOptions = Options.Create(new FaceFittingOptions());
var detector = new FaceDetector(catalog, Options.Create(new FaceDetectorOptions()));
var fitting = new FaceFitting(detector, new FaceLandmarker(catalog, fittingOptions), new HeadPoseEstimator(catalog, fittingOptions), fittingOptions);
var decoder = new ImageDecoder();

var shipped = new FaceAttributesOptions();
var variants = new (string Name, FaceAttributesOptions Options, Func<FaceAttributesOptions, Func<ImageSource, List<FaceInput>, object>> Make)[]
{
    ("gender, shipped: face-api 1.05+1.15+1.25× + flip (6 views)", shipped, o => Gender(o)),
    ("gender: face-api 1.05× + flip (2 views, the former default)", new FaceAttributesOptions { GenderCropScales = [1.05f] }, o => Gender(o)),
    ("gender: face-api 1.15×, no flip (SOURCE.md, 1 view)", new FaceAttributesOptions { GenderCropScales = [1.15f], AgeGenderFlip = false }, o => Gender(o)),
    ("gender: insightface, bbox only (FitBoxes landmarks + alignment)", new FaceAttributesOptions { GenderModels = [AttributeModels.InsightFaceAgeGender], AgeGenderFlip = false }, o => Gender(o)),
    ("gender: gender-mini 1.6×", new FaceAttributesOptions { GenderModels = [AttributeModels.GenderMini], AgeGenderFlip = false }, o => Gender(o)),
    ("age, shipped: face-api 1.0× + flip (2 views)", shipped, o => Age(o)),
    ("age: face-api 1.15×, no flip (SOURCE.md)", new FaceAttributesOptions { AgeCropScales = [1.15f], AgeGenderFlip = false }, o => Age(o)),
    ("emotion, shipped: big 1.2× + face-api 1.2× (face-api mirrored)", shipped, o => Emotion(o)),
    ("emotion: big 1.1× + face-api 1.2×, no mirror (the first #25 default)", new FaceAttributesOptions { EmotionCropScale = 1.1f, EmotionFlip = [] }, o => Emotion(o)),
    ("emotion: face-api 1.2× alone, no mirror (Profile=fast)", new FaceAttributesOptions { EmotionModels = [AttributeModels.EmotionFaceApi], EmotionFlip = [] }, o => Emotion(o)),
    ("emotion: big 1.1× alone, no flip", new FaceAttributesOptions { EmotionModels = [AttributeModels.EmotionBig], EmotionCropScale = 1.1f, EmotionFlip = [] }, o => Emotion(o)),
    ("emotion: mini 1.0×, no flip", new FaceAttributesOptions { EmotionModels = [AttributeModels.EmotionMini], EmotionCropScale = 1.0f, EmotionFlip = [] }, o => Emotion(o)),
    ("mask, shipped: 1.5× centred", shipped, o => Mask(o)),
};

var photos = new[] { "identity/biden_1.jpg", "group/compreface_016_8.jpg" };
var sb = new StringBuilder();
sb.AppendLine("# Face-attribute estimator latency").AppendLine();
sb.AppendLine(CultureInfo.InvariantCulture, $"`dotnet run -c Release --project bench/ImageApi.Bench.Attributes` — {threads} ONNX Runtime intra-op thread(s), CPU, {iterations} requests per row after one warm-up; ");
sb.AppendLine("time = crops from the already-decoded image + all model runs of one request (decode and detection excluded). ");
sb.AppendLine(CultureInfo.InvariantCulture, $"Machine: {Environment.ProcessorCount} logical CPUs, shared with other builds (medians are robust to that, p90 less so); load average at the start {ResultsFile.LoadAverage()}.").AppendLine();
sb.AppendLine("| estimator / setting | photo | faces | median ms / request | p90 ms | median ms / face |");
sb.AppendLine("| --- | --- | --- | --- | --- | --- |");
foreach (var photo in photos)
{
    var image = new ImageSource(File.ReadAllBytes(paths.TestData(photo)), decoder);
    var faces = detector.Detect(image).Select((d, i) => new FaceInput(i, new JsonObject(), d.Box, null)).ToList();
    foreach (var (name, options, make) in variants)
    {
        var run = make(options);
        run(image, faces);
        var times = new double[iterations];
        for (var i = 0; i < iterations; i++)
        {
            var start = Stopwatch.GetTimestamp();
            run(image, faces);
            times[i] = Latency.Milliseconds(start, Stopwatch.GetTimestamp());
        }

        var median = Latency.Median(times);
        var line = $"| {name} | `{photo}` | {faces.Count} | {median:0.0} | {Latency.Percentile(times, 0.9):0.0} | {median / Math.Max(1, faces.Count):0.0} |";
        sb.AppendLine(line);
        Console.WriteLine(line);
    }
}

ResultsFile.Write(outPath, sb);
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
    var e = new EmotionEstimator(catalog, fitting, Options.Create(o));
    // Uncached: Estimate keeps each image's answer (ImageSource.Faces), so every repeat and every later row would read
    // the first row's result and time nothing.
    return (img, f) => e.EstimateUncached(img, f, CancellationToken.None);
}

Func<ImageSource, List<FaceInput>, object> Mask(FaceAttributesOptions o)
{
    var e = new MaskEstimator(catalog, Options.Create(o));
    return (img, f) => e.EstimateUncached(img, f, CancellationToken.None);
}

