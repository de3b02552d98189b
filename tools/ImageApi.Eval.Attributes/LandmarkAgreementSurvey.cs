using System.Globalization;
using System.Numerics;
using System.Text;
using ImageApi.Faces;
using ImageApi.Imaging;
using ImageApi.Inference;
using Microsoft.Extensions.Options;

namespace ImageApi.Eval.Attributes;

/// <summary>
/// Evidence for the fitting stage's landmark-agreement rule (a Faces setting): every YuNet candidate down to score 0.3
/// on every photo of shared/testdata and of the attributes-dev sets, with the distance between YuNet's and PFLD's
/// points per point (pupils, nose tip, mouth corners) over the box's long side. Written as CSV so that rules (which
/// points, which score range) can be compared on the same candidates.
/// </summary>
internal static class LandmarkAgreementSurvey
{
    public static async Task WriteAsync(string shared, string output, ModelCatalog catalog, FaceDetectorOptions shipped,
        FaceFitting fitting, ImageDecoder decoder, int every, CancellationToken ct)
    {
        var detector = DetectorSweep.DetectorAt(catalog, shipped, 0.3f);
        var files = new List<(string Set, string Root, string File)>();
        var testdata = Path.Combine(shared, "testdata");
        foreach (var path in Directory.GetFiles(testdata, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var rel = Path.GetRelativePath(testdata, path).Replace('\\', '/');
            if (rel.Contains('/') && !rel.StartsWith("LICENSES", StringComparison.Ordinal) && IsImage(rel)) files.Add(("testdata", testdata, rel));
        }

        var dev = Path.Combine(shared, "attributes-dev");
        foreach (var label in DevLabel.Read(Path.Combine(dev, "labels.csv")).Where((_, i) => i % every == 0)) files.Add((label.Task, dev, label.File));

        var csv = new StringBuilder("set,file,width,height,rank,score,x1,y1,x2,y2,d_left_eye,d_right_eye,d_nose,d_mouth_left,d_mouth_right,inside_stronger\n");
        foreach (var (set, root, file) in files)
        {
            var image = new ImageSource(await File.ReadAllBytesAsync(Path.Combine(root, file), ct), decoder);
            var found = detector.Detect(image, ct).OrderByDescending(d => d.Score).ToList();
            var fitted = fitting.FitBoxes(image, [.. found.Select(d => d.Box)], ct);
            for (var i = 0; i < found.Count; i++)
            {
                var d = found[i];
                csv.Append(CultureInfo.InvariantCulture, $"{set},{file},{image.Width},{image.Height},{i},{d.Score:F4},{d.Box.X1:F1},{d.Box.Y1:F1},{d.Box.X2:F1},{d.Box.Y2:F1}");
                for (var k = 0; k < 5; k++)
                {
                    csv.Append(CultureInfo.InvariantCulture, $",{Vector2.Distance(d.Landmarks[k], fitted[i].FivePoints[k]) / MathF.Max(1, d.Box.LongSide):F4}");
                }

                // The fitting stage's containment rule (FaceFitting:MaxInsideStrongerFace) against the stronger candidates
                // that pass the shipped score threshold.
                var inside = found.Take(i).Where(o => o.Score >= shipped.ScoreThreshold).Select(o => FaceFitting.InsideFraction(d.Box, o.Box)).DefaultIfEmpty(0).Max();
                csv.Append(CultureInfo.InvariantCulture, $",{inside:F3}\n");
            }
        }

        await File.WriteAllTextAsync(output, csv.ToString(), ct);
        Console.WriteLine($"wrote {output}: {files.Count} images");
    }

    private static bool IsImage(string file) =>
        Path.GetExtension(file).ToLowerInvariant() is ".jpg" or ".jpeg" or ".png" or ".bmp" or ".webp" or ".gif";
}
