using System.Diagnostics;
using System.Text.RegularExpressions;
using ImageApi.Inference;
using ImageApi.Samples;

namespace ImageApi.Eval.Attributes;

/// <summary>One labelled emotion set after the face-detector-face-fitter stage. Each image's face is the detector's
/// largest one, or the whole picture as the box where the detector finds none (what a client holding a crop sends);
/// faces that come as a box only get their 5 alignment points from the fitting stage, as in a request.</summary>
internal sealed partial class EmotionSet(string name, IReadOnlyList<LocatedFace> faces)
{
    public string Name => name;

    public IReadOnlyList<LocatedFace> Faces => faces;

    /// <summary>Class index (API order, <see cref="EmotionEvaluation.Classes"/>) of every face.</summary>
    public int[] Truth { get; } = [.. faces.Select(f => Array.IndexOf(EmotionEvaluation.Classes, f.Label.Emotion))];

    public bool[] Detected { get; } = [.. faces.Select(f => !f.Missed)];

    public FaceInput InputOf(int i) => faces[i].Missed ? faces[i].WholeImage() : faces[i].Input();

    /// <summary>Calibration fold of every face (0/1), by person, so one person's photos never sit on both sides:
    /// <c>Name_Surname_0003.jpg</c> and film stills <c>Name_12.jpg</c> → the name; a stable hash (not
    /// <see cref="string.GetHashCode()"/>, which is randomised per process).</summary>
    public int[] Folds { get; } = [.. faces.Select(f => (int)(Fnv(PersonOf(f.Label.File)) % 2))];

    public static string PersonOf(string file) => TrailingNumber().Replace(Path.GetFileNameWithoutExtension(file), "");

    private static uint Fnv(string s)
    {
        var h = 2166136261u;
        foreach (var c in s.ToUpperInvariant()) h = (h ^ c) * 16777619u;
        return h;
    }

    [GeneratedRegex(@"_\d+$")]
    private static partial Regex TrailingNumber();
}

/// <summary>One setting's answers on both sets and its median time per face (crop/alignment + models, on
/// emotion-dev's photo-sized faces; 1 ONNX Runtime thread): wall time, and the calling thread's CPU time, which is
/// what the budget is judged on (<see cref="ThreadCpu"/>: the shared machine's other jobs inflate wall time).</summary>
internal sealed record EmotionVariant(string Name, FaceAttributesOptions Options, float[][] Dev, float[][] Fer, double WallMsPerFace, double CpuMsPerFace)
{
    /// <summary>The cost the per-face budget is judged on: CPU time on the one inference thread (wall time where the
    /// scheduler's counter is not available).</summary>
    public double MsPerFace => double.IsNaN(CpuMsPerFace) ? WallMsPerFace : CpuMsPerFace;

    public bool Calibrated => Options.EmotionCalibration.Length > 0;

    public string Setting => EmotionEvaluation.SettingOf(Options);
}

/// <summary>Measures the emotion estimator on shared/emotion-dev (photo-style, the set that decides) and on the
/// FER2013 rows of attributes-dev, through <see cref="EmotionEstimator"/> with each compared setting.</summary>
internal sealed class EmotionEvaluation(ModelCatalog catalog, FaceFitting fitting, EmotionSet dev, EmotionSet fer)
{
    public ModelCatalog Catalog => catalog;

    public FaceFitting Fitting => fitting;

    /// <summary>Label names in the API's emotion order (contempt is not one of the 7 and is skipped).</summary>
    public static readonly string[] Classes = ["angry", "disgust", "fear", "happy", "neutral", "sad", "surprise"];

    public EmotionSet Dev => dev;

    public EmotionSet Fer => fer;

    public List<EmotionVariant> Variants { get; } = [];

