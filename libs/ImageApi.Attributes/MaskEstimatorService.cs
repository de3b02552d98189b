using System.Text.Json.Nodes;
using ImageApi.Contracts;
using Microsoft.Extensions.Options;

namespace ImageApi.Attributes;

/// <summary><c>mask-estimator</c>: writes v1 <c>mask</c> / v2 <c>has_medical_mask</c> = <c>{confidence, value}</c>, where
/// confidence is P(mask) whichever the value.</summary>
public sealed class MaskEstimatorService(MaskEstimator estimator, IOptions<FaceAttributesOptions> options)
    : FaceAttributeService<float>
{
    protected override IReadOnlyList<float> Estimate(ImageSource image, IReadOnlyList<FaceInput> faces, ApiVersion version,
        CancellationToken ct) => estimator.Estimate(image, faces, ct);

    protected override void Write(JsonObject face, float pMask, ApiVersion version)
    {
        var value = new JsonObject
        {
            [FieldNames.Confidence] = (double)pMask,
            ["value"] = pMask >= options.Value.MaskThreshold,
        };
        AttributeWriter.Set(face, version == ApiVersion.V1 ? "mask" : "has_medical_mask", value);
    }
}
