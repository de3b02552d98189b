using System.Text.Json.Nodes;

namespace ImageApi.Templates;

/// <summary>
/// The reference ROC of one template method (built offline by tools/ImageApi.Calibration from shared/calibration,
/// committed as Data/roc-&lt;model&gt;.json, one per method): FAR and FRR of "accept when distance ≤ t" on a regular grid of t,
/// read by linear interpolation. This is what <c>fa_r</c>/<c>fr_r</c> report (spec: "Verification fields"), and the source
/// of the <see cref="ScoreCalibration"/> that turns a distance into the vendor-style <c>score</c>.
/// </summary>
public sealed class RocTable
{
    private readonly double[] _far;
    private readonly double[] _frr;

    private RocTable(string method, double step, double[] far, double[] frr, IReadOnlyList<RocThreshold> thresholds,
        long genuinePairs, long impostorPairs, double eer, JsonObject summary, ScoreCalibration? calibration)
    {
        Calibration = calibration;
        ModelSha256 = summary["model_sha256"] is JsonValue sha && sha.TryGetValue<string>(out var s) ? s : "";
        FlipAugmentation = summary["flip_augmentation"] is JsonValue flip && flip.TryGetValue<bool>(out var f) && f;
        Method = method;
        Step = step;
        _far = far;
        _frr = frr;
        Thresholds = thresholds;
        GenuinePairs = genuinePairs;
        ImpostorPairs = impostorPairs;
        Eer = eer;
        Summary = summary;
    }

    /// <summary>The embedded resource holding the built-in table of <paramref name="method"/>
    /// (Data/roc-&lt;model without "face-recognition-"&gt;.json).</summary>
    public static string BuiltInResource(TemplateMethod method)
    {
        ArgumentNullException.ThrowIfNull(method);
        return $"ImageApi.Templates.roc-{method.Model.Replace("face-recognition-", "", StringComparison.Ordinal)}.json";
    }

    public string Method { get; }
    public double Step { get; }
    public IReadOnlyList<RocThreshold> Thresholds { get; }
    public long GenuinePairs { get; }
    public long ImpostorPairs { get; }
    public double Eer { get; }

    /// <summary>Distance → score; null only for a table without a FAR 1e-3 threshold (synthetic test tables).</summary>
    public ScoreCalibration? Calibration { get; }

    /// <summary>The calibrated score of <paramref name="distance"/>.</summary>
    public double ScoreAt(double distance) =>
        (Calibration ?? throw new InvalidOperationException("The reference ROC table has no FAR 1e-3 threshold to calibrate the score")).Score(distance);

    /// <summary>The distance at which FRR falls to <paramref name="frr"/> (0.5: the median genuine pair).</summary>
    public double DistanceAtFrr(double frr) => Crossing(_frr, Step, frr, rising: false);

    /// <summary>The distance at which FAR rises to <paramref name="far"/> (0.5: the median impostor pair).</summary>
    public double DistanceAtFar(double far) => Crossing(_far, Step, far, rising: true);

    /// <summary>sha256 of the model file the table was built with.</summary>
    public string ModelSha256 { get; }

    /// <summary>Whether the table's embeddings used flip augmentation.</summary>
    public bool FlipAugmentation { get; }

    /// <summary>The table's metadata without the rate arrays (for <c>/info</c>).</summary>
    public JsonObject Summary { get; }

    /// <summary>FAR and FRR of a threshold equal to <paramref name="distance"/>.</summary>
    public (double Far, double Frr) RatesAt(double distance)
    {
        if (double.IsNaN(distance)) return (double.NaN, double.NaN);
        var x = Math.Clamp(distance / Step, 0, _far.Length - 1);
        var i = (int)Math.Floor(x);
        if (i >= _far.Length - 1) return (_far[^1], _frr[^1]);
        var f = x - i;
        return (_far[i] + f * (_far[i + 1] - _far[i]), _frr[i] + f * (_frr[i + 1] - _frr[i]));
    }

    /// <summary>The threshold recommended for <paramref name="targetFar"/> (1e-2, 1e-3 or 1e-4), or null.</summary>
    public RocThreshold? ThresholdFor(double targetFar) =>
        Thresholds.FirstOrDefault(t => Math.Abs(t.TargetFar - targetFar) <= targetFar * 1e-6);

    /// <summary>The table of <paramref name="method"/> built into the library.</summary>
    public static RocTable LoadBuiltIn(TemplateMethod method)
    {
        var resource = BuiltInResource(method);
        using var stream = typeof(RocTable).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The reference ROC table ({resource}) is not built in; run tools/ImageApi.Calibration");
        return Load(stream);
    }

