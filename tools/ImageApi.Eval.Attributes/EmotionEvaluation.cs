using System.Globalization;
using ImageApi.Attributes;
using ImageApi.Inference;
using Microsoft.Extensions.Options;

namespace ImageApi.Eval.Attributes;

/// <summary>Emotion top-1 on the FER2013 part: model × crop × flip variants on the detector's box, and on the whole
/// 48×48 image as the box (what a client sending an already-cropped face gets). Misses count as errors.</summary>
internal sealed class EmotionEvaluation(ModelCatalog catalog, IReadOnlyList<LocatedFace> faces)
{
    /// <summary>attributes-dev folder names in the API's emotion order.</summary>
    public static readonly string[] Classes = ["angry", "disgust", "fear", "happy", "neutral", "sad", "surprise"];

    public List<Timed<float[]?>> Variants { get; } = [];

    public IReadOnlyList<LocatedFace> Faces => faces;

    public void MeasureVariants(CancellationToken ct)
    {
        foreach (var models in new[] { AttributeModels.EmotionBig, AttributeModels.EmotionMini, AttributeModels.EmotionBig + "," + AttributeModels.EmotionMini })
        {
            var shortName = string.Join("+", models.Split(',').Select(m => m == AttributeModels.EmotionBig ? "big" : "mini"));
            foreach (var scale in models == AttributeModels.EmotionMini ? new[] { 1.0f, 1.1f } : [1.0f, 1.1f, 1.2f, 1.3f])
            {
                foreach (var flip in new[] { false, true })
                {
                    var o = new FaceAttributesOptions { EmotionModels = models, EmotionCropScale = scale, EmotionFlip = flip };
                    Add($"{shortName} {scale.ToString(CultureInfo.InvariantCulture)}×{(flip ? " +flip" : "")}", o, wholeImage: false, ct);
                }
            }

            foreach (var flip in new[] { false, true })
            {
                Add($"{shortName} whole image as box{(flip ? " +flip" : "")}", new FaceAttributesOptions { EmotionModels = models, EmotionCropScale = 1.0f, EmotionFlip = flip }, wholeImage: true, ct);
            }
        }
    }

    private void Add(string name, FaceAttributesOptions options, bool wholeImage, CancellationToken ct)
    {
        var estimator = new EmotionEstimator(catalog, Options.Create(options));
        // With the whole image as the box no detector is involved, so no face is missed.
        var view = wholeImage ? faces.Select(f => f with { Fitted = f.Fitted ?? Placeholder(f) }).ToList() : faces;
        Variants.Add(Timed<float[]?>.Measure(name, view,
            f => estimator.Estimate(f.Image, [wholeImage ? f.WholeImage() : f.Input()], ct)[0], null));
        Console.WriteLine($"  {name}: top-1 {MarkdownTable.Percent(Accuracy(Variants[^1].Values, _ => true))}");
    }

    private static Faces.FittedFace Placeholder(LocatedFace f) =>
        new(new Imaging.Box(0, 0, f.Image.Width, f.Image.Height), 0, [], [], [], new Pipeline.HeadPose(0, 0, 0));

    public static int Top(float[] p) => Array.IndexOf(p, p.Max());

    public double Accuracy(float[]?[] probs, Func<DevLabel, bool> subset)
    {
        int n = 0, right = 0;
        for (var i = 0; i < faces.Count; i++)
        {
            if (!subset(faces[i].Label)) continue;
            n++;
            if (probs[i] is { } p && Classes[Top(p)] == faces[i].Label.Emotion) right++;
        }

        return n == 0 ? double.NaN : right / (double)n;
    }

    public string VariantTable()
    {
        var header = new List<string> { "variant", "top-1" };
        header.AddRange(Classes);
        header.Add("ms / face");
        var t = new MarkdownTable([.. header]);
        foreach (var v in Variants)
        {
            var row = new List<object> { v.Name, MarkdownTable.Percent(Accuracy(v.Values, _ => true)) };
            row.AddRange(Classes.Select(c => (object)MarkdownTable.Percent(Accuracy(v.Values, l => l.Emotion == c))));
            row.Add(v.MsPerFace);
            t.Row([.. row]);
        }

        return t.ToString();
    }

    /// <summary>Per variant, the top emotion of every labelled test photo (wrong ones in bold).</summary>
    public string PhotoTable()
    {
        var t = new MarkdownTable(["variant", "right", .. faces.Select(f => $"`{Path.GetFileName(f.Label.File)}` ({f.Label.Emotion})")]);
        foreach (var v in Variants)
        {
            var tops = v.Values.Select((p, i) => p is null ? "missed" : Classes[Top(p)] == faces[i].Label.Emotion ? Classes[Top(p)] : $"**{Classes[Top(p)]}** ({p.Max():0.00})").ToList();
            t.Row([v.Name, $"{v.Values.Where((p, i) => p is not null && Classes[Top(p)] == faces[i].Label.Emotion).Count()}/{faces.Count}", .. tops]);
        }

        return t.ToString();
    }

    /// <summary>Rows: true class; columns: predicted class (and "missed").</summary>
    public string ConfusionMatrix(float[]?[] probs)
    {
        var header = new List<string> { "true \\ predicted" };
        header.AddRange(Classes);
        header.Add("missed");
        header.Add("recall");
        var t = new MarkdownTable([.. header]);
        foreach (var c in Classes)
        {
            var counts = new int[Classes.Length + 1];
            for (var i = 0; i < faces.Count; i++)
            {
                if (faces[i].Label.Emotion != c) continue;
                counts[probs[i] is { } p ? Top(p) : Classes.Length]++;
            }

            var row = new List<object> { c };
            row.AddRange(counts.Select(x => (object)x));
            row.Add(MarkdownTable.Percent(Accuracy(probs, l => l.Emotion == c)));
            t.Row([.. row]);
        }

        return t.ToString();
    }
}
