using ImageApi.Faces;
using ImageApi.Inference;
using Microsoft.Extensions.Options;

namespace ImageApi.Liveness;

/// <summary>
/// liveness-minifas-celebaspoof-128 (models/liveness-minifas-celebaspoof-128/SOURCE.md): MiniFASNetV2-SE trained on
/// CelebA-Spoof. Input <c>[N,3,128,128]</c> (dynamic batch: all faces of a request in one run), NCHW RGB <c>x/255</c>;
/// output <c>[N,2]</c> logits, index 0 = real, 1 = spoof. The raw score is the logit difference real − spoof
/// (the repo decides real at ≥ 0).
/// </summary>
public sealed class CelebaSpoofLivenessModel(ModelCatalog catalog, IOptions<LivenessOptions> options,
    IOptions<FaceDetectorOptions> detector) : IWarmable
{
    private const int InputSize = 128;

    /// <summary>SOURCE.md: square of 1.5 × max(w, h), as in training on CelebA-Spoof boxes.</summary>
    private const float Expansion = 1.5f;

    // SOURCE.md: RGB, x/255, no mean/std.
    private static readonly PixelLayout Layout = PixelLayout.Unit(ChannelOrder.Rgb);

    private OnnxModel Model => catalog.Get(options.Value.CelebaSpoofModel);

    /// <summary>Per face box (original pixels), logit(real) − logit(spoof); <paramref name="normaliseExposure"/>
    /// applies <see cref="ExposureNormalisation"/> to each crop first.</summary>
    public float[] LogitDifference(ImageSource image, IReadOnlyList<Box> faces, bool normaliseExposure, CancellationToken ct)
    {
        var crops = new RgbImage[faces.Count];
        for (var i = 0; i < faces.Count; i++)
        {
            crops[i] = LivenessCrops.CelebaSpoofSquare(image, faces[i], Expansion, InputSize, detector.Value.InputLongSide);
            if (normaliseExposure) crops[i] = ExposureNormalisation.Apply(crops[i]);
        }

        return LogitDifference(crops, ct);
    }

    /// <summary>Per 128×128 crop, logit(real) − logit(spoof); one batched run.</summary>
    private float[] LogitDifference(IReadOnlyList<RgbImage> crops, CancellationToken ct)
    {
        if (crops.Count == 0) return [];
        const int itemSize = 3 * InputSize * InputSize;
        using var tensor = new TensorBuffer(crops.Count * itemSize);
        for (var i = 0; i < crops.Count; i++) TensorPacker.Pack(crops[i], Layout, tensor.Span.Slice(i * itemSize, itemSize));
        var outputs = Model.Run(tensor, [crops.Count, 3, InputSize, InputSize], ct);
        var logits = outputs[0].Data;
        if (logits.Length != crops.Count * 2)
        {
            throw new InvalidOperationException($"{Model.Name}: expected [N,2] logits, got {logits.Length} values for N={crops.Count}");
        }

        var result = new float[crops.Count];
        for (var i = 0; i < crops.Count; i++) result[i] = logits[2 * i] - logits[2 * i + 1];
        return result;
    }

    public void WarmUp()
    {
        Model.RequireLayout([3, InputSize, InputSize]);
        LogitDifference([RgbImage.Blank(InputSize, InputSize, 128, 128, 128)], CancellationToken.None);
    }
}
