using ImageApi.Faces;
using ImageApi.Inference;

namespace ImageApi.Templates;

/// <summary>
/// <c>face-detector-template-extractor</c>: finds every face (the fitting stage, so the 5 alignment points are the
/// same landmarks template-extractor reads from the fitter's output) and writes, per face, the detection fields and
/// its template. Like face-detector-face-fitter, client objects of other classes stay and face objects are replaced.
/// </summary>
public sealed class FaceDetectorTemplateExtractorService(FaceFitting fitting, FaceTemplateExtractor extractor,
    IOptions<FaceTemplateOptions> options) : IImageApiService
{
    public ValueTask ProcessAsync(Sample sample, CancellationToken ct)
    {
        var image = sample.RequireImage();
        var faces = fitting.Fit(image, ct);
        var blobs = extractor.Templates(image, [.. faces.Select(f => f.FivePoints)], ct);
        var v2Key = options.Value.V2KeyFor(extractor.Method);
        using var activity = ImageApiTelemetry.StartStage("serialize");
        FaceObjectWriter.ReplaceFaceObjects(sample, image, faces, (o, i) => TemplateFields.Write(o, blobs[i], sample.Version, v2Key));
        return ValueTask.CompletedTask;
    }
}
