using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace ImageApi.Calibration;

/// <summary>
/// Builds the reference ROC table from the cached embeddings: every genuine pair (same identity) and every impostor
/// pair of different identities within the same part (LFW×LFW, ORL×ORL — MANIFEST.md: cross-part impostors are too
/// easy), distance = 1 − cosine. Also compares alignment point sources, flip augmentation and template storage types.
/// </summary>
internal static class RocBuilder
{
    /// <summary>The method the table is built for (its dimension, name, model).</summary>
    private static TemplateMethod Method { get; set; } = TemplateMethod.MobileFaceNet;

    private static int Dim => Method.Dimension;
    private static readonly double[] TargetFars = [1e-2, 1e-3, 1e-4];
    private static readonly string[] VariantNames =
        ["fitter 5 points (service)", "YuNet 5 points", "fitter 5 points + flip", "fitter, float16 template", "fitter, int8 template"];

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Build the table for FaceTemplates:FlipAugmentation = true (the "service" rows then use flipped sums).</summary>
    private static bool Flip { get; set; }

    public static MethodResult Run(TemplateMethod method, List<CalibrationImage> images, Dictionary<string, EnrolledImage> cache, string modelSha, bool flip,
        string tablePath, string reportPath)
    {
        Method = method;
        Flip = flip;
        var sw = Stopwatch.StartNew();
        var missing = images.Count(i => !cache.ContainsKey(i.File));
        if (missing > 0) Console.Error.WriteLine($"warning: {missing} images are not in the cache (run 'embed' first); they are left out");
        var enrolled = images.Where(i => cache.TryGetValue(i.File, out var e) && e.Status != EnrolStatus.Failed).ToList();
        var failed = images.Where(i => cache.TryGetValue(i.File, out var e) && e.Status == EnrolStatus.Failed).ToList();
        var padded = images.Count(i => cache.TryGetValue(i.File, out var e) && e.Status == EnrolStatus.Padded);
        var parts = enrolled.Select(i => i.Part).Distinct().Order(StringComparer.Ordinal).ToList();

        var all = VariantNames.Select(_ => new DistanceHistogram()).ToArray();
        var perPart = parts.ToDictionary(p => p, _ => new DistanceHistogram());
        var halves = new[] { new DistanceHistogram(), new DistanceHistogram() };
        var partData = new Dictionary<string, PartVectors>();
        foreach (var part in parts)
        {
            var data = PartVectors.Build([.. enrolled.Where(i => i.Part == part)], cache);
            partData[part] = data;
            data.ForEachPair((i, j, genuine) =>
            {
                var d0 = 1 - UnitVector.Dot(data.Row(0, i), data.Row(0, j));
                all[0].Add(d0, genuine);
                for (var v = 1; v < VariantNames.Length; v++) all[v].Add(1 - UnitVector.Dot(data.Row(v, i), data.Row(v, j)), genuine);
                perPart[part].Add(d0, genuine);
                if (data.Half[i] == data.Half[j]) halves[data.Half[i]].Add(d0, genuine);
            });
            Console.Error.WriteLine($"{part}: {data.Count} images, pass 1 at {sw.Elapsed.TotalSeconds:F0} s");
        }

        var main = all[0];
        var thresholds = TargetFars.Select(main.ThresholdAtFar).ToArray();
        var (eer, eerBin) = main.EqualErrorRate();

        // Pass 2: does storing the vector as float16 / int8 change any decision at the published thresholds?
        int[] decisionBins = [.. thresholds, eerBin];
        var decisionDistances = decisionBins.Select(DistanceHistogram.Distance).ToArray();
        var flips = new long[2, decisionBins.Length];
        var maxDelta = new float[2];
        var closestImpostors = new List<(float D, string A, string B)>();
        var farthestGenuines = new List<(float D, string A, string B)>();
        foreach (var data in partData.Values)
        {
            data.ForEachPair((i, j, genuine) =>
            {
                var d0 = 1 - UnitVector.Dot(data.Row(0, i), data.Row(0, j));
                // The extremes: label noise (one photo under two names) or enrolment of the wrong face shows up here.
                if (!genuine && (closestImpostors.Count < 10 || d0 < closestImpostors[^1].D)) Keep(closestImpostors, (d0, data.Files[i], data.Files[j]), ascending: true);
                if (genuine && (farthestGenuines.Count < 10 || d0 > farthestGenuines[^1].D)) Keep(farthestGenuines, (d0, data.Files[i], data.Files[j]), ascending: false);
                for (var q = 0; q < 2; q++)
                {
                    var dq = 1 - UnitVector.Dot(data.Row(3 + q, i), data.Row(3 + q, j));
                    maxDelta[q] = MathF.Max(maxDelta[q], MathF.Abs(dq - d0));
                    for (var t = 0; t < decisionDistances.Length; t++)
                    {
                        if (d0 <= decisionDistances[t] != dq <= decisionDistances[t]) flips[q, t]++;
                    }
                }
            });
        }

        Console.Error.WriteLine($"pass 2 at {sw.Elapsed.TotalSeconds:F0} s");
        var summary = new Summary(images.Count, enrolled.Count, failed, padded, enrolled.Select(i => i.Identity).Distinct().Count(),
            main, thresholds, eer, eerBin);
        WriteTable(tablePath, summary, modelSha);
        RocTable table;
        using (var written = File.OpenRead(tablePath)) table = RocTable.Load(written);
        WriteReport(reportPath, tablePath, summary, table, all, perPart, halves, flips, maxDelta, decisionBins, closestImpostors, farthestGenuines);
        Console.Error.WriteLine($"wrote {tablePath} and {reportPath} in {sw.Elapsed.TotalSeconds:F0} s");
        return new MethodResult(method, table, main, halves, perPart, summary.Enrolled, summary.Failed.Count);
    }

