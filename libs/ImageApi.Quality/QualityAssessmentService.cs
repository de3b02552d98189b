using ImageApi.Contracts;
using ImageApi.Samples;

namespace ImageApi.Quality;

/// <summary>
/// <c>quality-assessment-estimator</c>: faces from the fitter (bbox with v1 <c>fitter</c>/<c>angles</c> or v2
/// <c>keypoints</c>/<c>pose</c>) → <c>quality</c> with the 29 fields added to each face object; everything else passes
/// through. A face that carries only a bbox is fitted here (landmarks and pose from the same models the fitter uses).
/// </summary>
public sealed class QualityAssessmentService(QualityAssessor assessor) : IImageApiService
{
    public string Name => ServiceNames.QualityAssessmentEstimator;

    public ValueTask ProcessAsync(Sample sample, CancellationToken ct)
    {
        var image = sample.RequireImage();
        var faces = FaceObjectReader.ReadFaces(sample);
        IReadOnlyList<FaceQuality> qualities;
        try
        {
            qualities = assessor.Assess(image, faces, ct);
        }
        catch (FaceGeometryException e)
        {
            object[] loc = sample.Version == ApiVersion.V1
                ? [FieldNames.Objects, e.FaceIndex, FieldNames.Fitter, FieldNames.Keypoints]
                : [FieldNames.Objects, e.FaceIndex, FieldNames.Keypoints];
            throw ApiException.Invalid(e.Message, "value_error", loc);
        }

        for (var i = 0; i < faces.Count; i++) QualityObjectWriter.Write(faces[i].Object, qualities[i], sample.Version);
        return ValueTask.CompletedTask;
    }
}
