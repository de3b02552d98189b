using ImageApi.Inference;

namespace ImageApi.Eval.Attributes;

/// <summary>Mask accuracy on the Face-Mask-Detection part: crop-scale variants on the detector's box, a threshold
/// sweep, and the whole image as the box. Misses count as errors.</summary>
internal sealed class MaskEvaluation(ModelCatalog catalog, IReadOnlyList<LocatedFace> faces, IReadOnlyList<LocatedFace> photoFaces)
{
    public List<Timed<float>> Variants { get; } = [];

    /// <summary>The same variants on every face of the project's test photos (mask/, identity/, group/): real photos
    /// of unmasked people the dev set lacks (it is mostly tight East-Asian crops).</summary>
    public List<Timed<float>> PhotoVariants { get; } = [];

    public IReadOnlyList<LocatedFace> Faces => faces;

    public void MeasureVariants(CancellationToken ct)
    {
        foreach (var scale in new[] { 1.0f, 1.2f, 1.5f, 1.8f })
        {
            foreach (var pooling in Enum.GetValues<MaskPooling>())
            {
                Add($"crop {scale.ToString(CultureInfo.InvariantCulture)}×, {pooling.ToString().ToLowerInvariant()} box", new FaceAttributesOptions { MaskCropScale = scale, MaskPooling = pooling }, wholeImage: false, ct);
            }
        }

        Add("whole image as box, 1.0×", new FaceAttributesOptions { MaskCropScale = 1.0f }, wholeImage: true, ct);
    }

    private void Add(string name, FaceAttributesOptions options, bool wholeImage, CancellationToken ct)
    {
        var estimator = new MaskEstimator(catalog, Options.Create(options));
        var view = wholeImage
            ? faces.Select(f => f with { Fitted = f.Fitted ?? new Faces.FittedFace(default, 0, [], [], [], new Samples.HeadPose(0, 0, 0)) }).ToList()
            : faces;
        Variants.Add(Timed<float>.Measure(name, view, f => estimator.EstimateUncached(f.Image, [wholeImage ? f.WholeImage() : f.Input()], ct)[0], float.NaN));
        if (!wholeImage) PhotoVariants.Add(Timed<float>.Measure(name, photoFaces, f => estimator.EstimateUncached(f.Image, [f.Input()], ct)[0], float.NaN));
        Console.WriteLine($"  {name}: accuracy {MarkdownTable.Percent(Accuracy(Variants[^1].Values, 0.5f, _ => true))}");
    }

    public double Accuracy(float[] pMask, float threshold, Func<DevLabel, bool> subset) => Accuracy(faces, pMask, threshold, subset);

    private static double Accuracy(IReadOnlyList<LocatedFace> set, float[] pMask, float threshold, Func<DevLabel, bool> subset)
    {
        int n = 0, right = 0;
        for (var i = 0; i < set.Count; i++)
        {
            if (!subset(set[i].Label)) continue;
            n++;
            if (!float.IsNaN(pMask[i]) && (pMask[i] >= threshold) == (set[i].Label.Mask == "with_mask")) right++;
        }

        return n == 0 ? double.NaN : right / (double)n;
    }

    /// <summary>Per variant on the test photos' faces: masked faces called masked, unmasked faces called unmasked, and
    /// the unmasked faces wrongly called masked.</summary>
    public string PhotoTable(float threshold)
    {
        var t = new MarkdownTable("variant", "masked faces right", "unmasked faces right", "unmasked called masked");
        foreach (var v in PhotoVariants)
        {
            var masked = photoFaces.Select((f, i) => (f, i)).Where(x => x.f.Label.Mask == "with_mask").ToList();
            var plain = photoFaces.Select((f, i) => (f, i)).Where(x => x.f.Label.Mask != "with_mask").ToList();
            var wrong = plain.Where(x => v.Values[x.i] >= threshold).Select(x => $"`{Path.GetFileName(x.f.Label.File)}` ({v.Values[x.i]:0.00})");
            t.Row(v.Name, $"{masked.Count(x => v.Values[x.i] >= threshold)}/{masked.Count}", $"{plain.Count(x => v.Values[x.i] < threshold)}/{plain.Count}",
                string.Join(", ", wrong));
        }

        return t.ToString();
    }

    public static readonly float[] Thresholds = [0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f];

    public string VariantTable()
    {
        var header = new List<string> { "variant", "ms / face" };
        header.AddRange(Thresholds.Select(t => "acc @ " + t.ToString("0.0", CultureInfo.InvariantCulture)));
        var table = new MarkdownTable([.. header]);
        foreach (var v in Variants)
        {
            var row = new List<object> { v.Name, v.MsPerFace };
            row.AddRange(Thresholds.Select(t => (object)MarkdownTable.Percent(Accuracy(v.Values, t, _ => true))));
            table.Row([.. row]);
        }

        return table.ToString();
    }
}
