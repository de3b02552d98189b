using ImageApi.Inference;

namespace ImageApi.Faces;

/// <summary>
/// YuNet face detector (models/face-detector-yunet-n/SOURCE.md): BGR 0..255 NCHW, image scaled so the long side is
/// 640 and placed top-left, zero-padded to multiples of 32; 12 outputs (cls/obj/bbox/kps for strides 8, 16, 32),
/// decoded as OpenCV's FaceDetectorYN does; score = sqrt(cls·obj); then NMS.
/// </summary>
public sealed class FaceDetector(ModelCatalog catalog, IOptions<FaceDetectorOptions> options) : IWarmable
{
    private static readonly int[] Strides = [8, 16, 32];
    private readonly FaceDetectorOptions _options = options.Value;

    private OnnxModel Model => catalog.Get(_options.Model);

    public FaceDetectorOptions Options => _options;

    /// <summary>Detects faces in the request image (decoded at the detector's size, cached on the source); with
    /// <see cref="FaceDetectorOptions.SmallFacePassLongSide"/> set, a second pass at that size adds the faces that are
    /// too small for the first one.</summary>
    public IReadOnlyList<DetectedFace> Detect(ImageSource source, CancellationToken ct = default)
    {
        using var activity = ImageApiTelemetry.StartStage("detect");
        var candidates = new Candidates();
        var image = source.Get(_options.InputLongSide);
        Collect(image, _options.InputLongSide, 0, float.MaxValue, candidates, ct);
        CollectLargeFaces(image, candidates, ct);
        var second = _options.SmallFacePassLongSide;
        if (second > _options.InputLongSide && Math.Max(source.Width, source.Height) > _options.InputLongSide)
        {
            var hi = source.Get(second);
            // Only faces the first pass sees below SmallFacePassMaxFace pixels come from the second pass; bigger ones
            // are the first pass's job (the detector was trained for them at that scale).
            var firstScale = _options.InputLongSide / (float)Math.Max(source.Width, source.Height);
            Collect(hi, Math.Min(second, hi.LongSide), 0, _options.SmallFacePassMaxFace / firstScale, candidates, ct);
        }

        var faces = Suppress(candidates);
        activity?.SetTag("imageapi.faces.out", faces.Count);
        return faces;
    }

    /// <summary>Detects faces in <paramref name="image"/> resized to the detector's long side; coordinates are
    /// returned in the original photo's pixels (divided by <see cref="RgbImage.Scale"/>).</summary>
    public IReadOnlyList<DetectedFace> Detect(RgbImage image, CancellationToken ct = default)
    {
        var candidates = new Candidates();
        Collect(image, _options.InputLongSide, 0, float.MaxValue, candidates, ct);
        CollectLargeFaces(image, candidates, ct);
        return Suppress(candidates);
    }

    /// <summary>
    /// The large-face pass: the same image at <see cref="FaceDetectorOptions.LargeFacePassLongSide"/> (from the decode
    /// already made), keeping only faces of at least <see cref="FaceDetectorOptions.LargeFacePassMinFace"/> pixels there.
    /// A face filling most of a 640-px input lies beyond the sizes YuNet localises well (measured on the 200-px UTKFace
    /// crops: scores 0.81–0.85 and boxes shifted by up to a third of the face at 640, 0.92–0.95 and centred at 320);
    /// NMS then keeps the better-scored box of the two passes.
    /// </summary>
    private void CollectLargeFaces(RgbImage image, Candidates into, CancellationToken ct)
    {
        var side = _options.LargeFacePassLongSide;
        if (side <= 0 || side >= _options.InputLongSide) return;
        var toOriginal = 1f / (image.Scale * (side / (float)image.LongSide));
        Collect(image, side, _options.LargeFacePassMinFace * toOriginal, float.MaxValue, into, ct);
    }

