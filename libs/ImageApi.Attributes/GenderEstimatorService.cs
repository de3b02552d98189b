using ImageApi.Contracts;
using Microsoft.Extensions.Options;

namespace ImageApi.Attributes;

/// <summary><c>gender-estimator</c>: writes <c>gender</c> ("MALE"/"FEMALE" in v1, "male"/"female" in v2) on every face
/// object with a bbox.</summary>
public sealed class GenderEstimatorService(AgeGenderEstimator estimator, IOptions<FaceAttributesOptions> options) : IImageApiService
{
    public string Name => ServiceNames.GenderEstimator;

    public ValueTask ProcessAsync(Sample sample, CancellationToken ct)
    {
        var faces = FaceObjectReader.ReadFaces(sample);
        var pFemale = estimator.EstimateFemaleProbability(sample.RequireImage(), faces, ct);
        for (var i = 0; i < faces.Count; i++)
        {
            var female = pFemale[i] > options.Value.FemaleThreshold;
            var value = female ? "FEMALE" : "MALE";
            AttributeWriter.Set(faces[i].Object, "gender", sample.Version == ApiVersion.V1 ? value : value.ToLowerInvariant());
        }

        return ValueTask.CompletedTask;
    }
}
