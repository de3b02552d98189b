using ImageApi.Faces;
using ImageApi.Inference;
using Microsoft.Extensions.Options;

namespace ImageApi.Liveness;

/// <summary>
/// The Silent-Face-Anti-Spoofing pair (models/liveness-minifasnetv2-80/SOURCE.md, models/liveness-minifasnetv1se-80/SOURCE.md):
/// MiniFASNetV2 on a 2.7× context patch and MiniFASNetV1SE on a 4.0× patch. Input <c>[1,3,80,80]</c> (batch fixed to 1:
/// faces are looped), NCHW <b>BGR</b>, raw 0..255 (Silent-Face's <c>to_tensor</c> skips the /255); output <c>[1,3]</c>
/// logits, softmax, <b>class 1 = real</b> (0 and 2 are spoof types).
/// </summary>
public sealed class SilentFaceLivenessModels(ModelCatalog catalog, IOptions<LivenessOptions> options,
    IOptions<FaceDetectorOptions> detector) : IWarmable
{
    private const int InputSize = 80;

    /// <summary>SOURCE.md: the context scale is part of each model (trained on 2.7× and 4.0× patches).</summary>
    private const float V2Scale = 2.7f, V1SeScale = 4.0f;

    private static readonly PixelLayout Layout = PixelLayout.Raw(ChannelOrder.Bgr);

    private OnnxModel V2 => catalog.Get(options.Value.SilentFaceV2Model);
    private OnnxModel V1Se => catalog.Get(options.Value.SilentFaceV1SeModel);

    /// <summary>Per face box (original pixels), MiniFASNetV2's softmax P(real); <paramref name="normaliseExposure"/>
    /// applies <see cref="ExposureNormalisation"/> to each crop first.</summary>
    public float[] V2RealProbability(ImageSource image, IReadOnlyList<Box> faces, bool normaliseExposure, CancellationToken ct) =>
        RealProbability(V2, image, faces, V2Scale, normaliseExposure, ct);

    /// <summary>Per face box (original pixels), MiniFASNetV1SE's softmax P(real) (see <see cref="V2RealProbability"/>).</summary>
    public float[] V1SeRealProbability(ImageSource image, IReadOnlyList<Box> faces, bool normaliseExposure, CancellationToken ct) =>
        RealProbability(V1Se, image, faces, V1SeScale, normaliseExposure, ct);

    private float[] RealProbability(OnnxModel model, ImageSource image, IReadOnlyList<Box> faces, float scale, bool normaliseExposure,
        CancellationToken ct)
    {
        var result = new float[faces.Count];
        for (var i = 0; i < faces.Count; i++)
        {
            var crop = LivenessCrops.SilentFace(image, faces[i], scale, InputSize, detector.Value.InputLongSide);
            if (normaliseExposure) crop = ExposureNormalisation.Apply(crop);
            result[i] = RealProbability(model, crop, ct);
        }

        return result;
    }

    /// <summary>One 80×80 crop through one of the pair (batch 1): P(real).</summary>
    private static float RealProbability(OnnxModel model, RgbImage crop, CancellationToken ct) =>
        Softmax(model, crop, ct)[RealClass];

    /// <summary>SOURCE.md: class 1 = real; 0 and 2 are the two spoof classes.</summary>
    private const int RealClass = 1;

    /// <summary>One 80×80 crop through one of the pair (batch 1): the softmax of the 3 logits.</summary>
    private static float[] Softmax(OnnxModel model, RgbImage crop, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        using var tensor = new TensorBuffer(3 * InputSize * InputSize);
        TensorPacker.Pack(crop, Layout, tensor.Span);
        var logits = model.Run(tensor, [1, 3, InputSize, InputSize], ct)[0].Data;
        if (logits.Length != 3) throw new InvalidOperationException($"{model.Name}: expected [1,3] logits, got {logits.Length} values");
        var max = MathF.Max(logits[0], MathF.Max(logits[1], logits[2]));
        float e0 = MathF.Exp(logits[0] - max), e1 = MathF.Exp(logits[1] - max), e2 = MathF.Exp(logits[2] - max);
        var sum = e0 + e1 + e2;
        return [e0 / sum, e1 / sum, e2 / sum];
    }

    public void WarmUp()
    {
        var blank = RgbImage.Blank(InputSize, InputSize, 128, 128, 128);
        foreach (var model in new[] { V2, V1Se })
        {
            RealProbability(model.RequireLayout([3, InputSize, InputSize]), blank, CancellationToken.None);
        }
    }
}
