using System.Numerics;
using ImageApi.Imaging;
using ImageApi.Inference;

namespace ImageApi.Templates;

/// <summary>
/// MobileFaceNet embeddings (models/face-recognition-mobilefacenet/SOURCE.md): each face aligned to the ArcFace
/// 112×112 template by a similarity transform from its 5 points, RGB, <c>(pixel/255 − mean)/std</c> with the
/// ImageNet mean/std, NCHW; the 128-d output is L2-normalised (the model's norm ≈ 16).
/// </summary>
public sealed class MobileFaceNetEmbedder(ModelCatalog catalog, IOptions<FaceTemplateOptions> options) : FaceEmbedder(catalog, options)
{
    /// <summary>SOURCE.md "Pixels": foamliu data_gen.py val transform (ToTensor + ImageNet normalisation), in 0..255 units.</summary>
    private static readonly PixelLayout RgbImageNet = new(ChannelOrder.Rgb,
        [0.485f * 255, 0.456f * 255, 0.406f * 255], [0.229f * 255, 0.224f * 255, 0.225f * 255]);

    public override TemplateMethod Method => TemplateMethod.MobileFaceNet;

    public override int CropSize => FaceAligner.ArcFaceSize;

    protected override PixelLayout Layout => RgbImageNet;

    public override RgbImage Align(ImageSource image, ReadOnlySpan<Vector2> fivePointsOriginalPx) =>
        FaceAligner.AlignArcFace112(image, fivePointsOriginalPx, Options.MinSourcePixels);
}
