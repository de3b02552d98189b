using System.Diagnostics;

namespace ImageApi.Inference;

/// <summary>
/// The model time of one request: every <see cref="OnnxModel"/> run inside the request's async flow adds its wall time
/// here. The host reports it in the <c>Server-Timing</c> header, so a benchmark can set each request's end-to-end time
/// against the raw model time of exactly the runs that request performed (bench/run.sh).
/// </summary>
public sealed class ModelTime
{
    private static readonly AsyncLocal<ModelTime?> Current = new();
    private readonly Dictionary<string, double> _stages = [];
    private long _ticks;
    private int _runs;

    /// <summary>Starts counting for the current async flow (a request) and returns the counter.</summary>
    public static ModelTime Begin()
    {
        var time = new ModelTime();
        Current.Value = time;
        return time;
    }

    /// <summary>Total model wall time so far.</summary>
    public double Milliseconds => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _ticks)).TotalMilliseconds;

    /// <summary>Model runs so far.</summary>
    public int Runs => Volatile.Read(ref _runs);

    /// <summary>Wall milliseconds per stage span ("stage decode", "stage detect", …) ended in this request; nested stages
    /// overlap (quality contains its own crops), so they describe where the time goes, they do not add up.</summary>
    public IReadOnlyDictionary<string, double> Stages
    {
        get
        {
            lock (_stages) return new Dictionary<string, double>(_stages);
        }
    }

    /// <summary>Adds a finished stage span to the current request, if one is being counted.</summary>
    public static void RecordStage(string stage, TimeSpan duration)
    {
        if (Current.Value is not { } time) return;
        lock (time._stages) time._stages[stage] = time._stages.GetValueOrDefault(stage) + duration.TotalMilliseconds;
    }

    internal static void Record(long elapsedTicks)
    {
        if (Current.Value is not { } time) return;
        Interlocked.Add(ref time._ticks, elapsedTicks);
        Interlocked.Increment(ref time._runs);
    }
}
