namespace ImageApi.Eval.Attributes;

/// <summary>Exploration: each model alone per crop and flip through <see cref="EmotionEstimator"/>, then weighted
/// averages of big-Xception and face-api computed from those answers (the estimator's own average is the same sum).</summary>
internal static class EmotionGrid
{
    public static void Run(EmotionEvaluation eval, CancellationToken ct)
    {
        var comps = new Dictionary<string, (float[][] Dev, float[][] Fer, double Ms)>();
        foreach (var flip in new[] { false, true })
        {
            foreach (var s in new[] { 1.0f, 1.1f, 1.2f, 1.3f })
            {
                comps[$"big{s:0.0}{(flip ? "f" : "")}"] = Comp(eval, new() { EmotionModels = [AttributeModels.EmotionBig], EmotionCropScale = s, EmotionFlip = flip ? [AttributeModels.EmotionBig] : [] }, ct);
            }

            foreach (var s in new[] { 1.1f, 1.2f, 1.3f, 1.4f })
            {
                comps[$"fa{s:0.0}{(flip ? "f" : "")}"] = Comp(eval, new() { EmotionModels = [AttributeModels.EmotionFaceApi], EmotionFaceApiCropScale = s, EmotionFlip = flip ? [AttributeModels.EmotionFaceApi] : [] }, ct);
            }
        }

        foreach (var (k, c) in comps) Print(eval, k, c.Dev, c.Fer, c.Ms);
        var baseline = Mix(comps["big1.1"].Dev, comps["fa1.2"].Dev, 0.5);
        foreach (var b in comps.Keys.Where(k => k.StartsWith("big", StringComparison.Ordinal)))
        {
            foreach (var f in comps.Keys.Where(k => k.StartsWith("fa", StringComparison.Ordinal)))
            {
                foreach (var w in new[] { 0.4, 0.5, 0.6, 2 / 3.0, 0.75 })
                {
                    var dev = Mix(comps[b].Dev, comps[f].Dev, w);
                    var fer = Mix(comps[b].Fer, comps[f].Fer, w);
                    var m = eval.Bootstrap(dev, baseline, meanRecall: true, resamples: 500);
                    var t = eval.Bootstrap(dev, baseline, meanRecall: false, resamples: 500);
                    Print(eval, $"{b}+{f} wfa={w:0.00}", dev, fer, comps[b].Ms + comps[f].Ms,
                        string.Create(CultureInfo.InvariantCulture, $" dMCR {100 * m.Diff:+0.0;-0.0} [{100 * m.Low:0.0},{100 * m.High:0.0}] dTop {100 * t.Diff:+0.0;-0.0} [{100 * t.Low:0.0},{100 * t.High:0.0}] fold0 {Fold(eval, dev, 0)} fold1 {Fold(eval, dev, 1)}"));
                }
            }
        }
    }

    private static string Fold(EmotionEvaluation eval, float[][] probs, int k) =>
        EmotionEvaluation.Pct(EmotionEvaluation.MeanRecall(probs, eval.Dev, i => eval.Dev.Folds[i] == k));

    private static float[][] Mix(float[][] a, float[][] b, double wb) =>
        [.. a.Select((p, i) => p.Select((x, e) => (float)((1 - wb) * x + wb * b[i][e])).ToArray())];

    private static (float[][], float[][], double) Comp(EmotionEvaluation eval, FaceAttributesOptions o, CancellationToken ct)
    {
        var est = new EmotionEstimator(eval.Catalog, eval.Fitting, Options.Create(o));
        var (dev, _, cpuMs) = EmotionEvaluation.Run(est, eval.Dev, ct);
        var (fer, _, _) = EmotionEvaluation.Run(est, eval.Fer, ct);
        return (dev, fer, cpuMs);
    }

    private static void Print(EmotionEvaluation eval, string name, float[][] dev, float[][] fer, double ms, string extra = "") =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"GRID {name}: top1 {EmotionEvaluation.Pct(EmotionEvaluation.Top1(dev, eval.Dev))} MCR {EmotionEvaluation.Pct(EmotionEvaluation.MeanRecall(dev, eval.Dev))} FER {EmotionEvaluation.Pct(EmotionEvaluation.Top1(fer, eval.Fer))} recalls {string.Join("/", EmotionEvaluation.Recalls(dev, eval.Dev).Select(r => (100 * r).ToString("0", CultureInfo.InvariantCulture)))} {ms:0.00} ms{extra}"));
}
