using ImageApi.Inference;
using ImageApi.Samples;
using Microsoft.Extensions.Options;

namespace ImageApi.Bodies;

/// <summary>
/// Person detector: YOLOX-Nano (default) or NanoDet-m, both 416×416 COCO models of which class 0 (person) is kept.
/// The photo is decoded at most 416 px on its long side (JPEG DCT scaling), letterboxed as the model's SOURCE.md says,
/// decoded, NMS-ed and mapped back to pixels of the full-size oriented photo.
/// </summary>
public sealed class BodyDetector : IWarmable
{
    // NanoDet (SOURCE.md): (pixel − mean) / std with B, G, R constants; YOLOX: raw 0..255.
    private static readonly float[] NanoDetMean = [103.53f, 116.28f, 123.675f];
    private static readonly float[] NanoDetStd = [57.375f, 57.12f, 58.395f];
    private static readonly float[] RawMean = [0, 0, 0];
    private static readonly float[] RawStd = [1, 1, 1];

    private readonly ModelCatalog _catalog;
    private readonly BodyDetectorOptions _options;

    public BodyDetector(ModelCatalog catalog, IOptions<BodyDetectorOptions> options)
    {
        _catalog = catalog;
        _options = options.Value;
        if (!BodyModels.IsKnown(_options.Model))
        {
            throw new InvalidOperationException(
                $"BodyDetector:Model '{_options.Model}' is not a known body detector ({BodyModels.YoloxNano}, {BodyModels.NanoDetM416})");
        }

        var defaults = BodyModels.Defaults(_options.Model);
        ScoreThreshold = _options.ScoreThreshold ?? defaults.Score;
        NmsIou = _options.NmsIou ?? defaults.NmsIou;
    }

    public string ModelName => _options.Model;
    public float ScoreThreshold { get; }
    public float NmsIou { get; }

    private OnnxModel Model => _catalog.Get(_options.Model);

    /// <summary>Detects people in the request image (decoded at the detector's size, cached on the source), sorted by
    /// descending score.</summary>
    public IReadOnlyList<DetectedBody> Detect(ImageSource source, CancellationToken ct = default)
    {
        using var activity = ImageApiTelemetry.StartStage("detect-bodies");
        var bodies = Detect(source.Get(BodyModels.InputSize), ct);
        activity?.SetTag("imageapi.bodies.out", bodies.Count);
        return bodies;
    }

    /// <summary>Detects people in <paramref name="image"/>; boxes are in the original photo's pixels
    /// (divided by <see cref="RgbImage.Scale"/>).</summary>
    public IReadOnlyList<DetectedBody> Detect(RgbImage image, CancellationToken ct = default)
    {
        const int size = BodyModels.InputSize;
        using var tensor = new TensorBuffer(3 * size * size);
        var yolox = _options.Model == BodyModels.YoloxNano;
        Letterbox box;
        List<(Box Box, float Score)> candidates;
        if (yolox)
        {
            // SOURCE.md: BGR, raw 0..255, top-left, pad 114.
            box = Letterbox.TopLeft(image.Width, image.Height, size);
            box.PackBgr(image, size, tensor.Span, 114, RawMean, RawStd);
            var outputs = Model.Run(tensor, [1, 3, size, size], ct);
            var output = outputs[0];
            var columns = (int)output.Shape[^1];
            if (output.Data.Length != YoloxDecoder.RowCount(size) * columns || columns < 5 + BodyModels.PersonClass + 1)
            {
                throw new InvalidOperationException($"{ModelName}: unexpected output shape [{string.Join(',', output.Shape)}]");
            }

            candidates = YoloxDecoder.Decode(output.Data, size, columns, BodyModels.PersonClass, ScoreThreshold);
        }
        else
        {
            // SOURCE.md: BGR, (v − mean)/std, centred letterbox, zero padding.
            box = Letterbox.Centered(image.Width, image.Height, size);
            box.PackBgr(image, size, tensor.Span, 0, NanoDetMean, NanoDetStd);
            var outputs = Model.Run(tensor, [1, 3, size, size], ct);
            candidates = DecodeNanoDet(outputs, size);
        }

        var toOriginal = 1f / image.Scale;
        var mapped = new List<(Box Box, float Score)>(candidates.Count);
        foreach (var (b, s) in candidates)
        {
            var inImage = yolox ? box.ToImageByRatio(b) : box.ToImageByAxes(b);
            mapped.Add((inImage.Scale(toOriginal), s));
        }

        var result = new List<DetectedBody>();
        foreach (var k in BoxSuppression.Run(mapped, NmsIou))
        {
            if (mapped[k].Box.LongSide < _options.MinBodySize) continue;
            result.Add(new DetectedBody(mapped[k].Box, mapped[k].Score));
        }

        return result;
    }

    public void WarmUp() => Detect(RgbImage.Blank(640, 480, 128, 128, 128));

    private List<(Box, float)> DecodeNanoDet(IReadOnlyList<NamedTensor> outputs, int size)
    {
        // Outputs are told apart by shape, not by their numeric graph names: class tensors end in 80, box tensors in
        // 4·8 = 32; the larger the level, the smaller the stride.
        var cls = outputs.Where(o => o.Shape[^1] != 4 * NanoDetDecoder.Bins).OrderByDescending(o => o.Data.Length).ToArray();
        var reg = outputs.Where(o => o.Shape[^1] == 4 * NanoDetDecoder.Bins).OrderByDescending(o => o.Data.Length).ToArray();
        if (cls.Length != NanoDetDecoder.Strides.Length || reg.Length != cls.Length)
        {
            throw new InvalidOperationException($"{ModelName}: expected 3 class and 3 box outputs, got {outputs.Count}");
        }

        var result = new List<(Box, float)>();
        for (var level = 0; level < cls.Length; level++)
        {
            var classes = (int)cls[level].Shape[^1];
            NanoDetDecoder.DecodeLevel(cls[level].Data, reg[level].Data, classes, size, NanoDetDecoder.Strides[level],
                BodyModels.PersonClass, ScoreThreshold, result);
        }

        return result;
    }
}
