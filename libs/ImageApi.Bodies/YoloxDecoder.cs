namespace ImageApi.Bodies;

/// <summary>
/// Decodes YOLOX's raw head (models/body-detector-yolox-nano/SOURCE.md): rows are the grid cells of strides 8, 16, 32
/// in order, row-major within each level; columns <c>tx, ty, tw, th, obj, 80 class scores</c> (already sigmoid-ed).
/// <c>cx = (tx + gx)·s</c>, <c>cy = (ty + gy)·s</c>, <c>w = exp(tw)·s</c>, <c>h = exp(th)·s</c>; score = <c>obj · class</c>.
/// Class-wise (class-aware) selection: a cell is a person candidate when <c>obj · person</c> reaches the threshold.
/// </summary>
internal static class YoloxDecoder
{
    public static readonly int[] Strides = [8, 16, 32];

    /// <summary>Number of rows the head has for a square input (3549 for 416).</summary>
    public static int RowCount(int inputSize) => Strides.Sum(s => (inputSize / s) * (inputSize / s));

    /// <summary>Person candidates in model-input pixels (before NMS).</summary>
    public static List<(Box Box, float Score)> Decode(ReadOnlySpan<float> output, int inputSize, int columns, int classIndex, float threshold)
    {
        var result = new List<(Box, float)>();
        var row = 0;
        foreach (var s in Strides)
        {
            var n = inputSize / s;
            for (var gy = 0; gy < n; gy++)
            {
                for (var gx = 0; gx < n; gx++, row++)
                {
                    var p = output.Slice(row * columns, columns);
                    var score = p[4] * p[5 + classIndex];
                    if (score < threshold) continue;
                    var cx = (p[0] + gx) * s;
                    var cy = (p[1] + gy) * s;
                    var w = MathF.Exp(p[2]) * s;
                    var h = MathF.Exp(p[3]) * s;
                    result.Add((new Box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2), score));
                }
            }
        }

        return result;
    }
}
