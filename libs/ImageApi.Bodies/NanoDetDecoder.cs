namespace ImageApi.Bodies;

/// <summary>
/// Decodes legacy NanoDet-m's GFL head (models/body-detector-nanodet-m-416/SOURCE.md): per stride 8, 16, 32 a class
/// tensor <c>[cells, 80]</c> (sigmoid-ed) and a box tensor <c>[cells, 4·8]</c>. Per side: softmax over the 8 bins,
/// expected value <c>Σ p_i·i</c>, times the stride → l, t, r, b from the point centre
/// <c>(col·s + 0.5·(s−1), row·s + 0.5·(s−1))</c>. Score = max class score; the cell is a person when that max is class 0.
/// </summary>
internal static class NanoDetDecoder
{
    public static readonly int[] Strides = [8, 16, 32];
    public const int Bins = 8; // reg_max = 7

    /// <summary>Expected value of a softmax over <paramref name="logits"/> bins: <c>Σ softmax(l)_i · i</c>.</summary>
    public static float Distance(ReadOnlySpan<float> logits)
    {
        var max = float.NegativeInfinity;
        foreach (var v in logits) max = MathF.Max(max, v);
        float sum = 0, weighted = 0;
        for (var i = 0; i < logits.Length; i++)
        {
            var e = MathF.Exp(logits[i] - max);
            sum += e;
            weighted += e * i;
        }

        return weighted / sum;
    }

    /// <summary>Person candidates of one level, in model-input pixels (before NMS).</summary>
    public static void DecodeLevel(ReadOnlySpan<float> cls, ReadOnlySpan<float> reg, int classes, int inputSize, int stride,
        int classIndex, float threshold, List<(Box Box, float Score)> result)
    {
        var cols = (int)MathF.Ceiling(inputSize / (float)stride);
        var cells = cls.Length / classes;
        for (var i = 0; i < cells; i++)
        {
            var scores = cls.Slice(i * classes, classes);
            var best = 0;
            for (var c = 1; c < classes; c++)
            {
                if (scores[c] > scores[best]) best = c;
            }

            if (best != classIndex || scores[best] < threshold) continue;
            int row = i / cols, col = i % cols;
            var cx = col * stride + 0.5f * (stride - 1);
            var cy = row * stride + 0.5f * (stride - 1);
            var r = reg.Slice(i * 4 * Bins, 4 * Bins);
            var l = Distance(r[..Bins]) * stride;
            var t = Distance(r.Slice(Bins, Bins)) * stride;
            var rt = Distance(r.Slice(2 * Bins, Bins)) * stride;
            var b = Distance(r.Slice(3 * Bins, Bins)) * stride;
            result.Add((new Box(cx - l, cy - t, cx + rt, cy + b), scores[best]));
        }
    }
}
