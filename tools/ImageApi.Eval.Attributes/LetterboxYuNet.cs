using System.Numerics;
using System.Security.Cryptography;
using ImageApi.Faces;
using ImageApi.Imaging;
using Microsoft.ML.OnnxRuntime;

namespace ImageApi.Eval.Attributes;

/// <summary>
/// YuNet-s with a fixed 640×640 input, measured as a fallback detector and not shipped (docs/faces.md "Fallback
/// detector"), so it is opened here from shared/models rather than through models.json. Pre/post-processing as
/// shared/models/face-detector-yunet-s-640/SOURCE.md: BGR 0..255 NCHW; the image scaled so that its long side is 640,
/// placed top-left, zero-padded to 640×640; cls/obj/bbox/kps per stride 8/16/32 decoded as OpenCV's FaceDetectorYN
/// (score = sqrt(cls·obj)); coordinates divided by the scale; NMS at IoU 0.3.
/// </summary>
internal sealed class LetterboxYuNet : IDisposable
{
    private const int Side = 640;
    private const string Sha256 = "8f2383e4dd3cfbb4553ea8718107fc0423210dc964f9f4280604804ed2552fa4"; // SOURCE.md
    private static readonly int[] Strides = [8, 16, 32];
    private readonly InferenceSession _session;

    public LetterboxYuNet(string modelPath)
    {
        using (var stream = File.OpenRead(modelPath))
        {
            var actual = Convert.ToHexStringLower(SHA256.HashData(stream));
            if (actual != Sha256) throw new InvalidOperationException($"{modelPath}: sha256 {actual}, SOURCE.md says {Sha256}");
        }

        // One intra-op thread, as the service's ModelCatalog configures by default, so the latency compares.
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
        _session = new InferenceSession(modelPath, options);
    }

    /// <summary>Faces ≥ <paramref name="scoreThreshold"/> after NMS and the detector's minimum size, in original pixels,
    /// on the decode the first detector used (long side ≤ 640).</summary>
    public List<DetectedFace> Detect(ImageSource source, float scoreThreshold, float nmsIou, float minFaceSize)
    {
        var image = source.Get(Side);
        var f = Side / (float)image.LongSide;
        int w = Math.Clamp((int)MathF.Round(image.Width * f), 1, Side), h = Math.Clamp((int)MathF.Round(image.Height * f), 1, Side);
        var resized = w == image.Width && h == image.Height ? image : ImageSampler.Resize(image, w, h);
        var toOriginal = 1f / (image.Scale * (w / (float)image.Width));

        var input = new float[3 * Side * Side]; // the padding stays 0
        const int plane = Side * Side;
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                var src = (y * w + x) * 3;
                input[y * Side + x] = resized.Pixels[src + 2];
                input[plane + y * Side + x] = resized.Pixels[src + 1];
                input[2 * plane + y * Side + x] = resized.Pixels[src];
            }
        }

        using var value = OrtValue.CreateTensorValueFromMemory(input, [1, 3, Side, Side]);
        using var run = new RunOptions();
        var names = _session.OutputMetadata.Keys.ToArray();
        using var outputs = _session.Run(run, [_session.InputMetadata.Keys.First()], [value], names);
        float[] Output(string name) => outputs[Array.IndexOf(names, name)].GetTensorDataAsSpan<float>().ToArray();

        var boxes = new List<Box>();
        var scores = new List<float>();
        var points = new List<Vector2[]>();
        foreach (var s in Strides)
        {
            var cols = Side / s;
            float[] cls = Output($"cls_{s}"), obj = Output($"obj_{s}"), bbox = Output($"bbox_{s}"), kps = Output($"kps_{s}");
            for (var i = 0; i < cols * cols; i++)
            {
                var score = MathF.Sqrt(Math.Clamp(cls[i], 0, 1) * Math.Clamp(obj[i], 0, 1));
                if (score < scoreThreshold) continue;
                int r = i / cols, c = i % cols;
                float cx = (c + bbox[4 * i]) * s, cy = (r + bbox[4 * i + 1]) * s;
                float bw = MathF.Exp(bbox[4 * i + 2]) * s, bh = MathF.Exp(bbox[4 * i + 3]) * s;
                boxes.Add(new Box(cx - bw / 2, cy - bh / 2, cx + bw / 2, cy + bh / 2).Scale(toOriginal));
                scores.Add(score);
                points.Add([.. Enumerable.Range(0, 5).Select(k => new Vector2((kps[10 * i + 2 * k] + c) * s, (kps[10 * i + 2 * k + 1] + r) * s) * toOriginal)]);
            }
        }

        return [.. NonMaxSuppression.Run(boxes, scores, nmsIou).Where(k => boxes[k].LongSide >= minFaceSize)
            .Select(k => new DetectedFace(boxes[k], scores[k], points[k]))];
    }

    /// <summary>The fitting stage's acceptance filters (FaceFitting.Fit, shipped FaceFittingOptions) on these
    /// detections: landmark agreement with PFLD, then no box mostly inside a higher-scored accepted face.</summary>
    public static List<DetectedFace> Accept(FaceFitting fitting, ImageSource image, List<DetectedFace> found, CancellationToken ct)
    {
        var o = fitting.Options;
        var longSide = Math.Max(image.Width, image.Height);
        var sorted = found.Where(d => d.Box.LongSide >= o.MinRelativeFaceSize * longSide).OrderByDescending(d => d.Score).ToList();
        var fitted = fitting.FitBoxes(image, [.. sorted.Select(d => d.Box)], ct);
        var accepted = new List<DetectedFace>();
        for (var i = 0; i < sorted.Count; i++)
        {
            var distance = 0f;
            for (var k = 0; k < 5; k++) distance += Vector2.Distance(sorted[i].Landmarks[k], fitted[i].FivePoints[k]);
            distance /= 5 * MathF.Max(1, sorted[i].Box.LongSide);
            if (o.MaxLandmarkDisagreement > 0 && distance > o.MaxLandmarkDisagreement) continue;
            if (o.MaxInsideStrongerFace < 1 && accepted.Exists(a => FaceFitting.InsideFraction(sorted[i].Box, a.Box) > o.MaxInsideStrongerFace)) continue;
            accepted.Add(sorted[i]);
        }

        return accepted;
    }

    public void Dispose() => _session.Dispose();
}
