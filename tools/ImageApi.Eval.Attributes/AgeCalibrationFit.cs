namespace ImageApi.Eval.Attributes;

/// <summary>
/// Fits an <see cref="AgeCalibration"/> on a whole labelled set: faces binned by predicted age, one knot per bin at
/// (median predicted, median true age) — the median minimises absolute error — made monotone. Bins hold at least
/// <see cref="MinPerBin"/> faces so no knot rests on a few images; the fit is judged by 2-fold cross-validation.
/// </summary>
internal static class AgeCalibrationFit
{
    public const int MinPerBin = 40;

    public static AgeCalibration Fit(IReadOnlyList<(float Predicted, int Truth)> points)
    {
        var sorted = points.Where(p => !float.IsNaN(p.Predicted)).OrderBy(p => p.Predicted).ToList();
        if (sorted.Count < 2 * MinPerBin) return AgeCalibration.Identity;
        var bins = Math.Max(2, Math.Min(12, sorted.Count / MinPerBin));
        var knots = new List<(float, float)>();
        for (var b = 0; b < bins; b++)
        {
            var slice = sorted.Skip(b * sorted.Count / bins).Take((b + 1) * sorted.Count / bins - b * sorted.Count / bins).ToList();
            var x = Median(slice.Select(p => p.Predicted));
            var y = Median(slice.Select(p => (float)p.Truth));
            if (knots.Count > 0 && x <= knots[^1].Item1 + 0.5f) continue;
            // Monotone: a knot never goes below the previous one.
            if (knots.Count > 0) y = Math.Max(y, knots[^1].Item2);
            knots.Add((MathF.Round(x, 1), MathF.Round(y, 1)));
        }

        return new AgeCalibration(knots);
    }

    /// <summary>Mean absolute error of the calibration fitted on one half and applied to the other (both ways).</summary>
    public static double CrossValidatedMae(IReadOnlyList<(float Predicted, int Truth)> points)
    {
        var valid = points.Where(p => !float.IsNaN(p.Predicted)).ToList();
        double sum = 0;
        for (var fold = 0; fold < 2; fold++)
        {
            var train = valid.Where((_, i) => i % 2 != fold).ToList();
            var test = valid.Where((_, i) => i % 2 == fold).ToList();
            var c = Fit(train);
            sum += test.Sum(p => Math.Abs(MathF.Round(Math.Max(0, c.Apply(p.Predicted)), MidpointRounding.AwayFromZero) - p.Truth));
        }

        return sum / valid.Count;
    }

    private static float Median(IEnumerable<float> values)
    {
        var v = values.Order().ToArray();
        return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
    }
}
