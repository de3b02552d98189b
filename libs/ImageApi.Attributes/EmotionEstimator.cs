using ImageApi.Faces;
using ImageApi.Inference;
using Microsoft.Extensions.Options;

namespace ImageApi.Attributes;

/// <summary>
/// Facial expression, 7 classes. Four models, each fed exactly as its SOURCE.md under models/ says, and each output
/// mapped by name onto the API's order:
/// <list type="bullet">
/// <item><c>emotion-faceapi-densenet</c> (MIT, default): square of a crop scale × the face box, edge replication,
/// 112×112 RGB raw 0..255 (the graph normalises); softmaxed <c>[neutral, happy, sad, angry, fearful, disgusted, surprised]</c>.</item>
/// <item><c>emotion-mobilefacenet-rafdb-int8</c> (Apache-2.0, RAF-DB-trained): 5-point similarity onto the ArcFace
/// 112×112 template, constant-0 border, RGB <c>(x − 127.5) / 127.5</c>; logits
/// <c>[angry, disgust, fearful, happy, neutral, sad, surprised]</c>, softmaxed here.</item>
/// <item><c>emotion-big-xception-fer2013</c> / <c>emotion-mini-xception-fer2013</c> (MIT): square crop, edge replication,
/// 64×64 gray (0.299 R + 0.587 G + 0.114 B) in [−1, 1]; softmaxed FER2013 order <c>[angry, disgust, fear, happy, sad, surprise, neutral]</c>.</item>
/// </list>
/// With several models their probabilities are averaged; each model named by <see cref="FaceAttributesOptions.EmotionFlip"/>
/// averages its view with the mirror image first;
/// then the per-class calibration (<see cref="EmotionCalibration"/>) if one is set. Every model sees all faces (and
/// their mirror images) of a request in one batch where its input allows a batch.
/// </summary>
public sealed class EmotionEstimator(ModelCatalog catalog, FaceFitting fitting, IOptions<FaceAttributesOptions> options) : IWarmable
{
    /// <summary>The API's emotion order (spec examples): ANGRY, DISGUSTED, SCARED, HAPPY, NEUTRAL, SAD, SURPRISED.</summary>
    public static readonly string[] Emotions = ["ANGRY", "DISGUSTED", "SCARED", "HAPPY", "NEUTRAL", "SAD", "SURPRISED"];

    // Output index of each API emotion (API order above), per model family, from each SOURCE.md's class order.
    // FER2013 [angry, disgust, fear, happy, sad, surprise, neutral].
    private static readonly int[] FerIndexOf = [0, 1, 2, 3, 6, 4, 5];

    // face-api [neutral, happy, sad, angry, fearful, disgusted, surprised].
    private static readonly int[] FaceApiIndexOf = [3, 5, 4, 1, 0, 2, 6];

    // opencv_zoo RAF-DB [angry, disgust, fearful, happy, neutral, sad, surprised]: already the API's order.
    private static readonly int[] RafDbIndexOf = [0, 1, 2, 3, 4, 5, 6];

    private const int XceptionSide = 64, FaceApiSide = 112;

    private readonly FaceAttributesOptions _options = options.Value;
    private HashSet<string>? _flipped;
    private EmotionCalibration? _calibration;

    public FaceAttributesOptions Options => _options;

    /// <summary>The models of <see cref="FaceAttributesOptions.EmotionModels"/> (their probabilities are averaged).</summary>
    public IReadOnlyList<string> Models =>
        FaceAttributesOptions.ModelListError(nameof(FaceAttributesOptions.EmotionModels), _options.EmotionModels, AttributeModels.EmotionFamilies) is { } error
            ? throw new InvalidOperationException(error) // options built in code skip the validator
            : _options.EmotionModels;

    /// <summary>The models of <see cref="FaceAttributesOptions.EmotionFlip"/> that see each face and its mirror image.</summary>
    public IReadOnlySet<string> FlippedModels => _flipped ??= FlippedModelsOf(_options.EmotionFlip, Models);

