using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace ImageApi.Measurement;

/// <summary>A benchmark's JSON POST: wall time from sending to the answer's last byte, the answer, and what the host
/// said of its own time (<c>Server-Timing</c>: app, model, stage spans).</summary>
public static class TimedPost
{
    /// <summary>POSTs a body serialised beforehand (the client's own JSON work is not the host's); a non-2xx answer throws.</summary>
    public static async Task<TimedAnswer> JsonAsync(HttpClient http, Uri uri, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(http);
        var started = Stopwatch.GetTimestamp();
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync(uri, content);
        var text = await response.Content.ReadAsStringAsync();
        var wall = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{uri}: HTTP {(int)response.StatusCode} {text[..Math.Min(300, text.Length)]}");
        var (timing, runs) = ServerTiming(response.Headers.TryGetValues("Server-Timing", out var values) ? string.Join(',', values) : "");
        return new TimedAnswer(wall, JsonNode.Parse(text)!.AsObject(), timing, runs);
    }

    /// <summary>The metrics of a <c>Server-Timing</c> header (milliseconds by name, repeated names added up) and the
    /// model runs of its <c>model</c> metric (<c>desc="N runs"</c>; 0 without).</summary>
    public static (Dictionary<string, double> Metrics, int ModelRuns) ServerTiming(string header)
    {
        var metrics = new Dictionary<string, double>();
        var runs = 0;
        foreach (var metric in (header ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = metric.Split(';');
            var dur = parts.FirstOrDefault(p => p.StartsWith("dur=", StringComparison.Ordinal));
            if (dur is null) continue;
            metrics[parts[0]] = metrics.GetValueOrDefault(parts[0]) + double.Parse(dur[4..], CultureInfo.InvariantCulture);
            var desc = parts.FirstOrDefault(p => p.StartsWith("desc=", StringComparison.Ordinal));
            if (parts[0] == "model" && desc is not null) runs = int.Parse(desc[5..].Trim('"').Split(' ')[0], CultureInfo.InvariantCulture);
        }

        return (metrics, runs);
    }
}

/// <summary>One answer of <see cref="TimedPost"/>.</summary>
public sealed record TimedAnswer(double WallMs, JsonObject Body, IReadOnlyDictionary<string, double> Timing, int ModelRuns)
{
    /// <summary>A Server-Timing metric in milliseconds, NaN when the host did not send it.</summary>
    public double Metric(string name) => Timing.TryGetValue(name, out var ms) ? ms : double.NaN;
}
