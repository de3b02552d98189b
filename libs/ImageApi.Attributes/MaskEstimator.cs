using ImageApi.Imaging;
using ImageApi.Inference;
using ImageApi.Pipeline;
using Microsoft.Extensions.Options;

namespace ImageApi.Attributes;

/// <summary>
/// Medical-mask probability from the UltraFace RFB-640 masked-face detector used as a crop classifier
/// (models/mask-ultraface-rfb640-masked/SOURCE.md, "Face-crop classifier use"): a square of 1.2 × the face box with
/// edge replication, resized to 640×480 (aspect ignored, as upstream), RGB <c>(x − 127) / 128</c>; the highest-scoring
/// prior box is the face and P(mask) = masked / (face + masked) of that box.
/// </summary>
public sealed class MaskEstimator(ModelCatalog catalog, IOptions<FaceAttributesOptions> options) : IWarmable
{
    private const int InputWidth = 640, InputHeight = 480;
    private static readonly PixelLayout Layout = new(ChannelOrder.Rgb, [127, 127, 127], [128, 128, 128]);
    private readonly FaceAttributesOptions _options = options.Value;

    private OnnxModel Model => catalog.Get(_options.MaskModel);

    /// <summary>Per face, the probability that a mask is worn.</summary>
    public float[] Estimate(ImageSource image, IReadOnlyList<FaceInput> faces, CancellationToken ct)
    {
        using var activity = ImageApiTelemetry.StartStage("mask");
        var crops = new RgbImage[faces.Count];
        for (var i = 0; i < faces.Count; i++)
        {
            crops[i] = FaceCrop.Square(image, faces[i].Box, _options.MaskCropScale, InputWidth, InputHeight);
        }

        return Estimate(crops, ct);
    }

    /// <summary>Per 640×480 crop, P(mask).</summary>
    internal float[] Estimate(IReadOnlyList<RgbImage> crops, CancellationToken ct)
    {
        // The model's batch is fixed at 1 (SOURCE.md: [1,3,480,640]); BatchRunner loops then.
        var scores = BatchRunner.Run(Model, crops.Count, [3, InputHeight, InputWidth],
            (i, dst) => TensorPacker.Pack(crops[i], Layout, dst), ["scores"], ct)[0];
        var priors = scores.Length / Math.Max(1, crops.Count) / 3;
        var result = new float[crops.Count];
        for (var f = 0; f < crops.Count; f++)
        {
            // SOURCE.md: scores [background, face, masked_face], softmaxed; the box with the highest
            // max(face, masked) is the face of the crop (NMS would not change which box is best).
            var best = -1f;
            var pMask = 0f;
            var offset = f * priors * 3;
            for (var p = 0; p < priors; p++)
            {
                var face = scores[offset + 3 * p + 1];
                var masked = scores[offset + 3 * p + 2];
                var score = Math.Max(face, masked);
                if (score <= best) continue;
                best = score;
                pMask = masked / Math.Max(1e-6f, face + masked);
            }

            result[f] = pMask;
        }

        return result;
    }

    public void WarmUp() => Estimate([RgbImage.Blank(InputWidth, InputHeight, 128, 128, 128)], CancellationToken.None);
}
