using System.Numerics;
using ImageApi.Imaging;
using ImageApi.Inference;

namespace ImageApi.Templates;

/// <summary>
/// What the model families share: align every face, one batched model run for all faces of a request (the batch
/// dimension of both models is dynamic), optional flip augmentation (embedding of the face plus that of its mirror
/// image), L2 normalisation (neither model normalises its output). A subclass states its method, crop, alignment and
/// pixel layout next to the citation of its SOURCE.md.
/// </summary>
public abstract class FaceEmbedder(ModelCatalog catalog, IOptions<FaceTemplateOptions> options) : IFaceEmbedder
{
    protected FaceTemplateOptions Options { get; } = options.Value;

    public abstract TemplateMethod Method { get; }

    public abstract int CropSize { get; }

    /// <summary>Channel order and normalisation of the model's input.</summary>
    protected abstract PixelLayout Layout { get; }

    public abstract RgbImage Align(ImageSource image, ReadOnlySpan<Vector2> fivePointsOriginalPx);

    private OnnxModel Model => catalog.Get(Method.Model);

    public float[][] Extract(ImageSource image, IReadOnlyList<Vector2[]> fivePoints, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(fivePoints);
        if (fivePoints.Count == 0) return [];
        var aligned = new RgbImage[fivePoints.Count];
        using (var activity = ImageApiTelemetry.StartStage("align"))
        {
            for (var i = 0; i < aligned.Length; i++)
            {
                ct.ThrowIfCancellationRequested();
                aligned[i] = Align(image, fivePoints[i]);
            }
        }

        return Embed(aligned, ct);
    }

    public float[][] Embed(IReadOnlyList<RgbImage> aligned, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(aligned);
        if (aligned.Count == 0) return [];
        var flip = Options.FlipAugmentation;
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

    public float[][] EmbedRaw(IReadOnlyList<RgbImage> aligned, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(aligned);
        if (aligned.Count == 0) return [];
        using var activity = ImageApiTelemetry.StartStage("embed");
        var size = CropSize;
        var itemSize = 3 * size * size;
        using var tensor = new TensorBuffer(aligned.Count * itemSize);
        for (var i = 0; i < aligned.Count; i++)
        {
            var crop = aligned[i];
            if (crop.Width != size || crop.Height != size) throw new ArgumentException($"aligned crops must be {size}×{size}", nameof(aligned));
            TensorPacker.Pack(crop, Layout, tensor.Span.Slice(i * itemSize, itemSize));
        }

        var model = Model;
        var output = model.Output(model.Run(tensor, [aligned.Count, 3, size, size], ct), model.OutputNames[0]).Data;
        var dim = output.Length / aligned.Count;
        if (dim != Method.Dimension) throw new InvalidOperationException($"{Method.Model} gave {dim} values per face, {Method.Name} has {Method.Dimension}");
        var result = new float[aligned.Count][];
        for (var i = 0; i < aligned.Count; i++) result[i] = output.AsSpan(i * dim, dim).ToArray();
        activity?.SetTag("imageapi.faces.in", aligned.Count);
        activity?.SetTag("imageapi.template.method", Method.Name);
        return result;
    }

    public void WarmUp() => Embed([RgbImage.Blank(CropSize, CropSize, 128, 128, 128)]);
}
