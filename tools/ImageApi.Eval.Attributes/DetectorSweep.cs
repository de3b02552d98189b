using System.Globalization;
using ImageApi.Faces;
using ImageApi.Inference;
using Microsoft.Extensions.Options;

namespace ImageApi.Eval.Attributes;

/// <summary>
/// How many images of a set the detector would miss at lower score thresholds than the shipped one: one YuNet pass at
/// the lowest threshold, then each image's best score. Evidence for the face-detector setting (owned by the Faces area).
/// </summary>
internal static class DetectorSweep
{
    public static readonly float[] Thresholds = [0.6f, 0.5f, 0.4f, 0.3f];

    public static MarkdownTable Header() =>
        new(["set", "images", "face-detector-face-fitter misses", "of them dropped by the fitting filters", .. Thresholds.Select(x => "YuNet misses @ score " + x.ToString("0.0", CultureInfo.InvariantCulture))]);

    /// <summary>The shipped detector with another score threshold (every other setting as shipped).</summary>
    public static FaceDetector DetectorAt(ModelCatalog catalog, FaceDetectorOptions shipped, float scoreThreshold)
    {
        var options = shipped.Copy();
        options.ScoreThreshold = scoreThreshold;
        return new FaceDetector(catalog, Options.Create(options));
    }

    public static void AddRow(MarkdownTable table, string set, IReadOnlyList<LocatedFace> faces, ModelCatalog catalog,
        FaceDetectorOptions shipped, CancellationToken ct)
    {
        var detector = DetectorAt(catalog, shipped, Thresholds[^1]);
        var best = faces.Select(f => detector.Detect(f.Image, ct).Select(d => d.Score).DefaultIfEmpty(0).Max()).ToList();
        var missed = faces.Select(f => f.Missed).ToList();
        var dropped = best.Where((b, i) => missed[i] && b >= shipped.ScoreThreshold).Count();
        table.Row([set, faces.Count, missed.Count(m => m), dropped, .. Thresholds.Select(x => (object)best.Count(b => b < x))]);
    }
}
