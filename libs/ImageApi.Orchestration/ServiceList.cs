namespace ImageApi.Orchestration;

/// <summary>Validates the services of a pipeline: at least one, each a vendor service name, none twice.</summary>
public static class ServiceList
{
    /// <summary>Splits comma-separated values (<c>services=a,b</c> or <c>services=a&amp;services=b</c>).</summary>
    public static List<string> Split(IEnumerable<string?> values) =>
        [.. values.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];

    /// <summary>Null when valid; else the index of the offending entry (-1: the list itself) and why.</summary>
    public static (int Index, string Message)? Check(IReadOnlyList<string> services)
    {
        if (services.Count == 0) return (-1, "At least one service is required");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < services.Count; i++)
        {
            if (!ServiceNames.IsKnown(services[i])) return (i, $"Unknown service '{services[i]}'");
            if (!seen.Add(services[i])) return (i, $"Service '{services[i]}' is listed twice");
        }

        return null;
    }
}
