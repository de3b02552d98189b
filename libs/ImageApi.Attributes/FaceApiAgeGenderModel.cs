using ImageApi.Inference;

namespace ImageApi.Attributes;

/// <summary>
/// <c>age-gender-faceapi-tinyxception</c> (MIT, the default): a square of a crop scale × the face box (SOURCE.md:
/// 1.15; several scales = a multi-crop average), edge replication, 112×112 RGB 0..255 (the graph subtracts the mean and
/// divides by 255 itself); outputs <c>age</c> [N,1] years and <c>gender</c> [N,2] softmaxed, index 0 male, 1 female.
/// </summary>
public sealed class FaceApiAgeGenderModel(ModelCatalog catalog, FaceAttributesOptions options) : IAgeGenderModel
{
    private const int Side = 112;
    private OnnxModel? _model;

    public string Name => AttributeModels.FaceApiAgeGender;

    public bool HasAge => true;

    private OnnxModel Model => _model ??= catalog.Get(Name).RequireLayout([3, Side, Side], "age", "gender");

    public AgeGenderEstimate[] Run(ImageSource image, IReadOnlyList<FaceInput> faces, float[] cropScales, CancellationToken ct)
    {
        if (faces.Count == 0) return [];
        var crops = new List<RgbImage>(faces.Count * cropScales.Length);
        foreach (var scale in cropScales)
        {
            crops.AddRange(faces.Select(f => FaceCrop.Square(image, f.Box, scale, Side, Side)));
        }

        crops = AgeGenderViews.WithMirrors(crops, options.AgeGenderFlip);
        var outputs = Model.RunItems(crops.Count, [3, Side, Side],
            (i, dst) => TensorPacker.Pack(crops[i], PixelLayout.Raw(ChannelOrder.Rgb), dst), ["age", "gender"], ct);
        return AgeGenderViews.Combine(faces.Count, i => new AgeGenderEstimate(outputs[0][i], outputs[1][2 * i + 1]), crops.Count / faces.Count);
    }

    public void WarmUp() => Model.Run(new float[3 * Side * Side], [1, 3, Side, Side]);
}