    /// <summary>Every compared setting: each model alone (crop scales, flip), the averages of two and three models, and
    /// the averages with only face-api mirrored (the shipped kind).</summary>
    public void MeasureVariants(CancellationToken ct)
    {
        const string big = AttributeModels.EmotionBig, faceApi = AttributeModels.EmotionFaceApi, rafDb = AttributeModels.EmotionRafDb;
        foreach (var flip in new[] { false, true })
        {
            foreach (var scale in new[] { 1.0f, 1.1f, 1.2f }) Add(new() { EmotionModels = [big], EmotionCropScale = scale, EmotionFlip = flip ? [big] : [] }, ct);
            foreach (var scale in new[] { 1.0f, 1.2f, 1.4f, 1.6f }) Add(new() { EmotionModels = [faceApi], EmotionFaceApiCropScale = scale, EmotionFlip = flip ? [faceApi] : [] }, ct);
            Add(new() { EmotionModels = [rafDb], EmotionFlip = flip ? [rafDb] : [] }, ct);
            Add(new() { EmotionModels = [faceApi, rafDb], EmotionFaceApiCropScale = 1.4f, EmotionFlip = flip ? [faceApi, rafDb] : [] }, ct);
        }

        Add(new() { EmotionModels = [faceApi, rafDb], EmotionFaceApiCropScale = 1.2f, EmotionFlip = [faceApi, rafDb] }, ct);
        Add(new() { EmotionModels = [big, faceApi], EmotionCropScale = 1.1f, EmotionFaceApiCropScale = 1.4f, EmotionFlip = [big, faceApi] }, ct);
        Add(new() { EmotionModels = [big, rafDb], EmotionCropScale = 1.1f, EmotionFlip = [big, rafDb] }, ct);
        Add(new() { EmotionModels = [big, faceApi, rafDb], EmotionCropScale = 1.1f, EmotionFaceApiCropScale = 1.4f, EmotionFlip = [big, faceApi, rafDb] }, ct);
        // The same averages with face-api at its best crop alone (1.2×): with and without flip.
        Add(new() { EmotionModels = [faceApi, rafDb], EmotionFaceApiCropScale = 1.2f, EmotionFlip = [] }, ct);
        Add(new() { EmotionModels = [big, faceApi, rafDb], EmotionCropScale = 1.1f, EmotionFaceApiCropScale = 1.2f, EmotionFlip = [big, faceApi, rafDb] }, ct);
        // big-Xception + face-api 1.2× at big's two crops (1.1: FER2013's choice; 1.2: big's best alone on emotion-dev),
        // each with no flip, every model flipped, only face-api flipped (+0.9 ms: face-api's mirror view), only big flipped.
        foreach (var bigScale in new[] { 1.1f, 1.2f })
        {
            foreach (string[] flip in new[] { [], [big, faceApi], [faceApi], new[] { big } })
            {
                Add(new() { EmotionModels = [big, faceApi], EmotionCropScale = bigScale, EmotionFaceApiCropScale = 1.2f, EmotionFlip = flip }, ct);
            }
        }

        // RAF-DB as a third member of the shipped kind (only face-api mirrored: RAF-DB's own mirror costs ~10 ms).
        Add(new() { EmotionModels = [big, faceApi, rafDb], EmotionCropScale = 1.2f, EmotionFaceApiCropScale = 1.2f, EmotionFlip = [faceApi] }, ct);
    }

    /// <summary>Sensitivity of the shipped kind (face-api 1.2× mirrored + big-Xception) to big's crop: not candidates
    /// (the crop is chosen on big-Xception alone), shown so a reader sees how much one crop step moves the scores.</summary>
    public void MeasureSensitivity(CancellationToken ct)
    {
        foreach (var bigScale in new[] { 1.0f, 1.3f })
        {
            Sensitivity.Add(Add(new() { EmotionModels = [AttributeModels.EmotionBig, AttributeModels.EmotionFaceApi], EmotionCropScale = bigScale, EmotionFaceApiCropScale = 1.2f, EmotionFlip = [AttributeModels.EmotionFaceApi] }, ct, candidate: false));
        }
    }

    public List<EmotionVariant> Sensitivity { get; } = [];

    /// <summary>A short name of a setting: models, their crop, flip, calibration.</summary>
    public static string NameOf(FaceAttributesOptions o)
    {
        var parts = o.EmotionModels.Select(m => m switch
        {
            AttributeModels.EmotionBig => $"big {F(o.EmotionCropScale)}×",
            AttributeModels.EmotionMini => $"mini {F(o.EmotionCropScale)}×",
            AttributeModels.EmotionFaceApi => $"faceapi {F(o.EmotionFaceApiCropScale)}×",
            AttributeModels.EmotionRafDb => "rafdb aligned",
            _ => m,
        });
        return string.Join(" + ", parts) + FlipName(o) + (o.EmotionCalibration.Length > 0 ? " +calibration" : "");
    }

