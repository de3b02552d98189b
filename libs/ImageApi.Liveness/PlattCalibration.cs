namespace ImageApi.Liveness;

/// <summary>Platt scaling: P(real) = σ(slope · score + intercept), a logistic fit of raw scores to labels.</summary>
public readonly record struct PlattCalibration(float Slope, float Intercept)
{
    public float Probability(float score) => 1f / (1f + MathF.Exp(-(Slope * score + Intercept)));

    /// <summary>
    /// Maximum-likelihood fit (Newton–Raphson on the 2 parameters) with Platt's (1999) smoothed targets
    /// <c>(N₊+1)/(N₊+2)</c> and <c>1/(N₋+2)</c>, so a separable set still gets finite parameters.
    /// </summary>
    public static PlattCalibration Fit(IReadOnlyList<float> scores, IReadOnlyList<bool> isReal)
    {
        int pos = isReal.Count(r => r), neg = isReal.Count - pos;
        double hi = (pos + 1.0) / (pos + 2.0), lo = 1.0 / (neg + 2.0);
        double a = 1, b = 0;
        for (var iter = 0; iter < 100; iter++)
        {
            double ga = 0, gb = 0, haa = 1e-9, hab = 0, hbb = 1e-9;
            for (var i = 0; i < scores.Count; i++)
            {
                var s = scores[i];
                var p = 1 / (1 + Math.Exp(-(a * s + b)));
                var t = isReal[i] ? hi : lo;
                var d = p - t;
                var w = p * (1 - p);
                ga += d * s;
                gb += d;
                haa += w * s * s;
                hab += w * s;
                hbb += w;
            }

            var det = haa * hbb - hab * hab;
            if (Math.Abs(det) < 1e-18) break;
            var da = (hbb * ga - hab * gb) / det;
            var db = (haa * gb - hab * ga) / det;
            a -= da;
            b -= db;
            if (Math.Abs(da) < 1e-9 && Math.Abs(db) < 1e-9) break;
        }

        return new PlattCalibration((float)a, (float)b);
    }
}