    /// <summary>The correction of <see cref="FaceAttributesOptions.EmotionCalibration"/> (identity when empty).</summary>
    public EmotionCalibration Calibration => _calibration ??= EmotionCalibration.Parse(_options.EmotionCalibration);

    /// <summary>Per face, the 7 probabilities in <see cref="Emotions"/> order (summing to 1).</summary>
    public float[][] Estimate(ImageSource image, IReadOnlyList<FaceInput> faces, CancellationToken ct)
    {
        using var activity = ImageApiTelemetry.StartStage("emotion");
        // Shared with the quality stage's neutral score: one run per face per image.
        return image.Faces.GetOrCompute("emotion", [.. faces.Select(f => f.Box)], missing =>
            EstimateUncached(image, [.. missing.Select(i => faces[i])], ct));
    }

    /// <summary>As <see cref="Estimate"/>, without the per-image result cache: the evaluation tool runs many settings on
    /// one decoded image and must not read another setting's answer.</summary>
    public float[][] EstimateUncached(ImageSource image, IReadOnlyList<FaceInput> faces, CancellationToken ct)
    {
        if (faces.Count == 0) return [];
        var sum = new float[faces.Count][];
        for (var f = 0; f < sum.Length; f++) sum[f] = new float[Emotions.Length];
        foreach (var model in Models)
        {
            var probs = model switch
            {
                AttributeModels.EmotionFaceApi => RunFaceApi([.. faces.Select(f => FaceCrop.Square(image, f.Box, _options.EmotionFaceApiCropScale, FaceApiSide, FaceApiSide))], ct),
                AttributeModels.EmotionRafDb => RunRafDb([.. fitting.FivePointsOf(image, faces, ct).Select(p => FaceAligner.AlignArcFace112(image, p))], ct),
                _ => RunXception(model, [.. faces.Select(f => FaceCrop.Square(image, f.Box, _options.EmotionCropScale, XceptionSide, XceptionSide))], ct),
            };
            for (var f = 0; f < sum.Length; f++)
            {
                for (var e = 0; e < Emotions.Length; e++) sum[f][e] += probs[f][e];
            }
        }

        foreach (var p in sum)
        {
            // Each model's answer sums to 1 up to rounding; normalise so the response's confidences do exactly.
            var total = p.Sum();
            for (var e = 0; e < p.Length; e++) p[e] /= total;
            Calibration.Apply(p);
        }

        return sum;
    }

    /// <summary>The Xception models on 64×64 crops: per crop, 7 probabilities in API order (mirror-averaged with flip on).</summary>
    internal float[][] RunXception(string name, IReadOnlyList<RgbImage> crops, CancellationToken ct)
    {
        var model = catalog.Get(name);
        var views = WithMirrors(name, crops);
        // SOURCE.md (both models): x/255, then (x − 0.5)·2 — i.e. (gray − 127.5) / 127.5.
        var output = model.RunItems(views.Count, [1, XceptionSide, XceptionSide],
            (i, dst) => TensorPacker.PackGray(views[i], dst, 127.5f, 1f / 127.5f), [model.OutputNames[0]], ct)[0];
        return Collect(crops.Count, views.Count / crops.Count, output, FerIndexOf, softmax: false);
    }

    /// <summary>face-api FaceExpressionNet on 112×112 RGB crops.</summary>
    internal float[][] RunFaceApi(IReadOnlyList<RgbImage> crops, CancellationToken ct)
    {
        var model = catalog.Get(AttributeModels.EmotionFaceApi);
        var views = WithMirrors(AttributeModels.EmotionFaceApi, crops);
        // SOURCE.md: RGB raw 0..255, NCHW; the graph subtracts its mean and divides by 255 itself.
        var output = model.RunItems(views.Count, [3, FaceApiSide, FaceApiSide],
            (i, dst) => TensorPacker.Pack(views[i], PixelLayout.Raw(ChannelOrder.Rgb), dst), [model.OutputNames[0]], ct)[0];
        return Collect(crops.Count, views.Count / crops.Count, output, FaceApiIndexOf, softmax: false);
    }

