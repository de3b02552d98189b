using System.Globalization;

namespace ImageApi.Measurement;

/// <summary>Resident memory of a process (Linux <c>/proc/{pid}/status</c>, VmRSS): what the operating system holds for
/// it, the number a container limit is checked against — not the GC heap.</summary>
public static class ProcessMemory
{
    /// <summary>RSS in bytes, or -1 where it cannot be read (not Linux, the process is gone).</summary>
    public static long RssBytes(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return -1;
    }

    /// <summary>RSS in MB (2^20 bytes), or NaN where it cannot be read.</summary>
    public static double RssMegabytes(int pid) => RssBytes(pid) is var b and >= 0 ? b / (1024.0 * 1024) : double.NaN;
}
