using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using ImageApi.Imaging;

namespace ImageApi.Hosting;

/// <summary>
/// Carries what the models said about the faces of the image (<see cref="FaceResults"/>: landmarks, pose, emotion,
/// mask) from one stage app to the next in the distributed pipeline, as a field of the sample. In one process the
/// stages share the <see cref="ImageSource"/> and so its results; across processes, without this, quality would run
/// the landmark, pose, emotion and mask models again on faces the earlier stages already ran them on (and, batching
/// other faces together, get other last digits than the embedded pipeline).
/// </summary>
/// <remarks>
/// A stage reads and writes the field only when it is a stage of an orchestrator (the single-service hosts:
/// <see cref="SampleEndpoints.MapImageApiService"/> with <c>pipelineStage</c>) and the call is one of the
/// orchestrator's stage calls (header <see cref="Header"/>; a client's call forwarded as it came carries no header of
/// the client's). The orchestrator takes a client's field of the same name out of the request before the first stage
/// and puts it back in the answer (<c>StagePipeline</c>), so results reach a stage only from another stage. Values are written as JSON numbers of the floats, which read back to the same floats.
/// </remarks>
public static class FaceResultsHandOff
{
    /// <summary>The sample's field (not part of the vendor contract; never in an answer of the orchestrator).</summary>
    public const string Field = "_imageapi_face_results";

    /// <summary>Request header of the orchestrator's stage calls: present (any value), the stage hands results on.</summary>
    public const string Header = "ImageApi-Face-Results";

    /// <summary>Whether the request is a stage call that hands results on.</summary>
    public static bool IsRequested(HttpRequest request) => request is not null && request.Headers.ContainsKey(Header);

    /// <summary>Adds the results carried by <paramref name="sample"/> to <paramref name="results"/> and takes the field
    /// out. An entry that is not understood is skipped: its result is computed again.</summary>
    public static void Read(JsonObject sample, FaceResults results)
    {
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(results);
        if (!sample.Remove(Field, out var node) || node is not JsonArray entries) return;
        foreach (var entry in entries.OfType<JsonObject>())
        {
            if (KeyOf(entry) is not { } key) continue;
            if (ValueOf(entry) is { } value) results.Add(key, value);
        }
    }

    /// <summary>Writes every result of <paramref name="results"/> to the field (replacing it), in a fixed order.</summary>
    public static void Write(JsonObject sample, FaceResults results)
    {
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(results);
        var entries = new JsonArray();
        foreach (var (key, value) in results.Entries
                     .OrderBy(e => e.Key.Family, StringComparer.Ordinal).ThenBy(e => e.Key.Y1).ThenBy(e => e.Key.X1)
                     .ThenBy(e => e.Key.Y2).ThenBy(e => e.Key.X2))
        {
            var entry = new JsonObject
            {
                ["family"] = key.Family,
                ["box"] = new JsonArray(JsonValue.Create(key.X1), JsonValue.Create(key.Y1), JsonValue.Create(key.X2), JsonValue.Create(key.Y2)),
            };
            switch (value)
            {
                case Vector2[] points:
                    entry["points"] = Numbers(points.SelectMany(p => new[] { p.X, p.Y }));
                    break;
                case HeadPose pose:
                    entry["pose"] = Numbers([pose.Yaw, pose.Roll, pose.Pitch]);
                    break;
                case float[] values:
                    entry["values"] = Numbers(values);
                    break;
                case float one:
                    entry["value"] = one;
                    break;
                default:
                    continue; // a result type this hand-off does not know: the next stage computes it if it needs it
            }

            entries.Add((JsonNode)entry);
        }

        sample[Field] = entries;
    }

    private static JsonArray Numbers(IEnumerable<float> values)
    {
        var array = new JsonArray();
        foreach (var v in values) array.Add((JsonNode)JsonValue.Create(v));
        return array;
    }

    private static FaceResultKey? KeyOf(JsonObject entry)
    {
        if (entry["family"] is not JsonValue f || f.GetValueKind() != JsonValueKind.String) return null;
        if (Floats(entry["box"]) is not { Length: 4 } box || box.Any(v => v != MathF.Round(v))) return null;
        return new FaceResultKey(f.GetValue<string>(), (int)box[0], (int)box[1], (int)box[2], (int)box[3]);
    }

    private static object? ValueOf(JsonObject entry)
    {
        if (Floats(entry["points"]) is { Length: > 0 } p && p.Length % 2 == 0)
        {
            var points = new Vector2[p.Length / 2];
            for (var i = 0; i < points.Length; i++) points[i] = new Vector2(p[2 * i], p[2 * i + 1]);
            return points;
        }

        if (Floats(entry["pose"]) is { Length: 3 } pose) return new HeadPose(pose[0], pose[1], pose[2]);
        if (Floats(entry["values"]) is { Length: > 0 } values) return values;
        if (entry["value"] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<float>(out var one)) return one;
        return null;
    }

    private static float[]? Floats(JsonNode? node)
    {
        if (node is not JsonArray array) return null;
        var result = new float[array.Count];
        for (var i = 0; i < result.Length; i++)
        {
            if (array[i] is not JsonValue v || v.GetValueKind() != JsonValueKind.Number || !v.TryGetValue(out result[i])
                || !float.IsFinite(result[i]))
            {
                return null;
            }
        }

        return result;
    }
}
