using System.Text.Json.Nodes;
using ImageApi.Contracts;
using ImageApi.Imaging;
using ImageApi.Samples;
using Microsoft.Extensions.DependencyInjection;

namespace ImageApi.Eval.Liveness;

/// <summary>Runs the real liveness services (as registered by <c>AddLiveness()</c>) on one image file.</summary>
internal sealed class ServiceRunner(IServiceProvider services)
{
    private readonly ImageDecoder _decoder = services.GetRequiredService<ImageDecoder>();
    private readonly LivenessEstimator _estimator = services.GetRequiredService<LivenessEstimator>();
    private readonly IImageApiService _detectorService =
        services.GetRequiredKeyedService<IImageApiService>(ServiceNames.FaceDetectorLivenessEstimator);
    private readonly IImageApiService _estimatorService =
        services.GetRequiredKeyedService<IImageApiService>(ServiceNames.LivenessEstimator);

    public LivenessOptions Options => _estimator.Options;

    /// <summary>A dev crop: detector service first; no face → liveness-estimator with the whole crop as the bbox.</summary>
    public async Task<MeasuredImage> MeasureCropAsync(string path, DevImage image, CancellationToken ct)
    {
        var source = new ImageSource(await File.ReadAllBytesAsync(path, ct), _decoder);
        var detected = await DetectAsync(source, ct);
        Box box;
        LivenessDecision answer;
        if (detected.Count > 0)
        {
            (box, answer) = detected[0];
        }
        else
        {
            var sample = new Sample(new JsonObject(), ApiVersion.V2, source);
            sample.Objects.Add((JsonNode)new JsonObject { [FieldNames.Class] = FieldNames.ClassFace, [FieldNames.Bbox] = new JsonArray(0, 0, 1, 1) });
            await _estimatorService.ProcessAsync(sample, ct);
            box = WholeOf(source);
            answer = ReadAnswer((JsonObject)sample.Objects[0]!);
        }

        var pipeline = _estimator.Score(source, [box], LivenessMethod.All, false, ct)[0];
        var exposure = _estimator.Score(source, [box], LivenessMethod.All, true, ct)[0];
        var whole = _estimator.Score(source, [WholeOf(source)], LivenessMethod.All, false, ct)[0];
        return new MeasuredImage(image, detected.Count, pipeline, exposure, whole, answer, MeanLuma(source.Full()));
    }

    /// <summary>A full photo: every face the detector service returns, largest first, with all models' scores.</summary>
    public async Task<PhotoResult> MeasurePhotoAsync(string path, string relative, CancellationToken ct)
    {
        var source = new ImageSource(await File.ReadAllBytesAsync(path, ct), _decoder);
        var detected = await DetectAsync(source, ct);
        var boxes = detected.Select(d => d.Box).ToArray();
        var scores = _estimator.Score(source, boxes, LivenessMethod.All, false, ct);
        var exposure = _estimator.Score(source, boxes, LivenessMethod.All, true, ct);
        var faces = detected.Select((d, i) => new PhotoFace(d.Box, scores[i], exposure[i], d.Answer)).OrderByDescending(f => f.Box.Area).ToList();
        return new PhotoResult(relative, faces);
    }

    private async Task<List<(Box Box, LivenessDecision Answer)>> DetectAsync(ImageSource source, CancellationToken ct)
    {
        var sample = new Sample(new JsonObject(), ApiVersion.V2, source);
        await _detectorService.ProcessAsync(sample, ct);
        var result = new List<(Box, LivenessDecision)>();
        foreach (var (index, face) in sample.ObjectsOfClass(FieldNames.ClassFace))
        {
            var rel = FaceObjectReader.ReadRelativeBox(face[FieldNames.Bbox], index);
            result.Add((new Box(rel.X1 * source.Width, rel.Y1 * source.Height, rel.X2 * source.Width, rel.Y2 * source.Height),
                ReadAnswer(face)));
        }

        return result;
    }

    private static double MeanLuma(RgbImage img)
    {
        double sum = 0;
        var px = img.Pixels;
        for (var i = 0; i < img.Width * img.Height * 3; i += 3) sum += 0.299 * px[i] + 0.587 * px[i + 1] + 0.114 * px[i + 2];
        return sum / (img.Width * img.Height);
    }

    private static Box WholeOf(ImageSource source) => new(0, 0, source.Width, source.Height);

    private static LivenessDecision ReadAnswer(JsonObject face)
    {
        var liveness = (JsonObject)face[LivenessObjectWriter.Field]!;
        var isReal = (string)liveness["value"]! == "real";
        var confidence = (float)(double)liveness[FieldNames.Confidence]!;
        return new LivenessDecision(isReal, isReal ? confidence : 1 - confidence, float.NaN);
    }
}
