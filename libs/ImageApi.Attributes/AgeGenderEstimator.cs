using ImageApi.Faces;
using ImageApi.Imaging;
using ImageApi.Inference;
using ImageApi.Pipeline;
using Microsoft.Extensions.Options;

namespace ImageApi.Attributes;

/// <summary>
/// Age and gender of faces. Three model families (each one's SOURCE.md under models/ is followed exactly):
/// <list type="bullet">
/// <item><c>age-gender-faceapi-tinyxception</c> (MIT, default): square of a crop scale × the face box (SOURCE.md: 1.15;
/// the scales are settings, several = a multi-crop average), edge replication, 112×112 RGB 0..255; outputs <c>age</c>
/// (years) and <c>gender</c> softmaxed [male, female].</item>
/// <item><c>age-gender-insightface-fmobilenet</c> (NON-COMMERCIAL): 5-point ArcFace alignment to 112×112, constant-0
/// border, RGB 0..255; <c>fc1</c>[0..1] gender logits [female, male], then 100 binary age pairs.</item>
/// <item><c>gender-mini-xception-imdb</c> (MIT): square 1.6 ×, edge replication, 64×64 gray in [−1, 1]; [woman, man].</item>
/// </list>
/// Gender is the mean P(female) of the configured models; with flip on, every crop is averaged with its mirror image.
/// Every model sees all faces (and all their views) of a request in one batch.
/// </summary>
public sealed class AgeGenderEstimator(ModelCatalog catalog, FaceFitting fitting, IOptions<FaceAttributesOptions> options) : IWarmable
{
    private const int FaceApiSide = 112, MiniSide = 64;
    private readonly FaceAttributesOptions _options = options.Value;
    private string[]? _genderModels;
    private float[]? _ageScales, _genderScales;
    private AgeCalibration? _calibration;

    public FaceAttributesOptions Options => _options;

    /// <summary>The gender models named by <see cref="FaceAttributesOptions.GenderModels"/>.</summary>
    public IReadOnlyList<string> GenderModels => _genderModels ??= ParseModels(_options.GenderModels);

    /// <summary>The face-api crop scales for age (<see cref="FaceAttributesOptions.AgeCropScales"/>).</summary>
    public float[] AgeScales => _ageScales ??= ParseScales(_options.AgeCropScales);

    /// <summary>The face-api crop scales for gender (<see cref="FaceAttributesOptions.GenderCropScales"/>).</summary>
    public float[] GenderScales => _genderScales ??= ParseScales(_options.GenderCropScales);

    /// <summary>The age correction of <see cref="FaceAttributesOptions.AgeCalibration"/> (identity when empty).</summary>
    public AgeCalibration Calibration => _calibration ??= AgeCalibration.Parse(_options.AgeCalibration);

    /// <summary>Per face, the age in years (≥ 0) from <see cref="FaceAttributesOptions.AgeModel"/>.</summary>
    public float[] EstimateAge(ImageSource image, IReadOnlyList<FaceInput> faces, CancellationToken ct)
    {
        using var activity = ImageApiTelemetry.StartStage("age");
        var estimates = Run(_options.AgeModel, image, faces, AgeScales, ct);
        var ages = new float[faces.Count];
        for (var i = 0; i < ages.Length; i++) ages[i] = Math.Max(0, Calibration.Apply(estimates[i].Age));
        return ages;
    }

    /// <summary>Per face, P(female): the mean over <see cref="GenderModels"/>.</summary>
    public float[] EstimateFemaleProbability(ImageSource image, IReadOnlyList<FaceInput> faces, CancellationToken ct)
    {
        using var activity = ImageApiTelemetry.StartStage("gender");
        var sum = new float[faces.Count];
        foreach (var model in GenderModels)
        {
            var estimates = Run(model, image, faces, GenderScales, ct);
            for (var i = 0; i < sum.Length; i++) sum[i] += estimates[i].FemaleProbability;
        }

        for (var i = 0; i < sum.Length; i++) sum[i] /= GenderModels.Count;
        return sum;
    }