    /// <summary>The RAF-DB MobileFaceNet on 5-point-aligned 112×112 RGB crops (batch fixed at 1: one run per view).</summary>
    internal float[][] RunRafDb(IReadOnlyList<RgbImage> aligned, CancellationToken ct)
    {
        var model = catalog.Get(AttributeModels.EmotionRafDb);
        // The ArcFace template is left-right symmetric to within 0.2 px, so a mirrored aligned crop is itself aligned.
        var views = WithMirrors(AttributeModels.EmotionRafDb, aligned);
        // SOURCE.md: (x/255 − 0.5) / 0.5 per channel = (x − 127.5) / 127.5, RGB.
        var layout = new PixelLayout(ChannelOrder.Rgb, [127.5f, 127.5f, 127.5f], [127.5f, 127.5f, 127.5f]);
        var output = model.RunItems(views.Count, [3, FaceAligner.ArcFaceSize, FaceAligner.ArcFaceSize],
            (i, dst) => TensorPacker.Pack(views[i], layout, dst), [model.OutputNames[0]], ct)[0];
        // SOURCE.md: the output is logits (no softmax in the graph).
        return Collect(aligned.Count, views.Count / aligned.Count, output, RafDbIndexOf, softmax: true);
    }

    /// <summary>Per face, the mean over its views (view-major batch: crops, then their mirror images) of the model's
    /// distribution, re-ordered into API order.</summary>
    private static float[][] Collect(int count, int views, float[] output, int[] indexOf, bool softmax)
    {
        const int classes = 7;
        var result = new float[count][];
        Span<float> item = stackalloc float[classes];
        for (var f = 0; f < count; f++)
        {
            var p = new float[classes];
            for (var v = 0; v < views; v++)
            {
                output.AsSpan((v * count + f) * classes, classes).CopyTo(item);
                if (softmax) Softmax(item);
                for (var e = 0; e < classes; e++) p[e] += item[indexOf[e]] / views;
            }

            result[f] = p;
        }

        return result;
    }

    private static void Softmax(Span<float> x)
    {
        var max = float.NegativeInfinity;
        foreach (var v in x) max = MathF.Max(max, v);
        var sum = 0f;
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = MathF.Exp(x[i] - max);
            sum += x[i];
        }

        for (var i = 0; i < x.Length; i++) x[i] /= sum;
    }

    private List<RgbImage> WithMirrors(string model, IReadOnlyList<RgbImage> crops)
    {
        var list = crops.ToList();
        if (FlippedModels.Contains(model)) list.AddRange([.. crops.Select(ImageSampler.MirrorHorizontal)]);
        return list;
    }

    /// <summary>Which of <paramref name="models"/> the <see cref="FaceAttributesOptions.EmotionFlip"/> names mirror.</summary>
    public static HashSet<string> FlippedModelsOf(IReadOnlyList<string> named, IReadOnlyList<string> models)
    {
        // A named model that is not averaged is not an error: a deployment that sets EmotionModels to big-Xception alone
        // keeps the default EmotionFlip (face-api), which then mirrors nothing. A misspelt name is one.
        if (FaceAttributesOptions.ModelListError(nameof(FaceAttributesOptions.EmotionFlip), named, AttributeModels.EmotionFamilies, allowEmpty: true) is { } error)
        {
            throw new InvalidOperationException(error);
        }

        return [.. named.Where(models.Contains)];
    }

    public void WarmUp()
    {
        // Each configured model once on a blank crop of its input size (no detector or fitter involved).
        foreach (var model in Models)
        {
            _ = model switch
            {
                AttributeModels.EmotionFaceApi => RunFaceApi([RgbImage.Blank(FaceApiSide, FaceApiSide, 128, 128, 128)], CancellationToken.None),
                AttributeModels.EmotionRafDb => RunRafDb([RgbImage.Blank(FaceAligner.ArcFaceSize, FaceAligner.ArcFaceSize, 128, 128, 128)], CancellationToken.None),
                _ => RunXception(model, [RgbImage.Blank(XceptionSide, XceptionSide, 128, 128, 128)], CancellationToken.None),
            };
        }

        _ = Calibration;
        _ = FlippedModels;
    }
}
