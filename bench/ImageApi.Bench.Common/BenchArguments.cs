using System.Globalization;

namespace ImageApi.Bench;

/// <summary>The <c>--name value</c> arguments of a benchmark (culture-invariant numbers).</summary>
public sealed class BenchArguments(string[] args)
{
    public string? String(string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    public string String(string name, string fallback) => String(name) ?? fallback;

    public int Int(string name, int fallback) => String(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public double Double(string name, double fallback) =>
        String(name) is { } v ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
}
