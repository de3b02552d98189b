using System.Diagnostics;
using System.Globalization;
using System.Text;
using ImageApi.Faces;
using ImageApi.Imaging;

namespace ImageApi.Eval.Attributes;

/// <summary>
/// Evidence for the fallback detector (FaceDetector:FallbackModel / FallbackScoreThreshold, a Faces setting): on every
/// photo of shared/testdata and of the attributes-dev sets in which YuNet-n finds no face ≥ the shipped threshold, the
/// fallback's faces down to score 0.3 after the fitting stage's filters, per image; then, per set and fallback
/// threshold, how many images gain a face and how many faces a photo gets beyond its label (testdata labels.csv
/// num_faces, no_face/ = 0; a dev image holds one face). Also the fallback's extra latency on those images.
/// </summary>
internal static class FallbackSurvey
{
    public static readonly float[] Thresholds = [0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f];

    public static async Task<string> RunAsync(string shared, FaceDetector primary, FaceFitting fitting, ImageDecoder decoder,
        string fallbackModel, int every, CancellationToken ct)
    {
        var shipped = primary.Options;
        using var fallback = new LetterboxYuNet(Path.Combine(shared, "models", fallbackModel, "model.onnx"));
        List<DetectedFace> Fallback(ImageSource image) =>
            LetterboxYuNet.Accept(fitting, image, fallback.Detect(image, Thresholds[0], shipped.NmsIou, shipped.MinFaceSize), ct);

        var testdata = Path.Combine(shared, "testdata");
        var counts = DevLabel.ReadTestDataFaceCounts(Path.Combine(testdata, "labels.csv"));
        var files = new List<(string Set, string Root, string File, int? Faces)>();
        foreach (var path in Directory.GetFiles(testdata, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var rel = Path.GetRelativePath(testdata, path).Replace('\\', '/');
            if (!rel.Contains('/') || rel.StartsWith("LICENSES", StringComparison.Ordinal) || !IsImage(rel)) continue;
            int? expected = rel.StartsWith("no_face/", StringComparison.Ordinal) ? 0 : counts.TryGetValue(rel, out var n) ? n : null;
            files.Add((rel.StartsWith("no_face/", StringComparison.Ordinal) ? "testdata no_face" : "testdata", testdata, rel, expected));
        }

        var dev = Path.Combine(shared, "attributes-dev");
        foreach (var label in DevLabel.Read(Path.Combine(dev, "labels.csv")).Where((_, i) => i % every == 0)) files.Add((label.Task, dev, label.File, 1));

        var rows = new List<Row>();
        var extraMs = new List<double>();
        var perImage = new StringBuilder("set,file,label_faces,fallback_candidates (score:kept by the fitting filters)\n");
        foreach (var (set, root, file, expected) in files)
        {
            var bytes = await File.ReadAllBytesAsync(Path.Combine(root, file), ct);
            var first = primary.Detect(new ImageSource(bytes, decoder), ct);
            if (first.Count > 0)
            {
                rows.Add(new Row(set, file, expected, false, []));
                continue;
            }

            // Latency: the fallback's run on the decode the first detector made (what a miss would add).
            var image = new ImageSource(bytes, decoder);
            primary.Detect(image, ct);
            var t0 = Stopwatch.GetTimestamp();
            var candidates = fallback.Detect(image, Thresholds[0], shipped.NmsIou, shipped.MinFaceSize);
            extraMs.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);

            var kept = LetterboxYuNet.Accept(fitting, image, candidates, ct);
            var scores = kept.Select(k => k.Score).OrderDescending().ToArray();
            rows.Add(new Row(set, file, expected, true, scores));
            perImage.Append(CultureInfo.InvariantCulture, $"{set},{file},{expected?.ToString(CultureInfo.InvariantCulture) ?? "?"},");
            perImage.AppendJoin(' ', candidates.OrderByDescending(c => c.Score)
                .Select(c => $"{c.Score:F3}:{(kept.Contains(c) ? "kept" : "dropped")}"));
            perImage.Append('\n');
        }

        // The fallback model alone on every labelled testdata photo:
        // its false faces where faces are present (a fist, a painting, the back of a head) show how it scores
        // face-like patterns beyond the three no_face photos.
        var aloneRows = new List<(string File, int Expected, float[] Scores)>();
        foreach (var (_, root, file, expected) in files.Where(f => f.Root == testdata && f.Faces is not null))
        {
            var kept = Fallback(new ImageSource(await File.ReadAllBytesAsync(Path.Combine(root, file), ct), decoder));
            aloneRows.Add((file, expected!.Value, [.. kept.Select(k => k.Score).OrderDescending()]));
        }

        var md = new StringBuilder();
        md.Append("### Per image where YuNet-n finds no face ≥ ").Append(shipped.ScoreThreshold.ToString("0.0#", CultureInfo.InvariantCulture)).Append("\n\n```\n").Append(perImage).Append("```\n\n");
        var table = new MarkdownTable(["set", "images", "YuNet-n misses", .. Thresholds.Select(t => "fallback ≥ " + t.ToString("0.0", CultureInfo.InvariantCulture) + ": recovered / false")]);
        foreach (var set in rows.Select(r => r.Set).Distinct())
        {
            var inSet = rows.Where(r => r.Set == set).ToList();
            table.Row([Pretty(set), inSet.Count, inSet.Count(r => r.Missed), .. Thresholds.Select(t => (object)Cell(inSet, t))]);
        }

        md.Append("Recovered = a missed image that gets a face whose count does not exceed its label (dev images hold one face; " +
            "testdata by labels.csv num_faces; no_face/ = 0). False = faces beyond the label; in testdata photos without a " +
            "num_faces label each fallback face is listed above and judged by eye.\n\n");
        md.Append(table.ToString()).Append('\n');
        md.Append(CultureInfo.InvariantCulture, $"\n{fallbackModel} alone (every face, fitting filters applied) on the {aloneRows.Count} testdata photos with a face count (no_face/ included):\n\n");
        var aloneTable = new MarkdownTable(["score ≥", "photos exact", "photos with too many", "photos with too few", "faces beyond the label"]);
        foreach (var t in Thresholds)
        {
            var n = aloneRows.Select(r => (r.File, r.Expected, Found: r.Scores.Count(x => x >= t))).ToList();
            aloneTable.Row([t.ToString("0.0", CultureInfo.InvariantCulture), n.Count(r => r.Found == r.Expected), n.Count(r => r.Found > r.Expected),
                n.Count(r => r.Found < r.Expected), n.Sum(r => Math.Max(0, r.Found - r.Expected))]);
        }

        md.Append(aloneTable.ToString()).Append('\n');
        foreach (var r in aloneRows.Where(r => r.Scores.Length != r.Expected))
        {
            md.Append(CultureInfo.InvariantCulture, $"- {r.File} (label {r.Expected}): {string.Join(' ', r.Scores.Select(x => x.ToString("F3", CultureInfo.InvariantCulture)))}\n");
        }

        md.Append('\n');
        extraMs.Sort();
        if (extraMs.Count > 0)
        {
            md.Append(CultureInfo.InvariantCulture, $"Fallback run time on the {extraMs.Count} images without a YuNet-n face: median {extraMs[extraMs.Count / 2]:F1} ms, p90 {extraMs[(int)(extraMs.Count * 0.9)]:F1} ms (1 intra-op thread, the default; paid only there).\n");
        }

        return md.ToString();
    }

    private static string Cell(List<Row> rows, float t)
    {
        int recovered = 0, falseFaces = 0, unlabelled = 0;
        foreach (var r in rows.Where(r => r.Missed))
        {
            var n = r.Scores.Count(s => s >= t);
            if (r.Expected is not { } e)
            {
                unlabelled += n;
                continue;
            }

            if (n > 0 && e > 0) recovered++;
            falseFaces += Math.Max(0, n - e);
        }

        return unlabelled > 0 ? $"{recovered} / {falseFaces} (+{unlabelled} unlabelled)" : $"{recovered} / {falseFaces}";
    }

    private static string Pretty(string set) => set switch
    {
        "age_gender" => "UTKFace chips",
        "emotion" => "FER2013 48×48",
        "mask" => "mask photos",
        _ => set,
    };

    private static bool IsImage(string file) =>
        Path.GetExtension(file).ToLowerInvariant() is ".jpg" or ".jpeg" or ".png" or ".bmp" or ".webp" or ".gif";

    private sealed record Row(string Set, string File, int? Expected, bool Missed, float[] Scores);
}