    /// <summary>One model's raw reading of every face (used by the services and by the evaluation tool);
    /// <paramref name="faceApiScales"/> are the crop scales when the model is the face-api one.</summary>
    public AgeGenderEstimate[] Run(string model, ImageSource image, IReadOnlyList<FaceInput> faces, float[] faceApiScales, CancellationToken ct)
    {
        if (faces.Count == 0) return [];
        return model switch
        {
            AttributeModels.FaceApiAgeGender => RunFaceApi(image, faces, faceApiScales, ct),
            AttributeModels.InsightFaceAgeGender => RunInsightFace(image, faces, ct),
            AttributeModels.GenderMini => RunGenderMini(image, faces, ct),
            _ => throw new InvalidOperationException($"FaceAttributes: '{model}' is not an age/gender model"),
        };
    }

    private AgeGenderEstimate[] RunFaceApi(ImageSource image, IReadOnlyList<FaceInput> faces, float[] scales, CancellationToken ct)
    {
        var model = catalog.Get(AttributeModels.FaceApiAgeGender);
        // SOURCE.md: square of the crop scale (1.15 there) × max(w, h), edge replication, bilinear (area-averaged when
        // shrinking) to 112×112, RGB raw 0..255 (the graph subtracts the mean and divides by 255 itself). With several
        // scales configured, every scale is one more view of the face in the same batch, and the views are averaged.
        var crops = new List<RgbImage>(faces.Count * scales.Length);
        foreach (var scale in scales)
        {
            crops.AddRange(faces.Select(f => FaceCrop.Square(image, f.Box, scale, FaceApiSide, FaceApiSide)));
        }

        crops = WithMirrors(crops);
        var outputs = model.RunItems(crops.Count, [3, FaceApiSide, FaceApiSide],
            (i, dst) => TensorPacker.Pack(crops[i], PixelLayout.Raw(ChannelOrder.Rgb), dst), ["age", "gender"], ct);
        // SOURCE.md output: age [N,1] years; gender [N,2] softmaxed, index 0 = male, 1 = female.
        return Combine(faces.Count, i => new AgeGenderEstimate(outputs[0][i], outputs[1][2 * i + 1]), crops.Count / faces.Count);
    }

    private AgeGenderEstimate[] RunInsightFace(ImageSource image, IReadOnlyList<FaceInput> faces, CancellationToken ct)
    {
        var model = catalog.Get(AttributeModels.InsightFaceAgeGender);
        var points = AlignmentPoints.Of(fitting, image, faces, ct);
        // SOURCE.md: 5-point similarity (Umeyama) onto the ArcFace 112 template, bilinear, constant-0 border; RGB raw
        // 0..255 (the graph does (x − 127.5) / 128).
        var crops = WithMirrors(points.Select(p => FaceAligner.AlignArcFace112(image, p)));
        var fc1 = model.RunItems(crops.Count, [3, FaceAligner.ArcFaceSize, FaceAligner.ArcFaceSize],
            (i, dst) => TensorPacker.Pack(crops[i], PixelLayout.Raw(ChannelOrder.Rgb), dst), [model.OutputNames[0]], ct)[0];
        return Combine(faces.Count, i =>
        {
            var o = fc1.AsSpan(i * 202, 202);
            // SOURCE.md: fc1[0..1] = gender logits [female, male]; age = #k with fc1[2+2k+1] > fc1[2+2k].
            var pFemale = 1f / (1f + MathF.Exp(o[1] - o[0]));
            var age = 0;
            for (var k = 0; k < 100; k++)
            {
                if (o[2 + 2 * k + 1] > o[2 + 2 * k]) age++;
            }

            return new AgeGenderEstimate(age, pFemale);
        }, crops.Count / faces.Count);
    }

