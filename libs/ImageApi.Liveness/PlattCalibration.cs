namespace ImageApi.Liveness;

/// <summary>Platt scaling: P(real) = σ(slope · score + intercept), a logistic fit of raw scores to labels.</summary>
public readonly record struct PlattCalibration(float Slope, float Intercept)
{
    public float Probability(float score) => 1f / (1f + MathF.Exp(-(Slope * score + Intercept)));

    /// <summary>
    /// Maximum-likelihood fit with Platt's (1999) smoothed targets <c>(N₊+1)/(N₊+2)</c> and <c>1/(N₋+2)</c> (so a
    /// separable set still gets finite parameters), by Newton's method with backtracking line search from Platt's
    /// starting point (Lin, Lin &amp; Weng 2007, "A note on Platt's probabilistic outputs").
    /// </summary>
    public static PlattCalibration Fit(IReadOnlyList<float> scores, IReadOnlyList<bool> isReal)
    {
        int pos = isReal.Count(r => r), neg = isReal.Count - pos;
        double hi = (pos + 1.0) / (pos + 2.0), lo = 1.0 / (neg + 2.0);
        var t = isReal.Select(r => r ? hi : lo).ToArray();
        double a = 0, b = Math.Log((pos + 1.0) / (neg + 1.0));
        var f = Loss(scores, t, a, b);
        for (var iter = 0; iter < 100; iter++)
        {
            double ga = 0, gb = 0, haa = 1e-12, hab = 0, hbb = 1e-12;
            for (var i = 0; i < scores.Count; i++)
            {
                var s = scores[i];
                var p = Sigmoid(a * s + b);
                var d = p - t[i];
                var w = p * (1 - p);
                ga += d * s;
                gb += d;
                haa += w * s * s;
                hab += w * s;
                hbb += w;
            }

            if (Math.Abs(ga) < 1e-7 && Math.Abs(gb) < 1e-7) break;
            var det = haa * hbb - hab * hab;
            var da = -(hbb * ga - hab * gb) / det;
            var db = -(haa * gb - hab * ga) / det;
            var step = 1.0;
            while (step > 1e-10)
            {
                var fNew = Loss(scores, t, a + step * da, b + step * db);
                if (fNew < f + 1e-4 * step * (ga * da + gb * db)) { a += step * da; b += step * db; f = fNew; break; }
                step /= 2;
            }

            if (step <= 1e-10) break;
        }

        return new PlattCalibration((float)a, (float)b);
    }

    private static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));

    /// <summary>Cross-entropy against the smoothed targets, computed without overflow.</summary>
    private static double Loss(IReadOnlyList<float> scores, double[] t, double a, double b)
    {
        double loss = 0;
        for (var i = 0; i < scores.Count; i++)
        {
            var z = a * scores[i] + b;
            // −[t·log σ(z) + (1−t)·log(1−σ(z))] = log(1 + e^z) − t·z
            loss += (z > 0 ? z + Math.Log(1 + Math.Exp(-z)) : Math.Log(1 + Math.Exp(z))) - t[i] * z;
        }

        return loss;
    }
}
