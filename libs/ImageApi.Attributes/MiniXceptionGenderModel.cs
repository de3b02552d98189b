using ImageApi.Inference;

namespace ImageApi.Attributes;

/// <summary>
/// <c>gender-mini-xception-imdb</c> (MIT, gender only): a square of <see cref="FaceAttributesOptions.GenderMiniCropScale"/>
/// (1.6) × the box, edge replication, 64×64 gray 0.299R + 0.587G + 0.114B scaled to [−1, 1]; <c>probs</c> [N,2]
/// softmaxed, [woman, man].
/// </summary>
public sealed class MiniXceptionGenderModel(ModelCatalog catalog, FaceAttributesOptions options) : IAgeGenderModel
{
    private const int Side = 64;
    private OnnxModel? _model;

    public string Name => AttributeModels.GenderMini;

    public bool HasAge => false;

    private OnnxModel Model => _model ??= catalog.Get(Name).RequireLayout([1, Side, Side], "probs");

    public AgeGenderEstimate[] Run(ImageSource image, IReadOnlyList<FaceInput> faces, float[] cropScales, CancellationToken ct)
    {
        if (faces.Count == 0) return [];
        var crops = AgeGenderViews.WithMirrors(
            faces.Select(f => FaceCrop.Square(image, f.Box, options.GenderMiniCropScale, Side, Side)), options.AgeGenderFlip);
        var probs = Model.RunItems(crops.Count, [1, Side, Side],
            (i, dst) => TensorPacker.PackGray(crops[i], dst, 127.5f, 1f / 127.5f), ["probs"], ct)[0];
        return AgeGenderViews.Combine(faces.Count, i => new AgeGenderEstimate(float.NaN, probs[2 * i]), crops.Count / faces.Count);
    }

    public void WarmUp() => Model.Run(new float[Side * Side], [1, 1, Side, Side]);
}
