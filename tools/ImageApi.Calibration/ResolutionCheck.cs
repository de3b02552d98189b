using System.Globalization;
using System.Text;
using ImageApi.Faces;
using ImageApi.Imaging;
using Microsoft.Extensions.DependencyInjection;

namespace ImageApi.Calibration;

/// <summary>
/// Measures what sampling the alignment from a ≥ 224-px decode (the service) instead of the detector's 640-px copy
/// changes, on shared/testdata identity + labelled group photos (large photos, where the two differ). The
/// calibration set's images are 250×250 and 92×112: there both rules pick the same full-size decode.
/// </summary>
internal static class ResolutionCheck
{
    public static void Run(IServiceProvider provider, string testdata, string reportPath)
    {
        var inv = CultureInfo.InvariantCulture;
        var fitting = provider.GetRequiredService<FaceFitting>();
        var detector = provider.GetRequiredService<FaceDetector>();
        var extractor = provider.GetRequiredService<FaceTemplateExtractor>();
        var decoder = provider.GetRequiredService<ImageDecoder>();
        var table = RocTable.LoadBuiltIn(TemplateMethod.MobileFaceNet);
        var threshold = table.ThresholdFor(1e-3)!;
        var labels = File.ReadAllLines(Path.Combine(testdata, "labels.csv")).Skip(1)
            .Select(l => l.Split(','))
            .Where(c => c[0].StartsWith("identity/", StringComparison.Ordinal))
            .ToDictionary(c => c[0], c => c[6]);

        var faces = new List<(string File, string Identity, float FacePx, float DetectorPx, int DecodeLong, float[] Detector, float[] Service)>();
        foreach (var (file, identity) in labels.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var source = new ImageSource(File.ReadAllBytes(Path.Combine(testdata, file)), decoder);
            var fitted = fitting.Fit(source);
            if (fitted.Count == 0) continue;
            var f = fitted.MaxBy(x => x.Box.Area)!;
            var detCopy = source.Get(detector.Options.InputLongSide);
            var service = FaceAligner.AlignArcFace112(source, f.FivePoints, extractor.Options.MinSourcePixels);
            var region = FaceAligner.ArcFaceSize / FaceAligner.Umeyama(f.FivePoints, FaceAligner.ArcFaceTemplate).ScaleFactor;
            var ladder = FaceAligner.SourceLongSide(source.Width, source.Height, f.FivePoints, extractor.Options.MinSourcePixels);
            var usedLong = ladder == 0 ? Math.Max(source.Width, source.Height) : ladder;
            var v = extractor.For(TemplateMethod.MobileFaceNet).Embed([FaceAligner.AlignArcFace112(detCopy, f.FivePoints), service]);
            faces.Add((file, identity, region, region * detCopy.Scale, usedLong, v[0], v[1]));
        }

        var md = new StringBuilder();
        md.AppendLine("# Alignment resolution: detector's copy vs ≥ 224-px decode");
        md.AppendLine();
        md.AppendLine("Written by `tools/ImageApi.Calibration resolution`. For each identity photo of shared/testdata (largest face), the");
        md.AppendLine("ArcFace crop is sampled (a) from the detector's 640-px copy and (b) as the service does, from the smallest of the 640, 1280,");
        md.AppendLine("2560, … px (or full-size) decodes in which the aligned 112-px region is ≥ 224 px. \"region\" = the original-photo pixels the 112-px crop covers.");
        md.AppendLine();
        md.AppendLine("On the calibration set (LFW 250×250, ORL 92×112) the detector's copy is the full-size image, so (a) and (b) are the same");
        md.AppendLine("crop for all 8,307 images: the choice cannot change the reference ROC. The effect shows only on large photos:");
        md.AppendLine();
        md.AppendLine("| file | region px (original) | region px in detector copy | decode used (long side) | cos(a, b) |");
        md.AppendLine("|---|---|---|---|---|");
        foreach (var f in faces)
        {
            md.AppendLine(string.Create(inv, $"| {f.File} | {f.FacePx:F0} | {f.DetectorPx:F0} | {f.DecodeLong} | {UnitVector.Dot(f.Detector, f.Service):F4} |"));
        }

        int changed = 0, pairs = 0;
        double minGa = 1, minGb = 1, maxIa = 0, maxIb = 0;
        for (var i = 0; i < faces.Count; i++)
        {
            for (var j = i + 1; j < faces.Count; j++)
            {
                pairs++;
                var same = faces[i].Identity == faces[j].Identity;
                var sa = table.ScoreAt(1 - UnitVector.Dot(faces[i].Detector, faces[j].Detector));
                var sb = table.ScoreAt(1 - UnitVector.Dot(faces[i].Service, faces[j].Service));
                if (sa >= threshold.Score != sb >= threshold.Score) changed++;
                if (same) { minGa = Math.Min(minGa, sa); minGb = Math.Min(minGb, sb); }
                else { maxIa = Math.Max(maxIa, sa); maxIb = Math.Max(maxIb, sb); }
            }
        }

        md.AppendLine();
        md.AppendLine(string.Create(inv, $"Pairs: {pairs}. Decisions at the FAR 1e-3 threshold (score {threshold.Score:F4}) that differ between (a) and (b): {changed}."));
        md.AppendLine(string.Create(inv, $"Lowest same-identity score: (a) {minGa:F4}, (b) {minGb:F4}. Highest different-identity score: (a) {maxIa:F4}, (b) {maxIb:F4}."));
        var small = faces.Count(f => f.DetectorPx < extractor.Options.MinSourcePixels);
        md.AppendLine(string.Create(inv, $"{small} of {faces.Count} identity faces cover fewer than {extractor.Options.MinSourcePixels} px in the detector's copy (there (b) samples a larger decode)."));
        md.AppendLine();
        md.AppendLine("## Group photos (every detected face; no identity labels per face)");
        md.AppendLine();
        md.AppendLine("| file | faces | region px in detector copy (min–max) | cos(a, b) min | cos(a, b) mean |");
        md.AppendLine("|---|---|---|---|---|");
        foreach (var file in Directory.GetFiles(Path.Combine(testdata, "group")).Order(StringComparer.Ordinal))
        {
            var source = new ImageSource(File.ReadAllBytes(file), decoder);
            var fitted = fitting.Fit(source);
            if (fitted.Count == 0) continue;
            var detCopy = source.Get(detector.Options.InputLongSide);
            var crops = new List<RgbImage>();
            var detPx = new List<float>();
            foreach (var f in fitted)
            {
                crops.Add(FaceAligner.AlignArcFace112(detCopy, f.FivePoints));
                crops.Add(FaceAligner.AlignArcFace112(source, f.FivePoints, extractor.Options.MinSourcePixels));
                detPx.Add(FaceAligner.ArcFaceSize / FaceAligner.Umeyama(f.FivePoints, FaceAligner.ArcFaceTemplate).ScaleFactor * detCopy.Scale);
            }

            var v = extractor.For(TemplateMethod.MobileFaceNet).Embed(crops);
            var cos = Enumerable.Range(0, fitted.Count).Select(k => (double)UnitVector.Dot(v[2 * k], v[2 * k + 1])).ToList();
            md.AppendLine(string.Create(inv, $"| group/{Path.GetFileName(file)} | {fitted.Count} | {detPx.Min():F0}–{detPx.Max():F0} | {cos.Min():F4} | {cos.Average():F4} |"));
        }
        Directory.CreateDirectory(Path.GetDirectoryName(reportPath)!);
        File.WriteAllText(reportPath, md.ToString());
        Console.Write(md.ToString());
    }
}
