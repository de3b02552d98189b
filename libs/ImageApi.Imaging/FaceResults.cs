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
/// In the distributed mode, where every stage is another process, the entries travel between the stages with the
/// sample (<see cref="Entries"/>, <see cref="Add"/>; docs/distributed.md, "Hand-off between stages").
/// </remarks>
public sealed class FaceResults
{
    private readonly ConcurrentDictionary<FaceResultKey, object> _results = new();

    /// <summary>Every result known so far, in no particular order.</summary>
    public IReadOnlyList<KeyValuePair<FaceResultKey, object>> Entries => [.. _results];

    /// <summary>A result computed elsewhere (an earlier stage in another process): later requests for the same family
    /// and box get it instead of running the model.</summary>
    public void Add(FaceResultKey key, object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _results[key] = value;
    }

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

    private static FaceResultKey Key(string family, Box b) =>
        new(family, (int)MathF.Round(b.X1), (int)MathF.Round(b.Y1), (int)MathF.Round(b.X2), (int)MathF.Round(b.Y2));
}

/// <summary>A model family (with the settings its result depends on) and a face box in whole pixels of the full-size photo.</summary>
public readonly record struct FaceResultKey(string Family, int X1, int Y1, int X2, int Y2);
