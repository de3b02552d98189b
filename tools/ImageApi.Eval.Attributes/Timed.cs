using System.Diagnostics;

namespace ImageApi.Eval.Attributes;

/// <summary>Per-face results of one variant with its mean time per face (crop + model, milliseconds).</summary>
internal sealed record Timed<T>(string Name, T[] Values, double MsPerFace)
{
    /// <summary>Runs <paramref name="run"/> on every detected face (misses get <paramref name="missed"/>).</summary>
    public static Timed<T> Measure(string name, IReadOnlyList<LocatedFace> faces, Func<LocatedFace, T> run, T missed)
    {
        // One untimed run first, so session creation and first-run allocation are not in the mean.
        if (faces.FirstOrDefault(f => !f.Missed) is { } first) run(first);
        var values = new T[faces.Count];
        long ticks = 0;
        var n = 0;
        for (var i = 0; i < faces.Count; i++)
        {
            if (faces[i].Missed)
            {
                values[i] = missed;
                continue;
            }

            var start = Stopwatch.GetTimestamp();
            values[i] = run(faces[i]);
            ticks += Stopwatch.GetTimestamp() - start;
            n++;
        }

        return new Timed<T>(name, values, n == 0 ? 0 : Stopwatch.GetElapsedTime(0, ticks).TotalMilliseconds / n);
    }
}
