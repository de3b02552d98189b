using System.Globalization;
using System.Text.Json.Nodes;
using ImageApi.Contracts;

namespace ImageApi.Attributes;

/// <summary><c>age-estimator</c>: writes <c>age</c>, a string of whole years ("25"), on every face object with a bbox.</summary>
public sealed class AgeEstimatorService(AgeGenderEstimator estimator) : FaceAttributeService<float>
{
    protected override IReadOnlyList<float> Estimate(ImageSource image, IReadOnlyList<FaceInput> faces, ApiVersion version,
        CancellationToken ct) => estimator.EstimateAge(image, faces, ct);

    protected override void Write(JsonObject face, float age, ApiVersion version)
    {
        var years = (int)MathF.Round(age, MidpointRounding.AwayFromZero);
        AttributeWriter.Set(face, "age", years.ToString(CultureInfo.InvariantCulture));
    }
}
