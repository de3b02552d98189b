using System.Globalization;

namespace ImageApi.Measurement;

/// <summary>The <c>--name value</c> arguments of a benchmark or tool (culture-invariant numbers).</summary>
public sealed class ToolArguments(string[] args)
{
    public string? String(string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    public string String(string name, string fallback) => String(name) ?? fallback;

    /// <summary>The first argument that is not an option or an option's value (a tool's sub-command).</summary>
    public string? Command()
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal))
            {
                if (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal)) i++;
                continue;
            }

            return args[i];
        }

        return null;
    }

    public bool Flag(string name) => Array.IndexOf(args, name) >= 0;

    public int Int(string name, int fallback) => String(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public double Double(string name, double fallback) =>
        String(name) is { } v ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
}
