using System.Text.Json.Nodes;
using ImageApi.Contracts;
using Microsoft.Extensions.Options;

namespace ImageApi.Attributes;

/// <summary><c>mask-estimator</c>: writes v1 <c>mask</c> / v2 <c>has_medical_mask</c> = <c>{confidence, value}</c>, where
/// confidence is P(mask) whichever the value.</summary>
public sealed class MaskEstimatorService(MaskEstimator estimator, IOptions<FaceAttributesOptions> options) : IImageApiService
{
    public string Name => ServiceNames.MaskEstimator;

    public ValueTask ProcessAsync(Sample sample, CancellationToken ct)
    {
        var faces = FaceObjectReader.ReadFaces(sample);
        var pMask = estimator.Estimate(sample.RequireImage(), faces, ct);
        for (var i = 0; i < faces.Count; i++)
        {
            var value = new JsonObject
            {
                [FieldNames.Confidence] = (double)pMask[i],
                ["value"] = pMask[i] >= options.Value.MaskThreshold,
            };
            AttributeWriter.Set(faces[i].Object, sample.Version == ApiVersion.V1 ? "mask" : "has_medical_mask", value);
        }

        return ValueTask.CompletedTask;
    }
}