    public static RocTable Load(Stream stream)
    {
        var root = JsonNode.Parse(stream)?.AsObject() ?? throw new InvalidDataException("ROC table is not a JSON object");
        var step = Number(root, "step");
        var far = Array(root, "far");
        var frr = Array(root, "frr");
        if (step <= 0 || far.Length < 2 || far.Length != frr.Length) throw new InvalidDataException("ROC table: bad step or rate arrays");
        for (var i = 1; i < far.Length; i++)
        {
            // FAR grows and FRR falls with the threshold; anything else is a corrupt table.
            if (far[i] < far[i - 1] || frr[i] > frr[i - 1]) throw new InvalidDataException("ROC table: rates are not monotone");
        }

        // Thresholds: distance, FAR and TAR as measured by the calibration tool; cosine and score derived here, so that
        // the published score thresholds always use the calibration the service answers with.
        var measured = new List<(double TargetFar, double Distance, double Far, double Tar, long FalseAccepts)>();
        if (root["thresholds"] is JsonArray ts)
        {
            foreach (var t in ts.OfType<JsonObject>())
            {
                measured.Add((Number(t, "target_far"), Number(t, "distance"), Number(t, "far"), Number(t, "tar"), (long)Number(t, "false_accepts")));
            }
        }

        var midpoint = measured.FirstOrDefault(t => Math.Abs(t.TargetFar - ScoreCalibration.MidpointFar) <= 1e-9);
        var calibration = midpoint == default ? null : ScoreCalibration.From(midpoint.Distance, Crossing(frr, step, 0.5, rising: false));
        var thresholds = measured.Select(t => new RocThreshold(t.TargetFar, t.Distance, 1 - t.Distance,
            calibration is null ? double.NaN : Math.Round(calibration.Score(t.Distance), 5), t.Far, t.Tar, t.FalseAccepts)).ToList();

        var summary = new JsonObject();
        foreach (var (key, value) in root)
        {
            if (key is not ("far" or "frr" or "thresholds")) summary[key] = value?.DeepClone();
        }

        summary["thresholds"] = new JsonArray([.. thresholds.Select(t => (JsonNode)new JsonObject
        {
            ["target_far"] = t.TargetFar,
            ["distance"] = t.Distance,
            ["cosine"] = Math.Round(t.Cosine, 5),
            ["score"] = double.IsNaN(t.Score) ? null : t.Score,
            ["far"] = t.Far,
            ["tar"] = t.Tar,
            ["false_accepts"] = t.FalseAccepts,
        })]);
        if (calibration is not null)
        {
            summary["score"] = new JsonObject
            {
                ["formula"] = "score = 1 / (1 + exp((distance - midpoint_distance) / scale))",
                ["midpoint_distance"] = calibration.MidpointDistance,
                ["midpoint_far"] = ScoreCalibration.MidpointFar,
                ["scale"] = Math.Round(calibration.Scale, 6),
                ["median_genuine_distance"] = Math.Round(calibration.MedianGenuineDistance, 5),
                ["median_genuine_score"] = ScoreCalibration.MedianGenuineScore,
            };
        }

        return new RocTable(root["method"]?.GetValue<string>() ?? "", step, far, frr, thresholds,
            (long)Number(root, "genuine_pairs"), (long)Number(root, "impostor_pairs"), Number(root, "eer"), summary, calibration);
    }

    /// <summary>The first grid distance where a monotone rate curve reaches <paramref name="value"/>, interpolated linearly.</summary>
    private static double Crossing(double[] rates, double step, double value, bool rising)
    {
        for (var i = 1; i < rates.Length; i++)
        {
            var (before, at) = rising ? (rates[i - 1], rates[i]) : (-rates[i - 1], -rates[i]);
            var target = rising ? value : -value;
            if (at < target) continue;
            var span = at - before;
            return (i - 1 + (span > 0 ? Math.Clamp((target - before) / span, 0, 1) : 0)) * step;
        }

        return (rates.Length - 1) * step;
    }

    private static double Number(JsonObject o, string key) =>
        o[key] is JsonValue v && v.TryGetValue<double>(out var d) ? d : throw new InvalidDataException($"ROC table: '{key}' is missing");

    private static double[] Array(JsonObject o, string key) =>
        o[key] is JsonArray a
            ? [.. a.Select(n => n is JsonValue v && v.TryGetValue<double>(out var d) ? d : throw new InvalidDataException($"ROC table: bad '{key}'"))]
            : throw new InvalidDataException($"ROC table: '{key}' is missing");
}
