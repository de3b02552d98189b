using ImageApi.Imaging;

namespace ImageApi.Eval.Liveness;

/// <summary>
/// Hand-crafted replay cues of a face crop (resized to <see cref="Size"/>², so every statistic is per the same
/// pixel grid whatever the photo's resolution): sharpness, high-frequency and moiré energy of the spectrum, colour
/// cast and chroma spread, specular highlights, luminance (the session confound, measured to be checked, not used
/// blindly) and LBP texture entropy. Candidates for the stacking study only.
/// </summary>
internal static class ReplayCues
{
    public const int Size = 128;

    public static readonly string[] Names = ["lapvar", "hf", "moire", "sat", "cb", "cr", "chroma", "spec", "luma", "contrast", "lbpent"];

    public static double[] Of(RgbImage crop)
    {
        int n = Size, count = n * n;
        var px = crop.Pixels;
        var gray = new double[count];
        double sumY = 0, sumY2 = 0, sumCb = 0, sumCr = 0, sumCb2 = 0, sumCr2 = 0, sumS = 0, spec = 0;
        for (var i = 0; i < count; i++)
        {
            double r = px[3 * i], g = px[3 * i + 1], b = px[3 * i + 2];
            // BT.601 YCbCr.
            var y = 0.299 * r + 0.587 * g + 0.114 * b;
            var cb = -0.168736 * r - 0.331264 * g + 0.5 * b;
            var cr = 0.5 * r - 0.418688 * g - 0.081312 * b;
            gray[i] = y;
            sumY += y; sumY2 += y * y; sumCb += cb; sumCr += cr; sumCb2 += cb * cb; sumCr2 += cr * cr;
            double max = Math.Max(r, Math.Max(g, b)), min = Math.Min(r, Math.Min(g, b));
            var s = max <= 0 ? 0 : (max - min) / max;
            sumS += s;
            if (max >= 235 && s < 0.25) spec++;
        }

        double meanY = sumY / count, meanCb = sumCb / count, meanCr = sumCr / count;
        var varY = Math.Max(0, sumY2 / count - meanY * meanY);
        var chroma = Math.Sqrt(Math.Max(0, sumCb2 / count - meanCb * meanCb) + Math.Max(0, sumCr2 / count - meanCr * meanCr));
        var (hf, moire) = Spectrum(gray, n);
        return [Math.Log(1 + LaplacianVariance(gray, n)), hf, moire, sumS / count, meanCb, meanCr, chroma, spec / count,
            meanY, Math.Sqrt(varY), LbpEntropy(gray, n)];
    }

    private static double LaplacianVariance(double[] g, int n)
    {
        double sum = 0, sum2 = 0;
        var k = 0;
        for (var y = 1; y < n - 1; y++)
        {
            for (var x = 1; x < n - 1; x++)
            {
                var i = y * n + x;
                var l = g[i - 1] + g[i + 1] + g[i - n] + g[i + n] - 4 * g[i];
                sum += l; sum2 += l * l; k++;
            }
        }

        var mean = sum / k;
        return sum2 / k - mean * mean;
    }

    /// <summary>Hann-windowed 2-D power spectrum of the mean-removed gray crop: log of the high-band (radius &gt; 0.25
    /// cycles/px) over the mid-band (0.05–0.25) energy, and log of the strongest mid/high-band peak over the band's
    /// median (a screen's moiré is a narrow peak; camera noise and skin texture are broad).</summary>
    private static (double Hf, double Moire) Spectrum(double[] g, int n)
    {
        var mean = g.Average();
        var re = new double[n * n];
        var im = new double[n * n];
        for (var y = 0; y < n; y++)
        {
            for (var x = 0; x < n; x++)
            {
                var w = (0.5 - 0.5 * Math.Cos(2 * Math.PI * x / (n - 1))) * (0.5 - 0.5 * Math.Cos(2 * Math.PI * y / (n - 1)));
                re[y * n + x] = (g[y * n + x] - mean) * w;
            }
        }

        var rowRe = new double[n];
        var rowIm = new double[n];
        for (var pass = 0; pass < 2; pass++)
        {
            for (var line = 0; line < n; line++)
            {
                for (var k = 0; k < n; k++)
                {
                    var idx = pass == 0 ? line * n + k : k * n + line;
                    rowRe[k] = re[idx]; rowIm[k] = im[idx];
                }

                Fft(rowRe, rowIm);
                for (var k = 0; k < n; k++)
                {
                    var idx = pass == 0 ? line * n + k : k * n + line;
                    re[idx] = rowRe[k]; im[idx] = rowIm[k];
                }
            }
        }

        double high = 1e-9, mid = 1e-9;
        var band = new List<double>();
        for (var v = 0; v < n; v++)
        {
            for (var u = 0; u < n; u++)
            {
                double fu = (u < n / 2 ? u : u - n) / (double)n, fv = (v < n / 2 ? v : v - n) / (double)n;
                var r = Math.Sqrt(fu * fu + fv * fv);
                var p = re[v * n + u] * re[v * n + u] + im[v * n + u] * im[v * n + u];
                if (r > 0.25) high += p;
                else if (r > 0.05) mid += p;
                if (r > 0.15 && r < 0.5) band.Add(p);
            }
        }

        band.Sort();
        var median = band[band.Count / 2] + 1e-9;
        return (Math.Log(high / mid), Math.Log(band[^1] / median));
    }

    /// <summary>In-place radix-2 FFT (n a power of two).</summary>
    private static void Fft(double[] re, double[] im)
    {
        var n = re.Length;
        for (int i = 1, j = 0; i < n; i++)
        {
            var bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) j ^= bit;
            j ^= bit;
            if (i < j) { (re[i], re[j]) = (re[j], re[i]); (im[i], im[j]) = (im[j], im[i]); }
        }

        for (var len = 2; len <= n; len <<= 1)
        {
            var ang = -2 * Math.PI / len;
            for (var i = 0; i < n; i += len)
            {
                for (var k = 0; k < len / 2; k++)
                {
                    double wr = Math.Cos(ang * k), wi = Math.Sin(ang * k);
                    int a = i + k, b = i + k + len / 2;
                    double xr = re[b] * wr - im[b] * wi, xi = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - xr; im[b] = im[a] - xi;
                    re[a] += xr; im[a] += xi;
                }
            }
        }
    }

    private static double LbpEntropy(double[] g, int n)
    {
        var hist = new double[256];
        int[] dx = [-1, 0, 1, 1, 1, 0, -1, -1], dy = [-1, -1, -1, 0, 1, 1, 1, 0];
        for (var y = 1; y < n - 1; y++)
        {
            for (var x = 1; x < n - 1; x++)
            {
                var c = g[y * n + x];
                var code = 0;
                for (var k = 0; k < 8; k++) code |= (g[(y + dy[k]) * n + x + dx[k]] >= c ? 1 : 0) << k;
                hist[code]++;
            }
        }

        var total = hist.Sum();
        return -hist.Where(h => h > 0).Sum(h => h / total * Math.Log(h / total));
    }
}
