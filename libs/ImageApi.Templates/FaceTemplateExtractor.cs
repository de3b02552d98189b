using System.Numerics;
using ImageApi.Imaging;
using ImageApi.Inference;
using ImageApi.Samples;
using Microsoft.Extensions.Options;

namespace ImageApi.Templates;

/// <summary>
/// MobileFaceNet embeddings (models/face-recognition-mobilefacenet/SOURCE.md): each face aligned to the ArcFace
/// 112×112 template by a similarity transform from its 5 points, RGB, <c>(pixel/255 − mean)/std</c> with the
/// ImageNet mean/std, NCHW, all faces of a request in one batch (the batch dimension is dynamic); the 128-d output
/// is L2-normalised (it is not normalised by the model, norm ≈ 16).
/// </summary>
public sealed class FaceTemplateExtractor(ModelCatalog catalog, IOptions<FaceTemplateOptions> options) : IWarmable
{
    /// <summary>SOURCE.md "Pixels": foamliu data_gen.py val transform (ToTensor + ImageNet normalisation), in 0..255 units.</summary>
    private static readonly PixelLayout Layout = new(ChannelOrder.Rgb,
        [0.485f * 255, 0.456f * 255, 0.406f * 255], [0.229f * 255, 0.224f * 255, 0.225f * 255]);

    private const int Size = FaceAligner.ArcFaceSize;
    private readonly FaceTemplateOptions _options = options.Value;

    private OnnxModel Model => catalog.Get(_options.Model);

    public FaceTemplateOptions Options => _options;

    /// <summary>Unit embeddings of the faces whose 5 points (original pixels, ArcFace order) are given, in order.</summary>
    public float[][] Extract(ImageSource image, IReadOnlyList<Vector2[]> fivePoints, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (fivePoints.Count == 0) return [];
        var aligned = new RgbImage[fivePoints.Count];
        using (var activity = ImageApiTelemetry.StartStage("align"))
        {
            for (var i = 0; i < aligned.Length; i++)
            {
                ct.ThrowIfCancellationRequested();
                aligned[i] = FaceAligner.AlignArcFace112(image, fivePoints[i], _options.MinSourcePixels);
            }
        }

        return Embed(aligned, ct);
    }

    /// <summary>Unit embeddings of already aligned 112×112 crops, one model run for all of them.</summary>
    public float[][] Embed(IReadOnlyList<RgbImage> aligned, CancellationToken ct = default)
    {
        if (aligned.Count == 0) return [];
        var flip = _options.FlipAugmentation;
        var batch = aligned;
        if (flip)
        {
            var withMirrors = new List<RgbImage>(2 * aligned.Count);
            withMirrors.AddRange(aligned);
            withMirrors.AddRange(aligned.Select(ImageSampler.MirrorHorizontal));
            batch = withMirrors;
        }

        var raw = EmbedRaw(batch, ct);
        var result = new float[aligned.Count][];
        for (var i = 0; i < aligned.Count; i++)
        {
            var v = raw[i];
            if (flip)
            {
                // foamliu lfw_eval.py: embedding of the face plus that of its mirror image, then normalise.
                var m = raw[aligned.Count + i];
                for (var k = 0; k < v.Length; k++) v[k] += m[k];
            }

            UnitVector.Normalize(v);
            result[i] = v;
        }

        return result;
    }

    /// <summary>The model's raw (not normalised) embeddings of aligned 112×112 crops, one run for all.</summary>
    internal float[][] EmbedRaw(IReadOnlyList<RgbImage> aligned, CancellationToken ct = default)
    {
        if (aligned.Count == 0) return [];
        using var activity = ImageApiTelemetry.StartStage("embed");
        const int itemSize = 3 * Size * Size;
        using var tensor = new TensorBuffer(aligned.Count * itemSize);
        for (var i = 0; i < aligned.Count; i++)
        {
            var crop = aligned[i];
            if (crop.Width != Size || crop.Height != Size) throw new ArgumentException("aligned crops must be 112×112", nameof(aligned));
            TensorPacker.Pack(crop, Layout, tensor.Span.Slice(i * itemSize, itemSize));
        }

        var model = Model;
        // SOURCE.md "Output": embedding [batch, 128], not normalised.
        var output = model.Output(model.Run(tensor, [aligned.Count, 3, Size, Size], ct), model.OutputNames[0]).Data;
        var dim = output.Length / aligned.Count;
        var result = new float[aligned.Count][];
        for (var i = 0; i < aligned.Count; i++) result[i] = output.AsSpan(i * dim, dim).ToArray();
        activity?.SetTag("imageapi.faces.in", aligned.Count);
        return result;
    }

    public void WarmUp() => Embed([RgbImage.Blank(Size, Size, 128, 128, 128)]);
}