    /// <summary>" +flip" when every model is mirrored, " +flip(faceapi)" when some are, "" when none.</summary>
    private static string FlipName(FaceAttributesOptions o)
    {
        var models = o.EmotionModels;
        var flipped = EmotionEstimator.FlippedModelsOf(o.EmotionFlip, models);
        if (flipped.Count == 0) return "";
        if (flipped.Count == models.Length) return " +flip";
        return " +flip(" + string.Join(",", models.Where(flipped.Contains).Select(m => m switch
        {
            AttributeModels.EmotionBig => "big",
            AttributeModels.EmotionMini => "mini",
            AttributeModels.EmotionFaceApi => "faceapi",
            AttributeModels.EmotionRafDb => "rafdb",
            _ => m,
        })) + ")";
    }

    public static string SettingOf(FaceAttributesOptions o) =>
        $"EmotionModels={List(o.EmotionModels)}; EmotionCropScale={F(o.EmotionCropScale)}; EmotionFaceApiCropScale={F(o.EmotionFaceApiCropScale)}; EmotionFlip={List(o.EmotionFlip)}"
        + (o.EmotionCalibration.Length > 0 ? $"; EmotionCalibration={List(o.EmotionCalibration)}" : "");

    /// <summary>A list setting as the report shows it: its entries in order, or "none".</summary>
    private static string List(string[] entries) => entries.Length == 0 ? "none" : $"[{string.Join(", ", entries)}]";

    private static string F(float v) => v.ToString("0.0#", CultureInfo.InvariantCulture);

    public EmotionVariant Add(FaceAttributesOptions options, CancellationToken ct, bool candidate = true)
    {
        var estimator = new EmotionEstimator(catalog, fitting, Options.Create(options));
        var (devProbs, ms, cpuMs) = Run(estimator, dev, ct);
        var (ferProbs, _, _) = Run(estimator, fer, ct);
        var v = new EmotionVariant(NameOf(options), options, devProbs, ferProbs, ms, cpuMs);
        if (candidate) Variants.Add(v);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {v.Name}: dev top-1 {Pct(Top1(v.Dev, dev))} MCR {Pct(MeanRecall(v.Dev, dev))}, FER top-1 {Pct(Top1(v.Fer, fer))}, {ms:0.00} ms wall, {cpuMs:0.00} ms CPU"));
        return v;
    }

    /// <summary>Every face of a set through <see cref="EmotionEstimator.EstimateUncached"/> (the request path without
    /// the per-image cache, which would hand one setting's answers to the next), timed per face: median wall and median
    /// CPU milliseconds of the calling thread.</summary>
    internal static (float[][] Probs, double Ms, double CpuMs) Run(EmotionEstimator estimator, EmotionSet set, CancellationToken ct)
    {
        // One untimed run first: session creation and first-run allocation are not a face's cost.
        estimator.EstimateUncached(set.Faces[0].Image, [set.InputOf(0)], ct);
        var probs = new float[set.Faces.Count][];
        var times = new double[set.Faces.Count];
        var cpu = new double[set.Faces.Count];
        for (var i = 0; i < probs.Length; i++)
        {
            var cpuStart = ThreadCpu.NowMs();
            var start = Stopwatch.GetTimestamp();
            probs[i] = estimator.EstimateUncached(set.Faces[i].Image, [set.InputOf(i)], ct)[0];
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            cpu[i] = ThreadCpu.NowMs() - cpuStart;
        }

        Array.Sort(times);
        Array.Sort(cpu);
        return (probs, times[times.Length / 2], cpu[cpu.Length / 2]);
    }

    /// <summary>The variant with a per-class calibration: on emotion-dev each face gets offsets fitted on the other
    /// fold only (by person), so no face is scored by offsets tuned on it; on FER2013 the offsets fitted on all of
    /// emotion-dev (FER2013 plays no part in fitting). Returns the variant and the all-of-dev offsets.</summary>
    public (EmotionVariant Variant, EmotionCalibration Fitted) Calibrate(EmotionVariant v, bool priorOnly)
    {
        var all = Enumerable.Range(0, dev.Faces.Count).ToList();
        EmotionCalibration Fit(IReadOnlyList<int> rows) =>
            priorOnly ? EmotionCalibrationFit.PriorCorrection(v.Dev, rows) : EmotionCalibrationFit.Fit(v.Dev, dev.Truth, rows);
        var perFold = new[] { 0, 1 }.Select(k => Fit([.. all.Where(i => dev.Folds[i] != k)])).ToArray();
        var full = Fit(all);
        var devOut = v.Dev.Select((p, i) => Apply(perFold[dev.Folds[i]], p)).ToArray();
        var ferOut = v.Fer.Select(p => Apply(full, p)).ToArray();
        var options = WithCalibration(v.Options, full.Entries());
        var calibrated = new EmotionVariant(v.Name + (priorOnly ? " +prior correction" : " +calibration"), options, devOut, ferOut, v.WallMsPerFace, v.CpuMsPerFace);
        Variants.Add(calibrated);
        return (calibrated, full);
    }

