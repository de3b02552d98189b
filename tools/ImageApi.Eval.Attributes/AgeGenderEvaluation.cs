using System.Text;
using ImageApi.Inference;

namespace ImageApi.Eval.Attributes;

/// <summary>
/// Gender accuracy and age MAE on the UTKFace part: every model/crop/flip variant and the gender ensembles, from the
/// same detections. Faces the detector missed count as gender errors and are left out of the age MAE (listed apart).
/// </summary>
internal sealed class AgeGenderEvaluation(ModelCatalog catalog, FaceFitting fitting, IReadOnlyList<LocatedFace> faces)
{
    private static readonly AgeGenderEstimate Missed = new(float.NaN, float.NaN);

    public List<Timed<AgeGenderEstimate>> Variants { get; } = [];

    public static readonly float[] Scales = [1.0f, 1.05f, 1.1f, 1.15f, 1.2f, 1.25f];

    /// <summary>Crop-scale sets tried as multi-crop averages (each scale one more view in the batch).</summary>
    public static readonly float[][] ScaleSets =
    [
        [1.0f, 1.2f], [1.05f, 1.25f], [1.05f, 1.15f, 1.25f],
    ];

    public void MeasureVariants(CancellationToken ct)
    {
        foreach (var scale in Scales)
        {
            foreach (var flip in new[] { false, true })
            {
                Add(FaceApiName([scale], flip), AttributeModels.FaceApiAgeGender, [scale], new FaceAttributesOptions { AgeGenderFlip = flip }, ct);
            }
        }

        foreach (var flip in new[] { false, true })
        {
            foreach (var set in ScaleSets) Variants.Add(Average(FaceApiName(set, flip), [.. set.Select(x => FaceApiName([x], flip))]));
        }

        foreach (var flip in new[] { false, true })
        {
            Add($"insightface aligned{(flip ? " +flip" : "")}", AttributeModels.InsightFaceAgeGender, [1], new FaceAttributesOptions { AgeGenderFlip = flip }, ct);
        }

        foreach (var scale in new[] { 1.6f, 2.0f })
        {
            foreach (var flip in new[] { false, true })
            {
                Add($"gender-mini {scale.ToString(CultureInfo.InvariantCulture)}×{(flip ? " +flip" : "")}", AttributeModels.GenderMini, [1],
                    new FaceAttributesOptions { GenderMiniCropScale = scale, AgeGenderFlip = flip }, ct);
            }
        }
    }

    public static string FaceApiName(float[] scales, bool flip) =>
        $"faceapi {string.Join("+", scales.Select(x => x.ToString("0.0#", CultureInfo.InvariantCulture)))}×{(flip ? " +flip" : "")}";

    private void Add(string name, string model, float[] scales, FaceAttributesOptions options, CancellationToken ct)
    {
        var estimator = new AgeGenderEstimator(catalog, fitting, Options.Create(options));
        Variants.Add(Timed<AgeGenderEstimate>.Measure(name, faces, f => estimator.Run(model, f.Image, [f.Input()], scales, ct)[0], Missed));
        Console.WriteLine($"  {name}: gender {MarkdownTable.Percent(GenderAccuracy(Variants[^1].Values.Select(v => v.FemaleProbability).ToArray(), _ => true))}, age MAE {AgeMae(Variants[^1].Values.Select(v => v.Age).ToArray(), _ => true):0.00}");
    }

    /// <summary>The mean of measured variants (age and P(female)), with their summed latency.</summary>
    private Timed<AgeGenderEstimate> Average(string name, string[] parts)
    {
        var measured = parts.Select(Variant).ToList();
        var values = new AgeGenderEstimate[faces.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = new AgeGenderEstimate(measured.Average(m => m.Values[i].Age), measured.Average(m => m.Values[i].FemaleProbability));
        }

        return new Timed<AgeGenderEstimate>(name, values, measured.Sum(m => m.MsPerFace));
    }

    public Timed<AgeGenderEstimate> Variant(string name) => Variants.First(v => v.Name == name);

    /// <summary>Mean P(female) of several variants (a gender ensemble), with the summed latency.</summary>
    public Timed<float> Ensemble(params string[] names)
    {
        var parts = names.Select(Variant).ToList();
        var values = new float[faces.Count];
        for (var i = 0; i < values.Length; i++) values[i] = parts.Average(p => p.Values[i].FemaleProbability);
        return new Timed<float>(string.Join(" + ", names), values, parts.Sum(p => p.MsPerFace));
    }

    public double GenderAccuracy(float[] pFemale, Func<DevLabel, bool> subset, float threshold = 0.5f)
    {
        int n = 0, right = 0;
        for (var i = 0; i < faces.Count; i++)
        {
            if (!subset(faces[i].Label)) continue;
            n++;
            if (float.IsNaN(pFemale[i])) continue;
            if ((pFemale[i] > threshold) == (faces[i].Label.Gender == "female")) right++;
        }

        return n == 0 ? double.NaN : right / (double)n;
    }

