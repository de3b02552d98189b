using System.Text.Json.Nodes;
using ImageApi.Contracts;
using Microsoft.Extensions.Options;

namespace ImageApi.Attributes;

/// <summary><c>gender-estimator</c>: writes <c>gender</c> ("MALE"/"FEMALE" in v1, "male"/"female" in v2) on every face
/// object with a bbox.</summary>
public sealed class GenderEstimatorService(AgeGenderEstimator estimator, IOptions<FaceAttributesOptions> options)
    : FaceAttributeService<float>
{
    protected override IReadOnlyList<float> Estimate(ImageSource image, IReadOnlyList<FaceInput> faces, ApiVersion version,
        CancellationToken ct) => estimator.EstimateFemaleProbability(image, faces, ct);

    protected override void Write(JsonObject face, float pFemale, ApiVersion version)
    {
        var value = pFemale > options.Value.FemaleThreshold ? "FEMALE" : "MALE";
        AttributeWriter.Set(face, "gender", version == ApiVersion.V1 ? value : value.ToLowerInvariant());
    }
}
