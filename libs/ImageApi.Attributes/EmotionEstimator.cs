using ImageApi.Imaging;
using ImageApi.Inference;
using ImageApi.Samples;
using Microsoft.Extensions.Options;

namespace ImageApi.Attributes;

/// <summary>
/// Facial expression from FER2013 big/mini-XCEPTION models (models/emotion-*-xception-fer2013/SOURCE.md): square crop
/// (SOURCE.md: tight, 1.0 × the face box; the crop scale is a setting) with edge replication, 64×64 grayscale
/// (0.299 R + 0.587 G + 0.114 B), scaled to [−1, 1]; output already softmaxed in FER2013 order, returned here in the
/// API's order. All faces (and their mirror images, with flip on) go through each model as one batch.
/// </summary>
public sealed class EmotionEstimator(ModelCatalog catalog, IOptions<FaceAttributesOptions> options) : IWarmable
{
    /// <summary>The API's emotion order (spec examples): ANGRY, DISGUSTED, SCARED, HAPPY, NEUTRAL, SAD, SURPRISED.</summary>
    public static readonly string[] Emotions = ["ANGRY", "DISGUSTED", "SCARED", "HAPPY", "NEUTRAL", "SAD", "SURPRISED"];

    // SOURCE.md output order [angry, disgust, fear, happy, sad, surprise, neutral]: FER index of each API emotion.
    private static readonly int[] FerIndexOf = [0, 1, 2, 3, 6, 4, 5];
    private const int Side = 64;

    private readonly FaceAttributesOptions _options = options.Value;
    private string[]? _models;

    /// <summary>The models of <see cref="FaceAttributesOptions.EmotionModels"/> (their probabilities are averaged).</summary>
    public IReadOnlyList<string> Models => _models ??= ParseModels(_options.EmotionModels);

    /// <summary>Per face, the 7 probabilities in <see cref="Emotions"/> order (summing to 1).</summary>
    public float[][] Estimate(ImageSource image, IReadOnlyList<FaceInput> faces, CancellationToken ct)
    {
        using var activity = ImageApiTelemetry.StartStage("emotion");
        // Shared with the quality stage's neutral score: one run per face per image.
        return image.Faces.GetOrCompute("emotion", [.. faces.Select(f => f.Box)], missing =>
            Estimate([.. missing.Select(i => FaceCrop.Square(image, faces[i].Box, _options.EmotionCropScale, Side, Side))], ct));
    }

    /// <summary>Per 64×64 crop, the 7 probabilities in <see cref="Emotions"/> order.</summary>
    internal float[][] Estimate(IReadOnlyList<RgbImage> crops, CancellationToken ct)
    {
        var flip = _options.EmotionFlip;
        IReadOnlyList<RgbImage> views = flip ? [.. crops, .. crops.Select(ImageSampler.MirrorHorizontal)] : crops;
        // SOURCE.md (both models): x/255, then (x − 0.5)·2 — i.e. (gray − 127.5) / 127.5. Packed once, fed to each model.
        using var tensor = new TensorBuffer(views.Count * Side * Side);
        for (var i = 0; i < views.Count; i++) TensorPacker.PackGray(views[i], tensor.Span.Slice(i * Side * Side, Side * Side), 127.5f, 1f / 127.5f);
        var probs = new List<float[]>();
        foreach (var name in Models)
        {
            var model = catalog.Get(name);
            probs.Add(model.RunItems(tensor, views.Count, [1, Side, Side], [model.OutputNames[0]], ct)[0]);
        }
        var result = new float[crops.Count][];
        for (var f = 0; f < crops.Count; f++)
        {
            var p = new float[Emotions.Length];
            var sum = 0f;
            for (var e = 0; e < p.Length; e++)
            {
                // Mean over models and views (the crop and, with flip, its mirror image).
                var v = 0f;
                foreach (var m in probs)
                {
                    v += m[f * 7 + FerIndexOf[e]];
                    if (flip) v += m[(crops.Count + f) * 7 + FerIndexOf[e]];
                }

                p[e] = v;
                sum += v;
            }

            // The softmax sums to 1 up to rounding; normalise so the response's confidences do exactly.
            for (var e = 0; e < p.Length; e++) p[e] /= sum;
            result[f] = p;
        }

        return result;
    }

    private static string[] ParseModels(string list)
    {
        var models = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (models.Length == 0 || models.Any(m => m is not (AttributeModels.EmotionBig or AttributeModels.EmotionMini)))
        {
            throw new InvalidOperationException($"FaceAttributes:EmotionModels '{list}': name {AttributeModels.EmotionBig} and/or {AttributeModels.EmotionMini}");
        }

        return models;
    }

    public void WarmUp() => Estimate([RgbImage.Blank(Side, Side, 128, 128, 128)], CancellationToken.None);
}
