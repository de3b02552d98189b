using System.Text;
using Microsoft.Extensions.DependencyInjection;

namespace ImageApi.Eval.Attributes;

/// <summary>Assembles docs/results/attributes.md from the three evaluations and the shipped services' answers.</summary>
internal sealed class AttributesReport(IServiceProvider services, int every)
{
    private readonly StringBuilder _md = new();
    private readonly StringBuilder _summary = new();
    private readonly ShippedPipeline _shipped = new(services);
    private readonly FaceAttributesOptions _options = services.GetRequiredService<IOptions<FaceAttributesOptions>>().Value;

    public void AddAgeGender(AgeGenderEvaluation eval, CancellationToken ct)
    {
        var pFemale = Timed<float>.Measure("shipped gender", eval.Faces, f => _shipped.FemaleProbabilityOf(f, ct), float.NaN);
        var ages = Timed<float>.Measure("shipped age", eval.Faces, f => _shipped.AgeOf(f, ct), float.NaN);
        var n = eval.Faces.Count;
        var misses = eval.Faces.Count(f => f.Missed);
        var acc = eval.GenderAccuracy(pFemale.Values, _ => true);
        var mae = eval.AgeMae(ages.Values, _ => true);
        var maeKids = eval.AgeMae(ages.Values, l => l.Age <= 12);
        _summary.AppendLine(CultureInfo.InvariantCulture, $"| gender accuracy (misses = errors) | ≥ 92 % | {MarkdownTable.Percent(acc)} | {Verdict(acc >= 0.92)} |");
        _summary.AppendLine(CultureInfo.InvariantCulture, $"| age MAE, all detected | ≤ 5.5 | {mae:0.00} | {Verdict(mae <= 5.5)} |");
        _summary.AppendLine(CultureInfo.InvariantCulture, $"| age MAE, 0–12 | ≤ 2 | {maeKids:0.00} | {Verdict(maeKids <= 2)} |");

        _md.AppendLine("## Gender and age (UTKFace part, " + n + " chips)").AppendLine();
        _md.AppendLine(CultureInfo.InvariantCulture, $"Shipped settings: age `{_options.AgeModel}` (crop scales {List(_options.AgeCropScales)}, calibration `{(_options.AgeCalibration.Length == 0 ? "none" : List(_options.AgeCalibration))}`), gender `{List(_options.GenderModels)}` (crop scales {List(_options.GenderCropScales)}), flip averaging {(_options.AgeGenderFlip ? "on" : "off")}. ");
        _md.AppendLine(CultureInfo.InvariantCulture, $"Detector (face-detector-face-fitter stage) missed {misses} of {n} chips: counted as gender errors, left out of the age MAE. ");
        _md.AppendLine(CultureInfo.InvariantCulture, $"Service time per face (crop + models + JSON): gender {pFemale.MsPerFace:0.00} ms, age {ages.MsPerFace:0.00} ms.").AppendLine();
        _md.AppendLine("### Shipped pipeline, overall and per subgroup").AppendLine();
        _md.AppendLine(eval.SubgroupTable(pFemale.Values, ages.Values));
        _md.AppendLine("### Bias: race × gender").AppendLine();
        var notes = new StringBuilder();
        _md.AppendLine(eval.BiasTable(pFemale.Values, ages.Values, notes));
        _md.AppendLine(notes.ToString());
        _md.AppendLine("### Compared variants (same detections; P(female) > 0.5)").AppendLine();
        var ensembles = new[]
        {
            eval.Ensemble("faceapi 1.15×", "gender-mini 2×"),
            eval.Ensemble("faceapi 1.15×", "insightface aligned"),
            eval.Ensemble("faceapi 1.15× +flip", "gender-mini 2× +flip"),
            eval.Ensemble("faceapi 1.15×", "gender-mini 2×", "insightface aligned"),
        };
        _md.AppendLine(eval.VariantTable(ensembles));
        _md.AppendLine("### Age calibration (fitted on the whole UTKFace part; judged by 2-fold cross-validation)").AppendLine();
        _md.AppendLine(eval.CalibrationTable());
        if (misses > 0)
        {
            _md.AppendLine("Detector misses: " + string.Join(", ", eval.Faces.Where(f => f.Missed).Select(f => "`" + Path.GetFileName(f.Label.File) + "`"))).AppendLine();
        }
    }

    public void AddAgeGenderPhotos(AgeGenderEvaluation photos, CancellationToken ct)
    {
        var pFemale = Timed<float>.Measure("shipped gender", photos.Faces, f => _shipped.FemaleProbabilityOf(f, ct), float.NaN);
        var ages = Timed<float>.Measure("shipped age", photos.Faces, f => _shipped.AgeOf(f, ct), float.NaN);
        _md.AppendLine("### The labelled test photos (shared/testdata age_gender/ and identity/, largest face)").AppendLine();
        _md.AppendLine("Shipped answers:").AppendLine();
        _md.AppendLine(photos.PhotoTable(pFemale.Values, ages.Values));
        _md.AppendLine("Every variant on the same faces:").AppendLine();
        _md.AppendLine(photos.PhotoVariantTable());
    }

