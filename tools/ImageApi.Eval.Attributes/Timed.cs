using System.Diagnostics;

namespace ImageApi.Eval.Attributes;

/// <summary>Per-face results of one variant with its median time per face (crop + model, milliseconds; the median
/// because the shared build machine's load makes the mean noisy).</summary>
internal sealed record Timed<T>(string Name, T[] Values, double MsPerFace)
{
    /// <summary>Runs <paramref name="run"/> on every detected face (misses get <paramref name="missed"/>).</summary>
    public static Timed<T> Measure(string name, IReadOnlyList<LocatedFace> faces, Func<LocatedFace, T> run, T missed)
    {
        // One untimed run first, so session creation and first-run allocation are not in the mean.
        if (faces.FirstOrDefault(f => !f.Missed) is { } first) run(first);
        var values = new T[faces.Count];
        var times = new List<double>(faces.Count);
        for (var i = 0; i < faces.Count; i++)
        {
            if (faces[i].Missed)
            {
                values[i] = missed;
                continue;
            }

            var start = Stopwatch.GetTimestamp();
            values[i] = run(faces[i]);
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        times.Sort();
        return new Timed<T>(name, values, times.Count == 0 ? 0 : times[times.Count / 2]);
    }
}