    public static FaceAttributesOptions WithCalibration(FaceAttributesOptions o, string[] calibration) => new()
    {
        EmotionModels = o.EmotionModels,
        EmotionCropScale = o.EmotionCropScale,
        EmotionFaceApiCropScale = o.EmotionFaceApiCropScale,
        EmotionFlip = o.EmotionFlip,
        EmotionCalibration = calibration,
    };

    /// <summary>Per variant, the top emotion of each labelled test photo (wrong ones in bold): the same settings run on
    /// <paramref name="photos"/> (calibrated variants with the offsets fitted on all of emotion-dev).</summary>
    public string PhotoTable(EmotionSet photos, CancellationToken ct)
    {
        var t = new MarkdownTable(["variant", "right", .. photos.Faces.Select(f => $"`{Path.GetFileName(f.Label.File)}` ({f.Label.Emotion})")]);
        foreach (var v in Variants)
        {
            var estimator = new EmotionEstimator(catalog, fitting, Options.Create(v.Options));
            var probs = photos.Faces.Select((f, i) => estimator.EstimateUncached(f.Image, [photos.InputOf(i)], ct)[0]).ToList();
            var tops = probs.Select((p, i) => Top(p) == photos.Truth[i] ? Classes[Top(p)] : $"**{Classes[Top(p)]}** ({p.Max():0.00})").ToList();
            t.Row([v.Name, $"{probs.Where((p, i) => Top(p) == photos.Truth[i]).Count()}/{photos.Faces.Count}", .. tops]);
        }

        return t.ToString();
    }

    private static float[] Apply(EmotionCalibration c, float[] p)
    {
        var q = (float[])p.Clone();
        c.Apply(q);
        return q;
    }

    public static int Top(float[] p) => Array.IndexOf(p, p.Max());

    public static double Top1(float[][] probs, EmotionSet set, Func<int, bool>? subset = null)
    {
        int n = 0, right = 0;
        for (var i = 0; i < probs.Length; i++)
        {
            if (subset is not null && !subset(i)) continue;
            n++;
            if (Top(probs[i]) == set.Truth[i]) right++;
        }

        return n == 0 ? double.NaN : right / (double)n;
    }

    public static double[] Recalls(float[][] probs, EmotionSet set, Func<int, bool>? subset = null)
    {
        var n = new int[Classes.Length];
        var right = new int[Classes.Length];
        for (var i = 0; i < probs.Length; i++)
        {
            if (subset is not null && !subset(i)) continue;
            n[set.Truth[i]]++;
            if (Top(probs[i]) == set.Truth[i]) right[set.Truth[i]]++;
        }

        return [.. n.Select((c, k) => c == 0 ? double.NaN : right[k] / (double)c)];
    }

    public static double MeanRecall(float[][] probs, EmotionSet set, Func<int, bool>? subset = null) =>
        Recalls(probs, set, subset).Where(r => !double.IsNaN(r)).Average();