    /// <summary>Emotion has its own report (docs/results/emotion.md): its targets are repeated in this summary.</summary>
    public void AddEmotionSummary(IEnumerable<string> summaryRows)
    {
        foreach (var row in summaryRows) _summary.AppendLine(row);
        _md.AppendLine("## Emotion").AppendLine();
        _md.AppendLine("Measured on shared/emotion-dev (photo-style) and the FER2013 part: [emotion.md](emotion.md).").AppendLine();
    }

    public void AddMask(MaskEvaluation eval, CancellationToken ct)
    {
        var value = Timed<float>.Measure("shipped mask", eval.Faces, f => _shipped.MaskOf(f, ct), float.NaN);
        var n = eval.Faces.Count;
        var misses = eval.Faces.Count(f => f.Missed);
        var acc = eval.Accuracy(value.Values, 0.5f, _ => true);
        _summary.AppendLine(CultureInfo.InvariantCulture, $"| mask accuracy (misses = errors) | ≥ 97 % | {MarkdownTable.Percent(acc)} | {Verdict(acc >= 0.97)} |");
        _md.AppendLine("## Mask (Face-Mask-Detection part, " + n + " photos)").AppendLine();
        _md.AppendLine(CultureInfo.InvariantCulture, $"Shipped settings: `{_options.MaskModel}`, crop {_options.MaskCropScale}×, threshold {_options.MaskThreshold}. ");
        _md.AppendLine(CultureInfo.InvariantCulture, $"Detector missed {misses} of {n} photos (counted as errors). Service time per face {value.MsPerFace:0.00} ms.").AppendLine();
        var t = new MarkdownTable("subset", "n", "detector misses", "accuracy");
        foreach (var (name, s) in new (string, Func<DevLabel, bool>)[] { ("**all**", _ => true), ("with_mask", l => l.Mask == "with_mask"), ("without_mask", l => l.Mask == "without_mask") })
        {
            t.Row(name, eval.Faces.Count(f => s(f.Label)), eval.Faces.Count(f => f.Missed && s(f.Label)), MarkdownTable.Percent(eval.Accuracy(value.Values, 0.5f, s)));
        }

        _md.AppendLine(t.ToString());
        var detected = n - misses;
        var rightDetected = eval.Faces.Where((f, i) => !f.Missed && (value.Values[i] >= 0.5f) == (f.Label.Mask == "with_mask")).Count();
        _md.AppendLine(CultureInfo.InvariantCulture, $"On the {detected} photos with a detected face the mask answer is right on {rightDetected} ({MarkdownTable.Percent(rightDetected / (double)detected)}).").AppendLine();
        _md.AppendLine("### Compared variants (accuracy per P(mask) threshold)").AppendLine();
        _md.AppendLine(eval.VariantTable());
        _md.AppendLine(CultureInfo.InvariantCulture, $"### The same variants on every face of the test photos (testdata mask/, identity/, group/; threshold {_options.MaskThreshold})").AppendLine();
        _md.AppendLine(eval.PhotoTable(_options.MaskThreshold));
    }

    private static string Verdict(bool reached) => reached ? "reached" : "**not reached**";

    /// <summary>A list setting as its former comma-separated text, e.g. <c>1.05,1.15,1.25</c>.</summary>
    private static string List<T>(IEnumerable<T> entries) =>
        string.Join(',', entries.Select(e => Convert.ToString(e, CultureInfo.InvariantCulture)));

    public string Markdown()
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Face attributes on shared/attributes-dev").AppendLine();
        sb.AppendLine("Generated by `dotnet run -c Release --project tools/ImageApi.Eval.Attributes` (do not edit by hand). ");
        sb.AppendLine("Pipeline as a user's request runs it: the face-detector-face-fitter stage (YuNet + PFLD + FSA-Net) on the image, ");
        sb.AppendLine("the largest face's v2 object passed to the attribute service with its shipped settings. 1 ONNX Runtime thread, CPU.");
        if (every > 1) sb.AppendLine(CultureInfo.InvariantCulture, $"**Subsample: every {every}th image — exploration only.**");
        sb.AppendLine();
        sb.AppendLine("## Targets").AppendLine();
        sb.AppendLine("| measure | target | measured | |").AppendLine("| --- | --- | --- | --- |");
        sb.Append(_summary).AppendLine();
        sb.Append(_md);
        return sb.ToString();
    }
}