    /// <summary>One detector run at <paramref name="target"/> long side; keeps hits whose box long side (original pixels)
    /// is in [<paramref name="minFaceOriginal"/>, <paramref name="maxFaceOriginal"/>).</summary>
    private void Collect(RgbImage image, int target, float minFaceOriginal, float maxFaceOriginal, Candidates into, CancellationToken ct)
    {
        var f = target / (float)image.LongSide;
        var resized = Math.Abs(f - 1) < 1e-3 ? image
            : ImageSampler.Resize(image, Math.Max(1, (int)MathF.Round(image.Width * f)), Math.Max(1, (int)MathF.Round(image.Height * f)));
        var toOriginal = 1f / (image.Scale * (resized.Width / (float)image.Width));

        int padW = (resized.Width + 31) / 32 * 32, padH = (resized.Height + 31) / 32 * 32;
        using var tensor = new TensorBuffer(3 * padW * padH); // zeroed: the padding stays 0
        PackBgrTopLeft(resized, tensor.Span, padW, padH);
        var outputs = Model.Run(tensor, [1, 3, padH, padW], ct);

        foreach (var s in Strides)
        {
            int cols = padW / s, rows = padH / s;
            var cls = Model.Output(outputs, $"cls_{s}").Data;
            var obj = Model.Output(outputs, $"obj_{s}").Data;
            var bbox = Model.Output(outputs, $"bbox_{s}").Data;
            var kps = Model.Output(outputs, $"kps_{s}").Data;
            for (var r = 0; r < rows; r++)
            {
                for (var c = 0; c < cols; c++)
                {
                    var i = r * cols + c;
                    var score = MathF.Sqrt(Math.Clamp(cls[i], 0, 1) * Math.Clamp(obj[i], 0, 1));
                    if (score < _options.ScoreThreshold) continue;
                    var cx = (c + bbox[4 * i]) * s;
                    var cy = (r + bbox[4 * i + 1]) * s;
                    var w = MathF.Exp(bbox[4 * i + 2]) * s;
                    var h = MathF.Exp(bbox[4 * i + 3]) * s;
                    var box = new Box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2).Scale(toOriginal);
                    if (box.LongSide >= maxFaceOriginal || box.LongSide < minFaceOriginal) continue;
                    var p = new Vector2[5];
                    for (var k = 0; k < 5; k++)
                    {
                        p[k] = new Vector2((kps[10 * i + 2 * k] + c) * s, (kps[10 * i + 2 * k + 1] + r) * s) * toOriginal;
                    }

                    into.Boxes.Add(box);
                    into.Scores.Add(score);
                    into.Points.Add(p);
                }
            }
        }
    }

    private List<DetectedFace> Suppress(Candidates c)
    {
        var result = new List<DetectedFace>();
        foreach (var k in NonMaxSuppression.Run(c.Boxes, c.Scores, _options.NmsIou))
        {
            if (c.Boxes[k].LongSide < _options.MinFaceSize) continue;
            result.Add(new DetectedFace(c.Boxes[k], c.Scores[k], c.Points[k]));
        }

        return result;
    }

    public void WarmUp() => Detect(RgbImage.Blank(640, 480, 128, 128, 128));

    private static void PackBgrTopLeft(RgbImage img, Span<float> dst, int padW, int padH)
    {
        var plane = padW * padH;
        var px = img.Pixels;
        var rowBytes = img.Width * 3;
        for (var y = 0; y < img.Height; y++)
        {
            var row = y * padW;
            // (v − 0) · 1 is v: the same floats as copying the bytes.
            TensorPacker.PackPlanes(px.AsSpan(y * rowBytes, rowBytes), dst.Slice(row, img.Width), dst.Slice(plane + row, img.Width),
                dst.Slice(2 * plane + row, img.Width), blueFirst: true, (0, 0, 0), (1, 1, 1));
        }
    }

    private sealed class Candidates
    {
        public List<Box> Boxes { get; } = [];
        public List<float> Scores { get; } = [];
        public List<Vector2[]> Points { get; } = [];
    }
}
