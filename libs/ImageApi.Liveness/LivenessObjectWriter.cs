using System.Text.Json.Nodes;
using ImageApi.Contracts;

namespace ImageApi.Liveness;

/// <summary>Writes <c>liveness: {confidence, value}</c>: v1 "REAL"/"FAKE", v2 "real"/"fake" (shared/spec/README.md);
/// confidence is the calibrated probability of the returned value.</summary>
public static class LivenessObjectWriter
{
    public const string Field = "liveness";

    public static void Write(JsonObject face, LivenessDecision decision, ApiVersion version)
    {
        var value = decision.IsReal ? "real" : "fake";
        face[Field] = new JsonObject
        {
            [FieldNames.Confidence] = Math.Round(decision.Confidence, 6),
            ["value"] = version == ApiVersion.V1 ? value.ToUpperInvariant() : value,
        };
    }
}