    public double AgeMae(float[] ages, Func<DevLabel, bool> subset) => AgeError(ages, subset, signed: false);

    public double AgeError(float[] ages, Func<DevLabel, bool> subset, bool signed)
    {
        double sum = 0;
        var n = 0;
        for (var i = 0; i < faces.Count; i++)
        {
            if (!subset(faces[i].Label) || float.IsNaN(ages[i])) continue;
            // The service answers whole years: measure what it answers.
            var e = MathF.Round(Math.Max(0, ages[i]), MidpointRounding.AwayFromZero) - faces[i].Label.Age;
            sum += signed ? e : Math.Abs(e);
            n++;
        }

        return n == 0 ? double.NaN : sum / n;
    }

    public int Count(Func<DevLabel, bool> subset) => faces.Count(f => subset(f.Label));

    public int Misses(Func<DevLabel, bool> subset) => faces.Count(f => f.Missed && subset(f.Label));

    public IReadOnlyList<LocatedFace> Faces => faces;

    /// <summary>The variants table (all faces), plus 0–12, for the report.</summary>
    public string VariantTable(IEnumerable<Timed<float>> ensembles)
    {
        var t = new MarkdownTable("variant", "gender acc", "gender acc 0–12", "age MAE", "age MAE 0–12", "ms / face");
        bool Kids(DevLabel l) => l.Age <= 12;
        foreach (var v in Variants)
        {
            var p = v.Values.Select(x => x.FemaleProbability).ToArray();
            var a = v.Values.Select(x => x.Age).ToArray();
            t.Row(v.Name, MarkdownTable.Percent(GenderAccuracy(p, _ => true)), MarkdownTable.Percent(GenderAccuracy(p, Kids)),
                AgeMae(a, _ => true), AgeMae(a, Kids), v.MsPerFace);
        }

        foreach (var e in ensembles)
        {
            t.Row("gender ensemble: " + e.Name, MarkdownTable.Percent(GenderAccuracy(e.Values, _ => true)),
                MarkdownTable.Percent(GenderAccuracy(e.Values, Kids)), double.NaN, double.NaN, e.MsPerFace);
        }

        return t.ToString();
    }

    /// <summary>Overall and per subgroup (age band, gender, race) for the shipped gender and age outputs.</summary>
    public string SubgroupTable(float[] pFemale, float[] ages)
    {
        var t = new MarkdownTable("subgroup", "n", "detector misses", "gender acc", "age MAE", "mean signed age error");
        void Row(string name, Func<DevLabel, bool> s) => t.Row(name, Count(s), Misses(s), MarkdownTable.Percent(GenderAccuracy(pFemale, s)),
            AgeMae(ages, s), AgeError(ages, s, signed: true));
        Row("**all**", _ => true);
        foreach (var band in DevLabel.AgeBands) Row("age " + band, l => l.AgeBand == band);
        foreach (var g in new[] { "female", "male" }) Row(g, l => l.Gender == g);
        foreach (var r in Races) Row(r, l => l.Race == r);
        return t.ToString();
    }

    /// <summary>For each face-api variant: raw age MAE, the calibration fitted on all faces, and its 2-fold CV MAE.</summary>
    public string CalibrationTable()
    {
        var t = new MarkdownTable("variant", "age MAE raw", "2-fold CV MAE calibrated", "CV MAE 0–12", "fitted on all: MAE", "knots (predicted:corrected)");
        foreach (var v in Variants.Where(v => v.Name.StartsWith("faceapi", StringComparison.Ordinal) || v.Name.StartsWith("insightface", StringComparison.Ordinal)))
        {
            var points = faces.Select((f, i) => (v.Values[i].Age, f.Label.Age)).ToList();
            var kids = faces.Select((f, i) => (v.Values[i].Age, f.Label.Age)).Where(p => p.Item2 <= 12).ToList();
            var c = AgeCalibrationFit.Fit(points);
            var calibrated = v.Values.Select(x => c.Apply(x.Age)).ToArray();
            // CV on 0-12 alone: the fit still uses all faces of the training half, measured on the test half's children.
            t.Row(v.Name, AgeMae(v.Values.Select(x => x.Age).ToArray(), _ => true), AgeCalibrationFit.CrossValidatedMae(points),
                CrossValidatedSubsetMae(points, p => p.Truth <= 12), AgeMae(calibrated, _ => true), "`" + c + "`");
        }

        return t.ToString();
    }

