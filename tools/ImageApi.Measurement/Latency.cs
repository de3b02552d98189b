using System.Diagnostics;
using System.Globalization;

namespace ImageApi.Measurement;

/// <summary>Summaries of timed runs. Nearest-rank percentiles: with 30–40 runs an interpolated p90 would suggest a
/// precision the runs do not have.</summary>
public static class Latency
{
    public static double Milliseconds(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;

    public static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) return double.NaN;
        return sorted[Math.Clamp((int)Math.Floor(p * (sorted.Length - 1) + 0.5), 0, sorted.Length - 1)];
    }

    public static double Median(IEnumerable<double> values) => Percentile(values, 0.5);

    /// <summary>"median (p90)" with one decimal, for a results table.</summary>
    public static string Cell(IEnumerable<double> values)
    {
        var list = values as IReadOnlyCollection<double> ?? values.ToList();
        return string.Create(CultureInfo.InvariantCulture, $"{Percentile(list, 0.5):F1} ({Percentile(list, 0.9):F1})");
    }
}
