using System.Text;

namespace ImageApi.Measurement;

/// <summary>Writes a results file and says where. Timings on a shared machine mean little without its load, so every
/// report can state it.</summary>
public static class ResultsFile
{
    /// <summary>The 1, 5 and 15 minute load averages (Linux), or "n/a".</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    public static void Write(string path, StringBuilder report) => Write(path, report.ToString());

    public static void Write(string path, string report)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, report);
        Console.WriteLine("written " + path);
    }
}
