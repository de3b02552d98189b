using System.Text.Json.Nodes;
using ImageApi.Contracts;

namespace ImageApi.Attributes;

/// <summary><c>emotion-estimator</c>: writes <c>emotions</c>, all seven <c>{confidence, emotion}</c> pairs in the
/// spec's fixed class order (not sorted by confidence; names upper case in v1, lower case in v2), summing to 1.</summary>
public sealed class EmotionEstimatorService(EmotionEstimator estimator) : FaceAttributeService<float[]>
{
    protected override IReadOnlyList<float[]> Estimate(ImageSource image, IReadOnlyList<FaceInput> faces, ApiVersion version,
        CancellationToken ct) => estimator.Estimate(image, faces, ct);

    protected override void Write(JsonObject face, float[] probs, ApiVersion version)
    {
        var list = new JsonArray();
        for (var e = 0; e < EmotionEstimator.Emotions.Length; e++)
        {
            var name = EmotionEstimator.Emotions[e];
            list.Add((JsonNode)new JsonObject
            {
                [FieldNames.Confidence] = (double)probs[e],
                ["emotion"] = version == ApiVersion.V1 ? name : name.ToLowerInvariant(),
            });
        }

        AttributeWriter.Set(face, "emotions", list);
    }
}
