using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ImageApi.Measurement;

/// <summary>Writes a results file and says where. Timings on a shared machine mean little without its load, so every
/// report can state it.</summary>
public static class ResultsFile
{
    /// <summary>The 1, 5 and 15 minute load averages (Linux), or "n/a".</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    /// <summary>When and where a run happened, for the machine-readable results: UTC date, CPUs and OS, load at start.</summary>
    public static JsonObject RunFacts() => new()
    {
        ["date"] = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture),
        ["machine"] = $"{Environment.ProcessorCount} logical CPUs, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}",
        ["load_average_at_start"] = LoadAverage(),
    };

    public static void Write(string path, StringBuilder report) => Write(path, report.ToString());

    /// <summary>The report and, beside it with the extension .json, its numbers.</summary>
    public static void Write(string path, StringBuilder report, JsonObject numbers)
    {
        Write(path, report);
        var json = Path.ChangeExtension(path, ".json");
        File.WriteAllText(json, numbers.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        Console.WriteLine("written " + json);
    }

    public static void Write(string path, string report)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, report);
        Console.WriteLine("written " + path);
    }
}
