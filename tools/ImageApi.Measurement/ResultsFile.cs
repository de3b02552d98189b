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

    /// <summary>A Markdown report that starts with its title and when, where and under what load it ran, then
    /// <paramref name="setup"/> (what was measured and how).</summary>
    public static StringBuilder StartReport(string title, JsonObject facts, string setup)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return new StringBuilder()
            .AppendLine("# " + title)
            .AppendLine()
            .AppendLine($"{facts["date"]} UTC, {facts["machine"]}, load average at start {facts["load_average_at_start"]} " +
                        "(a shared VM: compare ratios, not absolute times). " + setup)
            .AppendLine();
    }

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