    private static double D(int bin) => DistanceHistogram.Distance(bin);

    private static void WriteTable(string path, Summary s, string modelSha)
    {
        const double step = 0.001;
        var far = new JsonArray();
        var frr = new JsonArray();
        for (var k = 0; k * step <= 2 + 1e-9; k++)
        {
            var bin = (int)Math.Round(k * step * DistanceHistogram.BinsPerUnit);
            // FAR/FRR of "accept when distance <= k·step".
            far.Add((JsonNode)JsonValue.Create(Round(s.Main.Far(bin))));
            frr.Add((JsonNode)JsonValue.Create(Round(s.Main.Frr(bin))));
        }

        var thresholds = new JsonArray();
        for (var t = 0; t < TargetFars.Length; t++)
        {
            var bin = s.Thresholds[t];
            thresholds.Add((JsonNode)new JsonObject
            {
                ["target_far"] = TargetFars[t],
                ["distance"] = Math.Round(D(bin), 5),
                ["cosine"] = Math.Round(1 - D(bin), 5),
                ["far"] = Round(s.Main.Far(bin)),
                ["tar"] = Round(1 - s.Main.Frr(bin)),
                ["false_accepts"] = s.Main.FalseAccepts(bin),
            });
        }

        var root = new JsonObject
        {
            ["description"] = "Reference ROC of verify-matcher: FAR and FRR of the rule 'accept when distance <= t' at t = i * step.",
            ["method"] = Method.Name,
            ["method_id"] = Method.Id,
            ["method_version"] = Method.Version,
            ["dimension"] = Method.Dimension,
            ["model"] = Method.Model,
            ["model_sha256"] = modelSha,
            ["distance"] = "1 - cosine similarity of the L2-normalised embeddings (0..2); score: calibrated from this table by ImageApi.Templates.ScoreCalibration (0.5 at the FAR 1e-3 threshold)",
            ["built_by"] = "tools/ImageApi.Calibration: embed, then roc (docs/templates.md)",
            ["calibration_set"] = "shared/calibration: LFW deep-funneled + ORL/AT&T (MANIFEST.md)",
            ["flip_augmentation"] = Flip,
            ["pipeline"] = Method == TemplateMethod.MobileFaceNet
                ? "YuNet detection, PFLD landmarks for the labelled face, ArcFace-112 similarity alignment from the fitter's 5 points (>= 224-px decode), MobileFaceNet, L2 normalisation"
                : "YuNet detection, PFLD landmarks for the labelled face, OMZ 128x128 similarity alignment from the fitter's 5 points (>= 256-px decode), BGR 0..255, face-reidentification-retail-0095, L2 normalisation",
            ["images"] = s.Images,
            ["enrolled"] = s.Enrolled,
            ["enrolled_after_padding"] = s.Padded,
            ["failed_to_enrol"] = s.Failed.Count,
            ["identities"] = s.Identities,
            ["genuine_pairs"] = s.Main.Genuine,
            ["impostor_pairs"] = s.Main.Impostor,
            ["impostor_rule"] = "every pair of images of different identities within the same part (LFW x LFW, ORL x ORL)",
            ["eer"] = Round(s.Eer),
            ["eer_distance"] = Math.Round(D(s.EerBin), 5),
            ["thresholds"] = thresholds,
            ["step"] = step,
            ["far"] = far,
            ["frr"] = frr,
        };
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, root.ToJsonString(new System.Text.Json.JsonSerializerOptions
        {
            WriteIndented = false,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }) + "\n");
    }

    private static double Round(double v) => v == 0 ? 0 : double.Parse(v.ToString("G6", Inv), Inv);

    private static void WriteReport(string path, string tableFile, Summary s, RocTable table, DistanceHistogram[] all, Dictionary<string, DistanceHistogram> perPart,
        DistanceHistogram[] halves, long[,] flips, float[] maxDelta, int[] decisionBins,
        List<(float D, string A, string B)> closestImpostors, List<(float D, string A, string B)> farthestGenuines)
    {
        var md = new StringBuilder();
        md.AppendLine($"# Face templates: calibration (reference ROC) results — method `{Method.Name}`");
        md.AppendLine();
        md.AppendLine($"Method {Method} — {Method.Description}.");
        md.AppendLine($"Written by `tools/ImageApi.Calibration roc` from the embeddings of `embed`; table in `libs/ImageApi.Templates/Data/{Path.GetFileName(tableFile)}`.");
        md.AppendLine("Distance = 1 − cosine; a pair is accepted when distance ≤ threshold. Impostors: every pair of different identities within the same part.");
        md.AppendLine();
        md.AppendLine($"- Images: {s.Images}; enrolled {s.Enrolled} ({s.Padded} of them only after padding the image by half its size on each side); failed to enrol {s.Failed.Count}" +
                      (s.Failed.Count > 0 ? $" ({string.Join(", ", s.Failed.Take(12).Select(f => f.File))}{(s.Failed.Count > 12 ? ", …" : "")})" : "") + ".");
        md.AppendLine($"- Identities enrolled: {s.Identities}. Genuine pairs: {s.Main.Genuine:N0}. Impostor pairs: {s.Main.Impostor:N0}.");
        md.AppendLine($"- EER {Pct(s.Eer)} at distance {D(s.EerBin):F4}. Table built for flip augmentation {(Flip ? "on" : "off")}.");
        md.AppendLine();
        md.AppendLine("## Thresholds (service pipeline, float32 vectors)");
        md.AppendLine();
        md.AppendLine("| target FAR | distance ≤ | cosine ≥ | score ≥ | measured FAR | false accepts | TAR | 95% CI of FAR if pairs were independent | supported |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|");
        for (var t = 0; t < TargetFars.Length; t++)
        {
            var b = s.Thresholds[t];
            var k = s.Main.FalseAccepts(b);
            var half = 1.96 * Math.Sqrt(Math.Max(1, k)) / s.Main.Impostor;
            md.AppendLine($"| {TargetFars[t]:0e0} | {D(b):F4} | {1 - D(b):F4} | {table.ScoreAt(D(b)):F4} | {s.Main.Far(b):0.000e0} | {k:N0} | {Pct(1 - s.Main.Frr(b))} | ±{half:0.0e0} | {Supported(s.Main, TargetFars[t])} |");
        }

        md.AppendLine();
        md.AppendLine("## Variants (same pairs)");
        md.AppendLine();
        md.AppendLine("| variant | EER | TAR@FAR 1e-2 | TAR@FAR 1e-3 | TAR@FAR 1e-4 |");
        md.AppendLine("|---|---|---|---|---|");
        for (var v = 0; v < all.Length; v++) md.AppendLine(Row(VariantNames[v], all[v]));
        md.AppendLine();
        md.AppendLine("## Per part (service pipeline)");
        md.AppendLine();
        md.AppendLine("| part | genuine pairs | impostor pairs | EER | TAR@FAR 1e-2 | TAR@FAR 1e-3 | TAR@FAR 1e-4 | FAR 1e-4 supported |");
        md.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var (part, h) in perPart)
        {
            md.AppendLine($"| {part} | {h.Genuine:N0} | {h.Impostor:N0} | {Pct(h.EqualErrorRate().Eer)} | {Tar(h, 1e-2)} | {Tar(h, 1e-3)} | {Tar(h, 1e-4)} | {Supported(h, 1e-4)} |");
        }

        md.AppendLine();
        md.AppendLine("## Stability: thresholds from two disjoint halves of the identities");
        md.AppendLine();
        md.AppendLine("Identities split by a hash of the name; pairs with both images in one half. If the two halves disagree, the set is too small to pin that rate.");
        md.AppendLine();
        md.AppendLine("| target FAR | distance (all) | distance (half A) | distance (half B) | TAR A | TAR B | impostor pairs A / B |");
        md.AppendLine("|---|---|---|---|---|---|---|");
        for (var t = 0; t < TargetFars.Length; t++)
        {
            int a = halves[0].ThresholdAtFar(TargetFars[t]), b = halves[1].ThresholdAtFar(TargetFars[t]);
            md.AppendLine($"| {TargetFars[t]:0e0} | {D(s.Thresholds[t]):F4} | {D(a):F4} | {D(b):F4} | {Pct(1 - halves[0].Frr(a))} | {Pct(1 - halves[1].Frr(b))} | {halves[0].Impostor:N0} / {halves[1].Impostor:N0} |");
        }

        md.AppendLine();
        md.AppendLine("## Template storage: decisions changed against float32");
        md.AppendLine();
        md.AppendLine($"Pairs compared: {s.Main.Genuine + s.Main.Impostor:N0}. Largest |Δdistance|: float16 {maxDelta[0]:0.0e0}, int8 {maxDelta[1]:0.0e0}.");
        md.AppendLine();
        md.AppendLine("| storage | blob bytes | FAR 1e-2 | FAR 1e-3 | FAR 1e-4 | EER threshold |");
        md.AppendLine("|---|---|---|---|---|---|");
        string[] names = ["float16", "int8"];
        TemplateElementType[] types = [TemplateElementType.Float16, TemplateElementType.Int8];
        md.AppendLine($"| float32 | {FaceTemplate.BlobSize(TemplateElementType.Float32, Method)} | – | – | – | – |");
        for (var q = 0; q < 2; q++)
        {
            md.Append($"| {names[q]} | {FaceTemplate.BlobSize(types[q], Method)} |");
            for (var t = 0; t < decisionBins.Length; t++) md.Append($" {flips[q, t]:N0} |");
            md.AppendLine();
        }

        md.AppendLine();
        md.AppendLine("## Extremes (service pipeline)");
        md.AppendLine();
        md.AppendLine("Closest impostor pairs and farthest genuine pairs — not removed from the table. Impostors this close are usually one photo");
        md.AppendLine("filed under two names or near-duplicate news photos (LFW label noise, MANIFEST.md caveats); far genuines are profile views,");
        md.AppendLine("occlusion, or a second face enrolled instead of the labelled one.");
        md.AppendLine();
        md.AppendLine("| kind | distance | image A | image B |");
        md.AppendLine("|---|---|---|---|");
        foreach (var (d, a, b) in closestImpostors) md.AppendLine($"| impostor | {d:F4} | {a} | {b} |");
        foreach (var (d, a, b) in farthestGenuines) md.AppendLine($"| genuine | {d:F4} | {a} | {b} |");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, md.ToString());
    }

    private static void Keep(List<(float D, string A, string B)> list, (float D, string A, string B) item, bool ascending)
    {
        list.Add(item);
        list.Sort((x, y) => ascending ? x.D.CompareTo(y.D) : y.D.CompareTo(x.D));
        if (list.Count > 10) list.RemoveAt(list.Count - 1);
    }

    /// <summary>A rate is "supported" when at least 30 impostor pairs are expected to be falsely accepted at it.</summary>
    private static string Supported(DistanceHistogram h, double far) =>
        h.Impostor * far >= 30 ? "yes" : $"no (expects {h.Impostor * far:F1} false accepts)";

    private static string Row(string name, DistanceHistogram h) =>
        $"| {name} | {Pct(h.EqualErrorRate().Eer)} | {Tar(h, 1e-2)} | {Tar(h, 1e-3)} | {Tar(h, 1e-4)} |";

    internal static string Tar(DistanceHistogram h, double far) => Pct(1 - h.Frr(h.ThresholdAtFar(far)));

    internal static string Pct(double v) => (100 * v).ToString("F2", Inv) + " %";

    private sealed record Summary(int Images, int Enrolled, List<CalibrationImage> Failed, int Padded, int Identities,
        DistanceHistogram Main, int[] Thresholds, double Eer, int EerBin);

    /// <summary>The unit vectors of one part, one contiguous row block per variant, with identity ids.</summary>
    private sealed class PartVectors
    {
        private readonly float[][] _variants;
        private readonly int[] _identity;

        private PartVectors(float[][] variants, int[] identity, byte[] half, string[] files)
        {
            Files = files;
            _variants = variants;
            _identity = identity;
            Half = half;
        }

        public int Count => _identity.Length;
        public string[] Files { get; }
        public byte[] Half { get; }

        public ReadOnlySpan<float> Row(int variant, int i) => _variants[variant].AsSpan(i * Dim, Dim);

        public static PartVectors Build(List<CalibrationImage> images, Dictionary<string, EnrolledImage> cache)
        {
            var n = images.Count;
            var variants = Enumerable.Range(0, VariantNames.Length).Select(_ => new float[n * Dim]).ToArray();
            var ids = new Dictionary<string, int>(StringComparer.Ordinal);
            var identity = new int[n];
            var half = new byte[n];
            for (var i = 0; i < n; i++)
            {
                var e = cache[images[i].File];
                identity[i] = ids.TryGetValue(images[i].Identity, out var id) ? id : ids[images[i].Identity] = ids.Count;
                half[i] = (byte)(StableHash(images[i].Identity) & 1);
                var flip = new float[Dim];
                for (var k = 0; k < Dim; k++) flip[k] = e.Fit[k] + e.FitMirror[k];
                var fit = Flip ? Unit(flip) : Unit(e.Fit);
                float[][] rows =
                [
                    fit, Unit(e.Detector), Unit(flip),
                    RoundTrip(fit, TemplateElementType.Float16), RoundTrip(fit, TemplateElementType.Int8),
                ];
                for (var v = 0; v < rows.Length; v++) rows[v].CopyTo(variants[v], i * Dim);
            }

            return new PartVectors(variants, identity, half, [.. images.Select(i => i.File)]);
        }

        /// <summary>Calls <paramref name="visit"/> for every unordered pair (i &lt; j) with whether it is genuine.</summary>
        public void ForEachPair(Action<int, int, bool> visit)
        {
            for (var i = 0; i < Count; i++)
            {
                for (var j = i + 1; j < Count; j++) visit(i, j, _identity[i] == _identity[j]);
            }
        }

        private static float[] Unit(float[] raw)
        {
            var v = (float[])raw.Clone();
            UnitVector.Normalize(v);
            return v;
        }

        /// <summary>The vector as verify-matcher sees it after storing it with <paramref name="type"/>.</summary>
        private static float[] RoundTrip(float[] unit, TemplateElementType type)
        {
            if (!FaceTemplate.TryParse(FaceTemplate.Serialize(unit, type, Method), out var t, out var error)) throw new InvalidOperationException(error);
            return t!.Vector;
        }

        private static uint StableHash(string s)
        {
            var h = 2166136261u; // FNV-1a: stable across runs, unlike string.GetHashCode
            foreach (var c in s) h = (h ^ c) * 16777619u;
            return h;
        }
    }
}
