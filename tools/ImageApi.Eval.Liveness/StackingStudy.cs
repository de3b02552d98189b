using System.Text;
using ImageApi.Liveness;

namespace ImageApi.Eval.Liveness;

/// <summary>One set of stacking inputs (names of <see cref="CandidateFeatures"/> or derived ones, see
/// <see cref="StackingStudy.Value"/>).</summary>
internal sealed record StackingVariant(string Name, string[] Inputs);

/// <summary>A stacking variant measured: in-sample operating point, leave-one-subject-out rates, per subject, test photos.</summary>
internal sealed record StackingResult(StackingVariant Variant, double Lambda, LogisticModel Model, double Threshold, double Apcer, double Bpcer,
    double HeldOutApcer, double HeldOutBpcer, double HeldOutLogLoss, IReadOnlyList<SubjectResult> Subjects, double IdentityReal,
    bool? T1, bool? F1, bool? F2);

/// <summary>
/// The stacking study (issue #15): a logistic regression over per-model scores and pixel cues instead of the plain
/// mean, measured leave-one-subject-out — the regression, its Platt calibration and the threshold are all fitted on
/// 3 subjects and the errors counted on the 4th — so a weight that only learns a subject's session cannot look good.
/// </summary>
internal sealed class StackingStudy(IReadOnlyList<(DevImage Image, double[] Features)> dev,
    IReadOnlyList<(string File, double[]? Features)> photos, double targetBpcer)
{
    private static readonly Dictionary<string, int> Index =
        CandidateFeatures.Names.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i);

    /// <summary>A named input: a candidate feature, or a derived one — <c>sf</c> + transform suffix (<c>sf</c>,
    /// <c>sff</c>, <c>sfgw</c>, <c>sfex</c>) the Silent-Face ensemble log-odds (mean of the two P(real), as upstream
    /// test.py); <c>mean(a|b|…)</c> the plain mean of inputs (a fixed combination: nothing is learned but the Platt
    /// calibration on top); <c>all</c> = <c>mean(cel15|sf)</c>, the shipped method.</summary>
    public static double Value(string name, double[] f)
    {
        if (Index.TryGetValue(name, out var i)) return f[i];
        if (name == "all") return Value("mean(cel15|sf)", f);
        if (name.StartsWith("mean(", StringComparison.Ordinal) && name.EndsWith(')'))
        {
            return TopLevelArguments(name[5..^1]).Average(n => Value(n, f));
        }

        if (name.StartsWith("sf", StringComparison.Ordinal))
        {
            var t = name[2..];
            return LogOdds((Sigmoid(Value("v2r" + t, f)) + Sigmoid(Value("v1r" + t, f))) / 2);
        }

        throw new KeyNotFoundException(name);
    }

    /// <summary>Splits <c>a|mean(b|c)|d</c> at the bars outside parentheses.</summary>
    private static List<string> TopLevelArguments(string s)
    {
        var parts = new List<string>();
        int depth = 0, start = 0;
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '(') depth++;
            else if (s[i] == ')') depth--;
            else if (s[i] == '|' && depth == 0) { parts.Add(s[start..i]); start = i + 1; }
        }

        parts.Add(s[start..]);
        return parts;
    }

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    private static double LogOdds(double p)
    {
        p = Math.Clamp(p, 1e-6, 1 - 1e-6);
        return Math.Log(p / (1 - p));
    }

    /// <summary>The penalty, fixed before measuring (standardised inputs, ~150 training crops per fold).</summary>
    public const double Lambda = 1.0;

    private static readonly string[] Cues = ["lapvar", "hf", "moire", "sat", "chroma", "spec", "lbpent"];

    /// <summary>The variants, fixed before measuring (≤ 12 inputs each).</summary>
    public static IReadOnlyList<StackingVariant> Variants()
    {
        var list = new List<StackingVariant>
        {
            new("mean (shipped All), Platt only", ["all"]),
            new("mean, flip TTA", ["mean(cel15|sf|cel15f|sff)"]),
            new("mean, CelebA at 1.0 (no padding)", ["mean(cel10|sf)"]),
            new("mean, CelebA at 1.2", ["mean(cel12|sf)"]),
            new("mean, CelebA at 2.0", ["mean(cel20|sf)"]),
            new("mean, CelebA 1.0/1.2/1.5/2.0 + sf", ["mean(mean(cel10|cel12|cel15|cel20)|sf)"]),
            new("mean, gray-world", ["mean(cel15gw|sfgw)"]),
            new("mean, exposure-normalised", ["mean(cel15ex|sfex)"]),
            new("mean of the 3 models' log-odds", ["mean(cel15|v2r|v1r)"]),
            new("stack: Silent-Face pair", ["v2r", "v1r"]),
            new("stack3: cel15, v2r, v1r", ["cel15", "v2r", "v1r"]),
            new("stack5: cel15 + 3-class ratios", ["cel15", "v2a", "v2b", "v1a", "v1b"]),
            new("stack3, flip TTA", ["mean(cel15|cel15f)", "mean(v2r|v2rf)", "mean(v1r|v1rf)"]),
            new("stack3, gray-world", ["cel15gw", "v2rgw", "v1rgw"]),
            new("stack3, exposure-normalised", ["cel15ex", "v2rex", "v1rex"]),
            new("stack3 + CelebA expansions 1.0/1.2/2.0", ["cel10", "cel12", "cel15", "cel20", "v2r", "v1r"]),
            new("cues only (no luminance/colour cast)", Cues),
            new("stack3 + cues", ["cel15", "v2r", "v1r", .. Cues]),
        };
        foreach (var cue in ReplayCues.Names) list.Add(new($"stack3 + {cue}", ["cel15", "v2r", "v1r", cue]));
        foreach (var cue in ReplayCues.Names) list.Add(new($"shipped mean + {cue}", ["all", cue]));
        foreach (var single in CandidateFeatures.Names.Where(n => !ReplayCues.Names.Contains(n))) list.Add(new($"single {single}", [single]));
        return list;
    }

    public StackingResult Measure(StackingVariant variant, double lambda)
    {
        double[] X(double[] f) => [.. variant.Inputs.Select(n => Value(n, f))];
        var all = dev.Select(d => (d.Image, X: X(d.Features))).ToList();
        var (model, calibration, threshold) = Fit(all, lambda);
        var p = all.Select(d => ((double)calibration.Probability((float)model.Score(d.X)), d.Image.IsReal, d.Image.Subject)).ToList();

        var subjects = new List<SubjectResult>();
        var heldOut = new List<(double P, bool IsReal)>();
        int accepted = 0, attacks = 0, rejected = 0, reals = 0;
        foreach (var subject in dev.Select(d => d.Image.Subject).Distinct().Order(StringComparer.Ordinal))
        {
            var (m, c, t) = Fit([.. all.Where(d => d.Image.Subject != subject)], lambda);
            var held = all.Where(d => d.Image.Subject == subject)
                .Select(d => ((double)c.Probability((float)m.Score(d.X)), d.Image.IsReal)).ToList();
            heldOut.AddRange(held);
            accepted += held.Count(h => !h.IsReal && h.Item1 >= t);
            attacks += held.Count(h => !h.IsReal);
            rejected += held.Count(h => h.IsReal && h.Item1 < t);
            reals += held.Count(h => h.IsReal);
            var own = p.Where(x => x.Subject == subject).Select(x => (x.Item1, x.IsReal)).ToList();
            subjects.Add(new SubjectResult(subject, ErrorRates.Auc(own), ErrorRates.Apcer(own, threshold), ErrorRates.Bpcer(own, threshold),
                ErrorRates.Apcer(held, t), ErrorRates.Bpcer(held, t), t));
        }

        bool? Decide(string file)
        {
            var f = photos.First(x => x.File == file).Features;
            return f is null ? null : calibration.Probability((float)model.Score(X(f))) >= threshold;
        }

        var identity = photos.Where(x => x.File.StartsWith("identity/", StringComparison.Ordinal)).ToList();
        var identityReal = identity.Count(x => x.Features is { } f && calibration.Probability((float)model.Score(X(f))) >= threshold) / (double)identity.Count;
        return new StackingResult(variant, lambda, model, threshold, ErrorRates.Apcer(p.Select(x => (x.Item1, x.IsReal)), threshold),
            ErrorRates.Bpcer(p.Select(x => (x.Item1, x.IsReal)), threshold), accepted / (double)attacks, rejected / (double)reals,
            CalibrationQuality.LogLossOf(heldOut), subjects, identityReal,
            Decide("liveness/real_T1.jpg"), Decide("liveness/spoof_F1.jpg"), Decide("liveness/spoof_F2.jpg"));
    }

    /// <summary>The regression, then the shared operating-point rule (Platt on its output + threshold at BPCER ≤ target).</summary>
    private (LogisticModel Model, PlattCalibration Calibration, double Threshold) Fit(IReadOnlyList<(DevImage Image, double[] X)> data, double lambda)
    {
        var model = LogisticModel.Fit([.. data.Select(d => d.X)], [.. data.Select(d => d.Image.IsReal)], lambda);
        var (calibration, threshold) = OperatingPointRule.Fit([.. data.Select(d => (model.Score(d.X), d.Image.IsReal))], targetBpcer);
        return (model, calibration, threshold);
    }

    public static string Markdown(IReadOnlyList<StackingResult> results)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| variant | λ | inputs | threshold | APCER | BPCER | held-out APCER | held-out BPCER | held-out log loss | held-out APCER / BPCER per subject (apfol, krzysiek354, lestari15, wolfhuo) | identity real | T1 / F1 / F2 |");
        sb.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var r in results)
        {
            var per = string.Join(", ", r.Subjects.Select(s => $"{s.HeldOutApcer * 100:F0}/{s.HeldOutBpcer * 100:F0}"));
            sb.AppendLine($"| {r.Variant.Name} | {r.Lambda:G3} | {string.Join(", ", r.Variant.Inputs).Replace("|", " + ", StringComparison.Ordinal)} | {r.Threshold:F2} | {r.Apcer * 100:F1} % | {r.Bpcer * 100:F1} % | " +
                          $"**{r.HeldOutApcer * 100:F1} %** | **{r.HeldOutBpcer * 100:F1} %** | {r.HeldOutLogLoss:F3} | {per} | {r.IdentityReal * 100:F0} % | " +
                          $"{M(r.T1)} / {M(r.F1)} / {M(r.F2)} |");
        }

        return sb.ToString();
    }

    private static string M(bool? real) => real switch { true => "R", false => "F", null => "–" };
}
