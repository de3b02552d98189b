using System.Text.Json.Nodes;
using ImageApi.Contracts;
using ImageApi.Imaging;
using ImageApi.Samples;

namespace ImageApi.Quality;

/// <summary>
/// <c>quality-assessment-estimator</c>: faces from the fitter (bbox with v1 <c>fitter</c>/<c>angles</c> or v2
/// <c>keypoints</c>/<c>pose</c>) → <c>quality</c> with the 29 fields added to each face object; everything else passes
/// through. A face that carries only a bbox is fitted here (landmarks and pose from the same models the fitter uses).
/// </summary>
public sealed class QualityAssessmentService(QualityAssessor assessor) : FaceAttributeService<FaceQuality>
{
    protected override IReadOnlyList<FaceQuality> Estimate(ImageSource image, IReadOnlyList<FaceInput> faces,
        ApiVersion version, CancellationToken ct)
    {
        try
        {
            return assessor.Assess(image, faces, ct);
        }
        catch (FaceGeometryException e)
        {
            object[] loc = version == ApiVersion.V1
                ? [FieldNames.Objects, e.FaceIndex, FieldNames.Fitter, FieldNames.Keypoints]
                : [FieldNames.Objects, e.FaceIndex, FieldNames.Keypoints];
            throw ApiException.Invalid(e.Message, "value_error", loc);
        }
    }

    protected override void Write(JsonObject face, FaceQuality quality, ApiVersion version) =>
        QualityObjectWriter.Write(face, quality, version);
}
