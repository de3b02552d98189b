using ImageApi.Faces;

namespace ImageApi.Liveness;

/// <summary>
/// <c>face-detector-liveness-estimator</c>: image only → every face the fitting stage finds (the same faces as
/// face-detector-face-fitter), each with the detector's fields (id, class, confidence, bbox) plus <c>liveness</c>.
/// Face objects the client sent are replaced; objects of other classes are kept as they came.
/// </summary>
public sealed class FaceDetectorLivenessService(FaceFitting fitting, LivenessEstimator estimator) : IImageApiService
{
    public ValueTask ProcessAsync(Sample sample, CancellationToken ct)
    {
        var image = sample.RequireImage();
        var faces = fitting.Fit(image, ct);
        var decisions = estimator.Estimate(image, [.. faces.Select((f, i) => BoxAsWritten(f, i, image))], ct);
        FaceObjectWriter.ReplaceFaceObjects(sample, image, faces, (o, i) => LivenessObjectWriter.Write(o, decisions[i], sample.Version));
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// The liveness crop is built from the bbox as written (clamped, relative), read back exactly as
    /// liveness-estimator reads it: the same face then gives the same pixels, and the same answer, in both.
    /// </summary>
    private static Box BoxAsWritten(FittedFace face, int index, ImageSource image)
    {
        var rel = FaceObjectReader.ReadRelativeBox(FaceObjectWriter.Bbox(face.Box, image.Width, image.Height), index);
        return new Box(rel.X1 * image.Width, rel.Y1 * image.Height, rel.X2 * image.Width, rel.Y2 * image.Height);
    }
}