    private AgeGenderEstimate[] RunGenderMini(ImageSource image, IReadOnlyList<FaceInput> faces, CancellationToken ct)
    {
        var model = catalog.Get(AttributeModels.GenderMini);
        // SOURCE.md: square of 1.6 × max(w, h), edge replication, 64×64, gray 0.299R+0.587G+0.114B, x/255 then
        // (x − 0.5)·2 = (gray − 127.5) / 127.5.
        var crops = WithMirrors(faces.Select(f => FaceCrop.Square(image, f.Box, _options.GenderMiniCropScale, MiniSide, MiniSide)));
        var probs = model.RunItems(crops.Count, [1, MiniSide, MiniSide],
            (i, dst) => TensorPacker.PackGray(crops[i], dst, 127.5f, 1f / 127.5f), [model.OutputNames[0]], ct)[0];
        // SOURCE.md output: probs [N,2] softmaxed, [woman, man].
        return Combine(faces.Count, i => new AgeGenderEstimate(float.NaN, probs[2 * i]), crops.Count / faces.Count);
    }

    /// <summary>The crops, followed by their mirror images when flip test-time averaging is on.</summary>
    private List<RgbImage> WithMirrors(IEnumerable<RgbImage> crops)
    {
        var list = crops.ToList();
        if (_options.AgeGenderFlip) list.AddRange([.. list.Select(ImageSampler.MirrorHorizontal)]);
        return list;
    }

    /// <summary>Averages the views of each face: the batch holds <c>views × count</c> items, view-major (crop scales,
    /// then their mirror images when flip is on).</summary>
    private static AgeGenderEstimate[] Combine(int count, Func<int, AgeGenderEstimate> read, int views)
    {
        var result = new AgeGenderEstimate[count];
        for (var i = 0; i < count; i++)
        {
            float age = 0, female = 0;
            for (var v = 0; v < views; v++)
            {
                var e = read(v * count + i);
                age += e.Age;
                female += e.FemaleProbability;
            }

            result[i] = new AgeGenderEstimate(age / views, female / views);
        }

        return result;
    }

    private static float[] ParseScales(string list)
    {
        var parts = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var scales = new float[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!float.TryParse(parts[i], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out scales[i])
                || scales[i] is < 0.5f or > 3f)
            {
                throw new InvalidOperationException($"FaceAttributes crop scales: '{parts[i]}' is not a crop scale in [0.5, 3]");
            }
        }

        if (scales.Length == 0) throw new InvalidOperationException("FaceAttributes: a crop-scale list names no scale");
        return scales;
    }

    private static string[] ParseModels(string list)
    {
        var models = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (models.Length == 0) throw new InvalidOperationException("FaceAttributes:GenderModels names no model");
        return models;
    }

    public void WarmUp()
    {
        // Fails at start-up, not per request, on a model name this class cannot run.
        string[] known = [AttributeModels.FaceApiAgeGender, AttributeModels.InsightFaceAgeGender, AttributeModels.GenderMini];
        foreach (var name in GenderModels.Append(_options.AgeModel))
        {
            if (!known.Contains(name)) throw new InvalidOperationException($"FaceAttributes: '{name}' is not an age/gender model");
        }

        // Parse the list settings now, so a bad value fails at start-up too.
        _ = AgeScales;
        _ = Calibration;
        _ = GenderScales;
        if (_options.AgeModel == AttributeModels.GenderMini) throw new InvalidOperationException("FaceAttributes:AgeModel: gender-mini-xception-imdb has no age head");
        foreach (var name in GenderModels.Append(_options.AgeModel).Distinct())
        {
            var model = catalog.Get(name);
            if (name == AttributeModels.GenderMini)
            {
                model.Run(new float[MiniSide * MiniSide], [1, 1, MiniSide, MiniSide]);
            }
            else
            {
                model.Run(new float[3 * 112 * 112], [1, 3, 112, 112]);
            }
        }
    }
}
