using System.Globalization;

namespace ImageApi.Eval.Attributes;

/// <summary>CPU time of the calling thread from the Linux scheduler (<c>/proc/thread-self/schedstat</c>, first field,
/// nanoseconds on a CPU). With 1 ONNX Runtime intra-op thread the model runs on the calling thread, so a face's CPU time
/// is its cost on one idle core; unlike wall time it does not grow while other jobs of the shared machine hold the
/// cores. NaN where the file is not available (the callers then fall back to wall time).</summary>
internal static class ThreadCpu
{
    private const string Path = "/proc/thread-self/schedstat";

    public static double NowMs()
    {
        try
        {
            var text = File.ReadAllText(Path);
            var end = text.IndexOf(' ', StringComparison.Ordinal);
            return long.Parse(end < 0 ? text : text[..end], CultureInfo.InvariantCulture) / 1e6;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return double.NaN;
        }
    }
}
