using System.Globalization;
using ImageApi.Contracts;

namespace ImageApi.Attributes;

/// <summary><c>age-estimator</c>: writes <c>age</c>, a string of whole years ("25"), on every face object with a bbox.</summary>
public sealed class AgeEstimatorService(AgeGenderEstimator estimator) : IImageApiService
{
    public string Name => ServiceNames.AgeEstimator;

    public ValueTask ProcessAsync(Sample sample, CancellationToken ct)
    {
        var faces = FaceObjectReader.ReadFaces(sample);
        var ages = estimator.EstimateAge(sample.RequireImage(), faces, ct);
        for (var i = 0; i < faces.Count; i++)
        {
            var years = (int)MathF.Round(ages[i], MidpointRounding.AwayFromZero);
            AttributeWriter.Set(faces[i].Object, "age", years.ToString(CultureInfo.InvariantCulture));
        }

        return ValueTask.CompletedTask;
    }
}
