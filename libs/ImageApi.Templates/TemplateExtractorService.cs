using System.Numerics;
using System.Text.Json.Nodes;
using ImageApi.Contracts;
using ImageApi.Faces;
using ImageApi.Imaging;

namespace ImageApi.Templates;

/// <summary>
/// <c>template-extractor</c>: the faces of the request (face-detector-face-fitter output) get a template each. The 5
/// alignment points are the fitter's left_eye, right_eye, nose, mouth_left, mouth_right; a face that carries only a
/// bbox gets the landmarks fitted in it first (<see cref="FaceFitting.FivePointsOf"/>), so both paths align on the same kind of landmarks.
/// All faces go through the embedding model in one batch.
/// </summary>
public sealed class TemplateExtractorService(FaceFitting fitting, FaceTemplateExtractor extractor,
    IOptions<FaceTemplateOptions> options) : FaceAttributeService<byte[]>
{
    protected override IReadOnlyList<byte[]> Estimate(ImageSource image, IReadOnlyList<FaceInput> faces, ApiVersion version,
        CancellationToken ct)
    {
        foreach (var face in faces)
        {
            if (face.FivePoints is { } five) CheckPoints(five, face.Index, version, image);
        }

        // The request's points, or the landmarks fitted in a box-only face's box (the landmark model only: no pose).
        return extractor.Templates(image, fitting.FivePointsOf(image, faces, ct), ct);
    }

    protected override void Write(JsonObject face, byte[] template, ApiVersion version) =>
        TemplateFields.Write(face, template, version, options.Value.V2KeyFor(extractor.Method));

    /// <summary>
    /// Client keypoints must describe a face the alignment can map onto the template: the aligned region (112 px of
    /// the template, 112 / scale original pixels) between 2 px and 8× the photo. Else 422 at the keypoints.
    /// </summary>
    private static void CheckPoints(Vector2[] five, int index, ApiVersion version, ImageSource image)
    {
        var region = 0f;
        try
        {
            region = FaceAligner.ArcFaceSize / FaceAligner.Umeyama(five, FaceAligner.ArcFaceTemplate).ScaleFactor;
        }
        catch (ArgumentException)
        {
            region = 0;
        }

        if (!(region >= 2 && region <= 8f * Math.Max(image.Width, image.Height)))
        {
            object[] loc = version == ApiVersion.V1
                ? [FieldNames.Objects, index, FieldNames.Fitter, FieldNames.Keypoints]
                : [FieldNames.Objects, index, FieldNames.Keypoints];
            throw ApiException.Invalid("keypoints do not describe a face that can be aligned (eyes, nose and mouth coincide or span far beyond the image)",
                "value_error", loc);
        }
    }
}
