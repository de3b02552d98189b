using System.Runtime.InteropServices;

namespace ImageApi.Eval.Attributes;

/// <summary>CPU time of the calling thread (<c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c>, nanosecond-exact on Linux;
/// the scheduler's /proc counters only move at ticks). With 1 ONNX Runtime intra-op thread the model runs on the
/// calling thread, so a face's CPU time is its cost on one idle core; unlike wall time it does not grow while other
/// jobs of the shared machine hold the cores. NaN off Linux (the callers then fall back to wall time).</summary>
internal static partial class ThreadCpu
{
    private const int ClockThreadCpuTimeId = 3;

    public static double NowMs()
    {
        if (!OperatingSystem.IsLinux()) return double.NaN;
        return ClockGetTime(ClockThreadCpuTimeId, out var t) == 0 ? t.Seconds * 1e3 + t.Nanoseconds / 1e6 : double.NaN;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

#pragma warning disable SYSLIB1054 // LibraryImport needs unsafe code enabled for this tool; a blittable out struct marshals as is.
    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);
#pragma warning restore SYSLIB1054
}
