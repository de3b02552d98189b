using System.Text.Json.Nodes;
using ImageApi.Contracts;
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
    public string Name => ServiceNames.FaceDetectorTemplateExtractor;

    public ValueTask ProcessAsync(Sample sample, CancellationToken ct)
    {
        var image = sample.RequireImage();
        var faces = fitting.Fit(image, ct);
        var blobs = extractor.Templates(image, [.. faces.Select(f => f.FivePoints)], ct);
        var v2Key = options.Value.V2KeyFor(extractor.Method);
        using var activity = ImageApiTelemetry.StartStage("serialize");
        var objects = sample.RemoveObjectsOfClass(FieldNames.ClassFace);
        var firstId = sample.FirstFreeId();

        for (var i = 0; i < faces.Count; i++)
        {
            var o = new JsonObject();
            FaceObjectWriter.WriteDetection(o, firstId + i, faces[i], image.Width, image.Height);
            TemplateFields.Write(o, blobs[i], sample.Version, v2Key);
            objects.Add((JsonNode)o);
        }

        return ValueTask.CompletedTask;
    }
}
