using System.Collections.Concurrent;

namespace ImageApi.Imaging;

/// <summary>
/// What the models have already said about the faces of one image, so that a request or pipeline that runs several
/// stages over the same photo runs each model family once per face: the fitter's landmarks and pose are reused by
/// quality, emotion by quality's neutral score, the mask detector by quality's not-masked score. Lives on the
/// <see cref="ImageSource"/>, which the in-process pipeline shares between its stages.
/// </summary>
/// <remarks>
/// Entries are keyed by the model family (with every setting the result depends on) and the face box rounded to whole
/// pixels of the full-size photo: a box read back from the previous stage's relative JSON bbox differs from the
/// detector's by a float rounding, not by a pixel. A box the client moved is a new key, and is computed afresh.
/// </remarks>
public sealed class FaceResults
{
    private readonly ConcurrentDictionary<(string Family, int X1, int Y1, int X2, int Y2), object> _results = new();

    /// <summary>The result of <paramref name="family"/> for each box, computing only the boxes not seen before — in one
    /// call of <paramref name="compute"/> over their indexes (so the missing faces still go through a model in one batch).</summary>
    public T[] GetOrCompute<T>(string family, IReadOnlyList<Box> boxes, Func<IReadOnlyList<int>, T[]> compute)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(boxes);
        ArgumentNullException.ThrowIfNull(compute);
        var result = new T[boxes.Count];
        var missing = new List<int>();
        for (var i = 0; i < boxes.Count; i++)
        {
            if (_results.TryGetValue(Key(family, boxes[i]), out var known) && known is T value) result[i] = value;
            else missing.Add(i);
        }

        if (missing.Count == 0) return result;
        var computed = compute(missing);
        if (computed.Length != missing.Count) throw new InvalidOperationException($"{family}: {computed.Length} results for {missing.Count} faces");
        for (var k = 0; k < missing.Count; k++)
        {
            result[missing[k]] = computed[k];
            _results[Key(family, boxes[missing[k]])] = computed[k];
        }

        return result;
    }

    private static (string, int, int, int, int) Key(string family, Box b) =>
        (family, (int)MathF.Round(b.X1), (int)MathF.Round(b.Y1), (int)MathF.Round(b.X2), (int)MathF.Round(b.Y2));
}
