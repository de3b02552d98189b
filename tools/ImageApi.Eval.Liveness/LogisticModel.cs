namespace ImageApi.Eval.Liveness;

/// <summary>
/// L2-regularised logistic regression on standardised inputs (mean/scale of the fitting set), fitted by Newton's
/// method. The penalty <c>λ/2·‖w‖²</c> (not on the bias) keeps a few correlated model scores from fitting 4 subjects'
/// quirks with large opposite weights. The output is the log-odds of real.
/// </summary>
internal sealed record LogisticModel(double[] Mean, double[] Scale, double[] Weights, double Bias)
{
    public double Score(double[] x)
    {
        var z = Bias;
        for (var j = 0; j < Weights.Length; j++) z += Weights[j] * (x[j] - Mean[j]) / Scale[j];
        return z;
    }

    public static LogisticModel Fit(IReadOnlyList<double[]> x, IReadOnlyList<bool> y, double lambda)
    {
        int n = x.Count, d = x[0].Length;
        var mean = new double[d];
        var scale = new double[d];
        for (var j = 0; j < d; j++)
        {
            mean[j] = x.Average(r => r[j]);
            scale[j] = Math.Sqrt(x.Average(r => (r[j] - mean[j]) * (r[j] - mean[j])));
            if (scale[j] < 1e-9) scale[j] = 1;
        }

        var z = x.Select(r => r.Select((v, j) => (v - mean[j]) / scale[j]).Append(1.0).ToArray()).ToArray();
        var w = new double[d + 1];
        for (var iter = 0; iter < 50; iter++)
        {
            var grad = new double[d + 1];
            var hess = new double[d + 1, d + 1];
            for (var i = 0; i < n; i++)
            {
                double s = 0;
                for (var j = 0; j <= d; j++) s += w[j] * z[i][j];
                var p = 1 / (1 + Math.Exp(-s));
                var err = p - (y[i] ? 1 : 0);
                var h = Math.Max(p * (1 - p), 1e-10);
                for (var j = 0; j <= d; j++)
                {
                    grad[j] += err * z[i][j];
                    for (var k = 0; k <= d; k++) hess[j, k] += h * z[i][j] * z[i][k];
                }
            }

            for (var j = 0; j < d; j++) { grad[j] += lambda * w[j]; hess[j, j] += lambda; }
            hess[d, d] += 1e-9;
            var step = Solve(hess, grad);
            double norm = 0;
            for (var j = 0; j <= d; j++) { w[j] -= step[j]; norm += step[j] * step[j]; }
            if (norm < 1e-14) break;
        }

        return new LogisticModel(mean, scale, w[..d], w[d]);
    }

    /// <summary>Gaussian elimination with partial pivoting (the systems are at most ~13×13).</summary>
    private static double[] Solve(double[,] a, double[] b)
    {
        var n = b.Length;
        var m = (double[,])a.Clone();
        var v = (double[])b.Clone();
        for (var c = 0; c < n; c++)
        {
            var pivot = c;
            for (var r = c + 1; r < n; r++) if (Math.Abs(m[r, c]) > Math.Abs(m[pivot, c])) pivot = r;
            if (pivot != c)
            {
                for (var k = 0; k < n; k++) (m[c, k], m[pivot, k]) = (m[pivot, k], m[c, k]);
                (v[c], v[pivot]) = (v[pivot], v[c]);
            }

            for (var r = c + 1; r < n; r++)
            {
                var f = m[r, c] / m[c, c];
                for (var k = c; k < n; k++) m[r, k] -= f * m[c, k];
                v[r] -= f * v[c];
            }
        }

        var x = new double[n];
        for (var r = n - 1; r >= 0; r--)
        {
            var s = v[r];
            for (var k = r + 1; k < n; k++) s -= m[r, k] * x[k];
            x[r] = s / m[r, r];
        }

        return x;
    }
}
