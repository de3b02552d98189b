using System.Numerics;
using ImageApi.Templates;

/// <summary>
/// Synthetic distractor templates drawn from a Gaussian with the mean and covariance of a method's real templates,
/// then normalised: closer to a model's output distribution than uniformly random unit vectors (which all sit near
/// cosine 0 of every probe), so the distractors crowd a probe's neighbourhood as real strangers do. Sampling: x = μ +
/// L·z with L the Cholesky factor of the covariance and z standard normal.
/// </summary>
internal sealed class GaussianDistractors
{
    private readonly int _dim;
    private readonly float[] _mean;
    private readonly float[][] _columns; // column j of L (rows j..d-1 non-zero), as floats for SIMD accumulation

    public GaussianDistractors(IReadOnlyList<float[]> samples)
    {
        _dim = samples[0].Length;
        var d = _dim;
        var mean = new double[d];
        foreach (var s in samples) for (var i = 0; i < d; i++) mean[i] += s[i];
        for (var i = 0; i < d; i++) mean[i] /= samples.Count;
        var cov = new double[d, d];
        var c = new double[d];
        foreach (var s in samples)
        {
            for (var i = 0; i < d; i++) c[i] = s[i] - mean[i];
            for (var i = 0; i < d; i++) for (var j = 0; j <= i; j++) cov[i, j] += c[i] * c[j];
        }

        var trace = 0.0;
        for (var i = 0; i < d; i++) trace += cov[i, i] / (samples.Count - 1);

        // A small ridge keeps the factorisation defined when there are few samples for the dimension.
        for (var i = 0; i < d; i++)
        {
            for (var j = 0; j <= i; j++) cov[i, j] /= samples.Count - 1;
            cov[i, i] += 1e-6 * trace / d;
        }

        var l = new double[d, d];
        for (var j = 0; j < d; j++)
        {
            var sum = cov[j, j];
            for (var k = 0; k < j; k++) sum -= l[j, k] * l[j, k];
            l[j, j] = Math.Sqrt(Math.Max(sum, 1e-12));
            for (var i = j + 1; i < d; i++)
            {
                var t = cov[i, j];
                for (var k = 0; k < j; k++) t -= l[i, k] * l[j, k];
                l[i, j] = t / l[j, j];
            }
        }

        _mean = [.. mean.Select(m => (float)m)];
        _columns = new float[d][];
        for (var j = 0; j < d; j++)
        {
            _columns[j] = new float[d];
            for (var i = j; i < d; i++) _columns[j][i] = (float)l[i, j];
        }
    }

    public void Draw(Random rng, float[] v)
    {
        _mean.CopyTo(v, 0);
        var width = Vector<float>.Count;
        for (var j = 0; j < _dim; j++)
        {
            var z = (float)(Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()));
            var col = _columns[j];
            var zv = new Vector<float>(z);
            var i = j / width * width; // column j is zero above row j: start at the vector block that holds it
            for (; i + width <= _dim; i += width) (new Vector<float>(v, i) + zv * new Vector<float>(col, i)).CopyTo(v, i);
            for (; i < _dim; i++) v[i] += z * col[i];
        }

        UnitVector.Normalize(v);
    }
}
