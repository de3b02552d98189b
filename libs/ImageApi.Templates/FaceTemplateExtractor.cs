using System.Numerics;
using ImageApi.Imaging;
using ImageApi.Inference;

namespace ImageApi.Templates;

/// <summary>
/// The composer over the template methods: the services extract with the method chosen by
/// <see cref="FaceTemplateOptions.Method"/> (<see cref="Default"/>); every method's embedder stays reachable
/// (<see cref="For"/>) for tools and benchmarks. Warm-up loads only the default method's model, so a host does not pay
/// for a model it never runs.
/// </summary>
public sealed class FaceTemplateExtractor(IEnumerable<IFaceEmbedder> embedders, IOptions<FaceTemplateOptions> options) : IWarmable
{
    private readonly IFaceEmbedder[] _embedders = [.. embedders];
    private readonly FaceTemplateOptions _options = options.Value;

    public FaceTemplateOptions Options => _options;

    /// <summary>The method new templates are made with.</summary>
    public TemplateMethod Method => _options.ResolveMethod();

    /// <summary>The embedder of <see cref="Method"/>.</summary>
    public IFaceEmbedder Default => For(Method);

    /// <summary>The embedder of <paramref name="method"/>.</summary>
    public IFaceEmbedder For(TemplateMethod method) =>
        _embedders.FirstOrDefault(e => e.Method == method) ?? throw new InvalidOperationException($"no embedder is registered for {method}");

    /// <summary>Unit embeddings (of <see cref="Method"/>) of the faces whose 5 points (original pixels) are given, in
    /// order; all faces of the request in one model run.</summary>
    public float[][] Extract(ImageSource image, IReadOnlyList<Vector2[]> fivePoints, CancellationToken ct = default) =>
        Default.Extract(image, fivePoints, ct);

    /// <summary>The templates (blobs of <see cref="Method"/> in the configured storage) of the faces whose 5 points are given.</summary>
    public byte[][] Templates(ImageSource image, IReadOnlyList<Vector2[]> fivePoints, CancellationToken ct = default)
    {
        var method = Method;
        return [.. Extract(image, fivePoints, ct).Select(v => FaceTemplate.Serialize(v, _options.Storage, method))];
    }

    public void WarmUp() => Default.WarmUp();
}
