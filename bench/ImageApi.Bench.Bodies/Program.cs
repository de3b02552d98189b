using System.Runtime.InteropServices;
using ImageApi.Bodies;
using ImageApi.Imaging;
using ImageApi.Inference;
using Microsoft.Extensions.Options;
using SkiaSharp;

// Latency of body-detector's model work for one request, as the service runs it: a fresh ImageSource per request
// (so the decode at ≤ 416 px is paid every time), then letterbox + ONNX run + decoding + NMS.
// Usage: dotnet run -c Release --project bench/ImageApi.Bench.Bodies [-- --threads 1 --iterations 40 --out path]
var (_, paths, threads, iterations, outPath) = new BenchArguments(args, "bodies", iterations: 40);

var decoder = new ImageDecoder();
var runners = File.ReadAllBytes(paths.TestData("group/body_two_runners.jpg"));
var photos = new (string Label, byte[] Bytes)[]
{
    // 640 px: the two-runners photo (1024×683) re-encoded at 640 px long side, JPEG quality 90.
    ("640×427 (group/body_two_runners.jpg re-encoded at 640 px)", EncodeJpeg(decoder.Decode(runners, 640), 90)),
    // ~4000 px: a real 12 MP phone photo, 3024×4032.
    ("3024×4032 (identity/compreface_A_004.jpg)", File.ReadAllBytes(paths.TestData("identity/compreface_A_004.jpg"))),
};

using var catalog = EvaluationHost.ModelCatalog(threads);
var rows = new List<string>();
foreach (var model in new[] { BodyModels.YoloxNano, BodyModels.NanoDetM416 })
{
    var detector = new BodyDetector(catalog, Options.Create(new BodyDetectorOptions { Model = model }));
    detector.WarmUp();
    foreach (var (label, bytes) in photos)
    {
        var decode = new List<double>();
        var detect = new List<double>();
        var total = new List<double>();
        var found = 0;
        for (var i = -3; i < iterations; i++)
        {
            var t0 = Stopwatch.GetTimestamp();
            var source = new ImageSource(bytes, decoder);
            _ = source.Get(BodyModels.InputSize);
            var t1 = Stopwatch.GetTimestamp();
            found = detector.Detect(source).Count;
            var t2 = Stopwatch.GetTimestamp();
            if (i < 0) continue; // warm-up rounds
            decode.Add(Latency.Milliseconds(t0, t1));
            detect.Add(Latency.Milliseconds(t1, t2));
            total.Add(Latency.Milliseconds(t0, t2));
        }

        var row = string.Create(CultureInfo.InvariantCulture,
            $"| {model} | {label} | {bytes.Length / 1024} KiB | {Latency.Median(decode):F1} | {Latency.Median(detect):F1} | {Latency.Median(total):F1} | {Latency.Percentile(total, 0.9):F1} | {total.Min():F1} | {found} |");
        Console.WriteLine(row);
        rows.Add(row);
    }
}

var md = new StringBuilder();
md.AppendLine("# Body detector latency");
md.AppendLine();
md.AppendLine(CultureInfo.InvariantCulture, $"`dotnet run -c Release --project bench/ImageApi.Bench.Bodies -- --threads {threads} --iterations {iterations}`, {DateTime.UtcNow:yyyy-MM-dd}.");
md.AppendLine(CultureInfo.InvariantCulture, $"Machine: {Environment.ProcessorCount} logical CPUs, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, ONNX Runtime CPU, {threads} intra-op thread(s), load average at the end {ResultsFile.LoadAverage()}.");
md.AppendLine();
md.AppendLine("One request = new `ImageSource` from the encoded bytes → decode at ≤ 416 px (JPEG DCT-domain scaling) → letterbox →");
md.AppendLine("ONNX run → head decoding → NMS. Times in ms over " + iterations + " requests after 3 warm-up rounds (the machine was shared");
md.AppendLine("with other builds, so the minimum is the best guide to the uncontended cost).");
md.AppendLine();
md.AppendLine("| model | photo | file | decode median | detect median | total median | total p90 | total min | people |");
md.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
foreach (var r in rows) md.AppendLine(r);
ResultsFile.Write(outPath, md);
return;


static byte[] EncodeJpeg(RgbImage image, int quality)
{
    var rgba = new byte[image.Width * image.Height * 4];
    for (int i = 0, j = 0; j < image.Width * image.Height * 3; i += 4, j += 3)
    {
        rgba[i] = image.Pixels[j];
        rgba[i + 1] = image.Pixels[j + 1];
        rgba[i + 2] = image.Pixels[j + 2];
        rgba[i + 3] = 255;
    }

    using var skImage = SKImage.FromPixelCopy(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque), rgba);
    using var data = skImage.Encode(SKEncodedImageFormat.Jpeg, quality);
    return data.ToArray();
}
