using System.Text.Json.Nodes;
using ImageApi.Contracts;

namespace ImageApi.Attributes;

/// <summary><c>emotion-estimator</c>: writes <c>emotions</c>, all seven <c>{confidence, emotion}</c> pairs in the
/// spec's fixed class order (not sorted by confidence; names upper case in v1, lower case in v2), summing to 1.</summary>
public sealed class EmotionEstimatorService(EmotionEstimator estimator) : IImageApiService
{
    public string Name => ServiceNames.EmotionEstimator;

    public ValueTask ProcessAsync(Sample sample, CancellationToken ct)
    {
        var faces = FaceObjectReader.ReadFaces(sample);
        var probs = estimator.Estimate(sample.RequireImage(), faces, ct);
        for (var i = 0; i < faces.Count; i++)
        {
            var list = new JsonArray();
            for (var e = 0; e < EmotionEstimator.Emotions.Length; e++)
            {
                var name = EmotionEstimator.Emotions[e];
                list.Add((JsonNode)new JsonObject
                {
                    [FieldNames.Confidence] = (double)probs[i][e],
                    ["emotion"] = sample.Version == ApiVersion.V1 ? name : name.ToLowerInvariant(),
                });
            }

            AttributeWriter.Set(faces[i].Object, "emotions", list);
        }

        return ValueTask.CompletedTask;
    }
}
