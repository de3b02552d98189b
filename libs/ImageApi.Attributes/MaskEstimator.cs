using ImageApi.Imaging;
using ImageApi.Inference;
using Microsoft.Extensions.Options;

namespace ImageApi.Attributes;

/// <summary>
/// Medical-mask probability from the UltraFace RFB-640 masked-face detector used as a crop classifier
/// (models/mask-ultraface-rfb640-masked/SOURCE.md, "Face-crop classifier use"): a square of 1.2 × the face box with
/// edge replication, resized to 640×480 (aspect ignored, as upstream), RGB <c>(x − 127) / 128</c>; P(mask) =
/// masked / (face + masked) of the highest-scoring prior box (SOURCE.md), or pooled over the boxes where the face is
/// (<see cref="MaskPooling.Centred"/>).
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
        // Shared with the quality stage's not-masked score: one run per face per image.
        return image.Faces.GetOrCompute("mask", [.. faces.Select(f => f.Box)], missing =>
            EstimateUncached(image, [.. missing.Select(i => faces[i])], ct));
    }

    /// <summary>As <see cref="Estimate(ImageSource, IReadOnlyList{FaceInput}, CancellationToken)"/>, without the per-image
    /// result cache: a benchmark or evaluation that runs the model again (or another setting) on one decoded image must
    /// not read the earlier answer.</summary>
    public float[] EstimateUncached(ImageSource image, IReadOnlyList<FaceInput> faces, CancellationToken ct)
    {
        // Each 640×480 crop is made when the model packs its item and is packed at once, so one pooled buffer holds
        // every face's crop in turn instead of a fresh 0.9 MB array a face (docs/performance.md, "Memory, session 12").
        var buffer = PixelBuffers.Bytes.Rent(InputWidth * InputHeight * 3);
        try
        {
            return Estimate(faces.Count,
                i => FaceCrop.Square(image, faces[i].Box, _options.MaskCropScale, InputWidth, InputHeight, into: buffer), ct);
        }
        finally
        {
            PixelBuffers.Bytes.Return(buffer);
        }
    }

    /// <summary>Per 640×480 crop, P(mask).</summary>
    internal float[] Estimate(IReadOnlyList<RgbImage> crops, CancellationToken ct) => Estimate(crops.Count, i => crops[i], ct);

    private float[] Estimate(int count, Func<int, RgbImage> crop, CancellationToken ct)
    {
        // The model's batch is fixed at 1 (SOURCE.md: [1,3,480,640]); RunItems loops then.
        var outputs = Model.RunItems(count, [3, InputHeight, InputWidth],
            (i, dst) => TensorPacker.Pack(crop(i), Layout, dst), ["scores", "boxes"], ct);
        var scores = outputs[0];
        var boxes = outputs[1];
        var priors = scores.Length / Math.Max(1, count) / 3;
        // Where the face box lies in the crop (normalised): the crop is a square of MaskCropScale × the box, centred.
        var half = 0.5f / _options.MaskCropScale;
        var expected = new Box(0.5f - half, 0.5f - half, 0.5f + half, 0.5f + half);
        var result = new float[count];
        for (var f = 0; f < count; f++)
        {
            result[f] = _options.MaskPooling == MaskPooling.Centred
                ? Centred(scores.AsSpan(f * priors * 3, priors * 3), boxes.AsSpan(f * priors * 4, priors * 4), expected)
                : Top(scores.AsSpan(f * priors * 3, priors * 3));
        }

        return result;
    }

    /// <summary>SOURCE.md: scores [background, face, masked_face], softmaxed; the prior with the highest
    /// max(face, masked) is the face of the crop (NMS would not change which box is best).</summary>
    private static float Top(ReadOnlySpan<float> scores)
    {
        var best = -1f;
        var pMask = 0f;
        for (var p = 0; p < scores.Length / 3; p++)
        {
            var face = scores[3 * p + 1];
            var masked = scores[3 * p + 2];
            var score = Math.Max(face, masked);
            if (score <= best) continue;
            best = score;
            pMask = masked / Math.Max(1e-6f, face + masked);
        }

        return pMask;
    }

    /// <summary>
    /// P(mask) pooled over every prior that found a face (max(face, masked) above SOURCE.md's crop-mode 0.3) where the
    /// face should be (IoU ≥ 0.3 with the box the request gave), weighted by its score; the top prior when none does.
    /// </summary>
    private float Centred(ReadOnlySpan<float> scores, ReadOnlySpan<float> boxes, Box expected)
    {
        double weight = 0, sum = 0;
        for (var p = 0; p < scores.Length / 3; p++)
        {
            var face = scores[3 * p + 1];
            var masked = scores[3 * p + 2];
            var score = Math.Max(face, masked);
            if (score < _options.MaskMinScore) continue;
            var box = new Box(boxes[4 * p], boxes[4 * p + 1], boxes[4 * p + 2], boxes[4 * p + 3]);
            if (box.IoU(expected) < 0.3f) continue;
            weight += score;
            sum += score * masked / Math.Max(1e-6f, face + masked);
        }

        return weight > 0 ? (float)(sum / weight) : Top(scores);
    }

    public void WarmUp() => Estimate([RgbImage.Blank(InputWidth, InputHeight, 128, 128, 128)], CancellationToken.None);
}