    /// <summary>Paired bootstrap (faces resampled with replacement, both settings scored on the same resample) of
    /// metric(a) − metric(b) on emotion-dev: the point difference and the 2.5 / 97.5 % percentiles.</summary>
    public (double Diff, double Low, double High) Bootstrap(float[][] a, float[][] b, bool meanRecall, int resamples = 2000)
    {
        var n = dev.Faces.Count;
        var rightA = a.Select((p, i) => Top(p) == dev.Truth[i]).ToArray();
        var rightB = b.Select((p, i) => Top(p) == dev.Truth[i]).ToArray();
        double Metric(bool[] right, int[] rows)
        {
            if (!meanRecall) return rows.Count(i => right[i]) / (double)rows.Length;
            var count = new int[Classes.Length];
            var hit = new int[Classes.Length];
            foreach (var i in rows)
            {
                count[dev.Truth[i]]++;
                if (right[i]) hit[dev.Truth[i]]++;
            }

            return Enumerable.Range(0, Classes.Length).Where(k => count[k] > 0).Average(k => hit[k] / (double)count[k]);
        }

        var identity = Enumerable.Range(0, n).ToArray();
        var diff = Metric(rightA, identity) - Metric(rightB, identity);
        var random = new Random(20261206);
        var diffs = new double[resamples];
        var rows = new int[n];
        for (var r = 0; r < resamples; r++)
        {
            for (var i = 0; i < n; i++) rows[i] = random.Next(n);
            diffs[r] = Metric(rightA, rows) - Metric(rightB, rows);
        }

        Array.Sort(diffs);
        return (diff, diffs[(int)(0.025 * resamples)], diffs[(int)(0.975 * resamples) - 1]);
    }

    /// <summary>Rows: true class; columns: predicted class.</summary>
    public static string ConfusionMatrix(float[][] probs, EmotionSet set)
    {
        var t = new MarkdownTable(["true \\ predicted", .. Classes, "n", "recall"]);
        var recalls = Recalls(probs, set);
        for (var c = 0; c < Classes.Length; c++)
        {
            var counts = new int[Classes.Length];
            for (var i = 0; i < probs.Length; i++)
            {
                if (set.Truth[i] == c) counts[Top(probs[i])]++;
            }

            t.Row([Classes[c], .. counts.Select(x => (object)x), counts.Sum(), Pct(recalls[c])]);
        }

        return t.ToString();
    }

    public static string Pct(double fraction) => MarkdownTable.Percent(fraction);
}

/// <summary>Fits <see cref="EmotionCalibration"/> offsets: the class-balanced log-loss of the calibrated
/// probabilities (each class weighted 1 / its count, so the fit aims at mean class recall, not at the majority
/// classes) plus a small L2 penalty that keeps offsets of thin classes from running away; convex in the offsets,
/// solved by gradient descent.</summary>
internal static class EmotionCalibrationFit
{
    /// <summary>The label-free prior correction: offsets <c>−log(mean predicted p(c))</c> over the rows, so the mean
    /// predicted distribution becomes uniform (the balanced classes mean class recall weighs equally).</summary>
    public static EmotionCalibration PriorCorrection(float[][] probs, IReadOnlyList<int> rows)
    {
        var b = new double[7];
        for (var e = 0; e < 7; e++) b[e] = -Math.Log(Math.Max(1e-6, rows.Average(i => (double)probs[i][e])));
        var mean = b.Average();
        return new EmotionCalibration([.. b.Select(x => (float)Math.Round(x - mean, 3))]);
    }

    public static EmotionCalibration Fit(float[][] probs, int[] truth, IReadOnlyList<int> rows, double l2 = 0.01, int iterations = 2000, double rate = 0.5)
    {
        const int k = 7;
        var counts = new double[k];
        foreach (var i in rows) counts[truth[i]]++;
        var classes = counts.Count(c => c > 0);
        var b = new double[k];
        var logp = rows.Select(i => probs[i].Select(p => Math.Log(Math.Max(p, 1e-7))).ToArray()).ToArray();
        var q = new double[k];
        for (var it = 0; it < iterations; it++)
        {
            var grad = new double[k];
            for (var r = 0; r < rows.Count; r++)
            {
                var y = truth[rows[r]];
                var w = 1 / (counts[y] * classes);
                var max = double.NegativeInfinity;
                for (var e = 0; e < k; e++) max = Math.Max(max, q[e] = logp[r][e] + b[e]);
                var sum = 0.0;
                for (var e = 0; e < k; e++) sum += q[e] = Math.Exp(q[e] - max);
                for (var e = 0; e < k; e++) grad[e] += w * (q[e] / sum - (e == y ? 1 : 0));
            }

            for (var e = 0; e < k; e++) b[e] -= rate * (grad[e] + 2 * l2 * b[e]);
        }

        // Only differences between offsets matter; centre them for a readable setting.
        var mean = b.Average();
        return new EmotionCalibration([.. b.Select(x => (float)Math.Round(x - mean, 3))]);
    }
}
