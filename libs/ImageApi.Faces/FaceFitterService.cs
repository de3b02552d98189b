using ImageApi.Inference;

namespace ImageApi.Faces;

/// <summary>
/// <c>face-detector-face-fitter</c>: finds every face and writes, per face, the detection and the fitting
/// (<see cref="FaceObjectWriter"/>). The <c>objects</c> array becomes: the client's objects of any class other than
/// "face", in their order, then the detected faces (ids 0..n−1 by descending confidence). Face objects the client
/// sent are replaced by the detection — this service is the one that decides where faces are.
/// </summary>
public sealed class FaceFitterService(FaceFitting fitting) : IImageApiService
{
    public ValueTask ProcessAsync(Sample sample, CancellationToken ct)
    {
        var image = sample.RequireImage();
        var faces = fitting.Fit(image, ct);
        using var activity = ImageApiTelemetry.StartStage("serialize");
        FaceObjectWriter.ReplaceFaceObjects(sample, image, faces,
            (o, i) => FaceObjectWriter.WriteFitting(o, faces[i], sample.Version, image.Width, image.Height));
        return ValueTask.CompletedTask;
    }
}