    private static double CrossValidatedSubsetMae(List<(float Predicted, int Truth)> points, Func<(float Predicted, int Truth), bool> subset)
    {
        var valid = points.Where(p => !float.IsNaN(p.Predicted)).ToList();
        double sum = 0;
        var n = 0;
        for (var fold = 0; fold < 2; fold++)
        {
            var c = AgeCalibrationFit.Fit([.. valid.Where((_, i) => i % 2 != fold)]);
            foreach (var p in valid.Where((p, i) => i % 2 == fold && subset(p)))
            {
                sum += Math.Abs(MathF.Round(Math.Max(0, c.Apply(p.Predicted)), MidpointRounding.AwayFromZero) - p.Truth);
                n++;
            }
        }

        return n == 0 ? double.NaN : sum / n;
    }

    /// <summary>Per variant on the labelled test photos: gender right, and the faces it gets wrong with P(female).</summary>
    public string PhotoVariantTable()
    {
        var t = new MarkdownTable("variant", "gender right", "wrong (P(female))", "age within 10 y");
        foreach (var v in Variants)
        {
            var wrong = faces.Select((f, i) => (f, i)).Where(x => !x.f.Missed && (v.Values[x.i].FemaleProbability > 0.5f) != (x.f.Label.Gender == "female"))
                .Select(x => $"`{Path.GetFileName(x.f.Label.File)}` ({v.Values[x.i].FemaleProbability:0.00})");
            var ages = v.Values.Select(x => x.Age).ToArray();
            var within = float.IsNaN(ages.FirstOrDefault(float.NaN)) ? "–"
                : $"{faces.Select((f, i) => (f, i)).Count(x => f(x.i) && x.f.Label.Age >= 0 && Math.Abs(ages[x.i] - x.f.Label.Age) <= 10)}/{faces.Count(x => x.Label.Age >= 0)}";
            t.Row(v.Name, $"{faces.Count - faces.Count(f => f.Missed) - wrong.Count()}/{faces.Count}", string.Join(", ", wrong), within);

            bool f(int i) => !float.IsNaN(ages[i]);
        }

        return t.ToString();
    }

    /// <summary>Every labelled test photo with the shipped answers (the age errors the attributes issue asks to list).</summary>
    public string PhotoTable(float[] pFemale, float[] ages)
    {
        var t = new MarkdownTable("photo", "label", "gender", "age", "age error");
        for (var i = 0; i < faces.Count; i++)
        {
            var l = faces[i].Label;
            var gender = float.IsNaN(pFemale[i]) ? "missed" : pFemale[i] > 0.5f ? "female" : "male";
            t.Row("`" + l.File + "`", $"{l.Gender} {(l.Age >= 0 ? l.Age.ToString(CultureInfo.InvariantCulture) : "")}",
                gender == l.Gender ? gender : $"**{gender}**", float.IsNaN(ages[i]) ? "–" : ages[i].ToString("0", CultureInfo.InvariantCulture),
                l.Age < 0 || float.IsNaN(ages[i]) ? "–" : (ages[i] - l.Age).ToString("+0;-0;0", CultureInfo.InvariantCulture));
        }

        return t.ToString();
    }

    public static readonly string[] Races = ["white", "black", "asian", "indian", "others"];

    /// <summary>Race × gender: gender accuracy and age MAE, and the largest gaps between cells.</summary>
    public string BiasTable(float[] pFemale, float[] ages, StringBuilder notes)
    {
        var t = new MarkdownTable("race", "female: gender acc", "female: age MAE", "male: gender acc", "male: age MAE", "n (F/M)");
        var cells = new List<(string Cell, double Acc, double Mae)>();
        foreach (var r in Races)
        {
            var row = new List<object> { r };
            foreach (var g in new[] { "female", "male" })
            {
                bool S(DevLabel l) => l.Race == r && l.Gender == g;
                var acc = GenderAccuracy(pFemale, S);
                var mae = AgeMae(ages, S);
                cells.Add(($"{r} {g}", acc, mae));
                row.Add(MarkdownTable.Percent(acc));
                row.Add(mae);
            }

            row.Add($"{Count(l => l.Race == r && l.Gender == "female")}/{Count(l => l.Race == r && l.Gender == "male")}");
            t.Row([.. row]);
        }

        var bestAcc = cells.MaxBy(c => c.Acc);
        var worstAcc = cells.MinBy(c => c.Acc);
        var bestMae = cells.MinBy(c => c.Mae);
        var worstMae = cells.MaxBy(c => c.Mae);
        notes.AppendLine(CultureInfo.InvariantCulture, $"- Largest gender-accuracy gap: {MarkdownTable.Percent(bestAcc.Acc)} ({bestAcc.Cell}) vs {MarkdownTable.Percent(worstAcc.Acc)} ({worstAcc.Cell}) = {100 * (bestAcc.Acc - worstAcc.Acc):0.0} points.");
        notes.AppendLine(CultureInfo.InvariantCulture, $"- Largest age-MAE gap: {bestMae.Mae:0.00} ({bestMae.Cell}) vs {worstMae.Mae:0.00} ({worstMae.Cell}) = {worstMae.Mae - bestMae.Mae:0.00} years.");
        return t.ToString();
    }
}
