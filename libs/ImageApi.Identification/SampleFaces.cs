using ImageApi.Hosting;
using ImageApi.Templates;

namespace ImageApi.Identification;

/// <summary>A face of a sample with its template.</summary>
public sealed record SampleFace(int Index, JsonObject Object, FaceTemplate Template);

/// <summary>
/// The templates of a sample's faces, made the way the template services make them: objects that carry templates
/// are read as they are (another method or version is refused with 422, naming both); else, with an image, the
/// client's face objects get templates as template-extractor gives them, or — no face objects — every face is
/// found and extracted as face-detector-template-extractor does.
/// </summary>
public sealed class SampleFaces(
    FaceDetectorTemplateExtractorService detectAndExtract, TemplateExtractorService extract, InferenceThreads inference)
{
    public async Task<List<SampleFace>> TemplatesAsync(Sample sample, CancellationToken ct)
    {
        var faces = WithTemplates(sample);
        if (faces.Count > 0) return faces;
        if (sample.Image is null)
        {
            throw ApiException.Invalid("Objects with templates (\"$template\" v1, \"template\" v2) or an image are required", "missing", FieldNames.Objects);
        }

        // Enrolment calls this from its own route: the model work goes to the low-priority threads as on the service
        // routes (from face-identifier's ProcessAsync, already there, it runs inline).
        if (sample.ObjectsOfClass(FieldNames.ClassFace).Any()) await inference.RunAsync(() => extract.ProcessAsync(sample, ct));
        else await inference.RunAsync(() => detectAndExtract.ProcessAsync(sample, ct));
        return WithTemplates(sample);
    }

    /// <summary>The face to enrol from a sample: every object that carries a template; else the face objects the client
    /// gave (each extracted); else the largest face found in the image. 422 when there is none.</summary>
    public async Task<List<SampleFace>> EnrolmentAsync(Sample sample, CancellationToken ct)
    {
        var hadFaces = sample.ObjectsOfClass(FieldNames.ClassFace).Any() || WithTemplates(sample).Count > 0;
        var faces = await TemplatesAsync(sample, ct);
        if (faces.Count == 0)
        {
            throw ApiException.Invalid("No face was found in the image", "value_error", sample.Version == ApiVersion.V1 ? FieldNames.ImageV1 : FieldNames.ImageV2);
        }

        if (hadFaces) return faces;
        return [faces.MaxBy(f => Area(f.Object, f.Index))!];
    }

    private static List<SampleFace> WithTemplates(Sample sample)
    {
        var list = new List<SampleFace>();
        var objects = sample.Objects;
        for (var i = 0; i < objects.Count; i++)
        {
            if (objects[i] is JsonObject o && TemplateFields.Has(o, sample.Version))
            {
                list.Add(new SampleFace(i, o, TemplateFields.Read(o, sample.Version, i)));
            }
        }

        return list;
    }

    private static float Area(JsonObject o, int index) =>
        o[FieldNames.Bbox] is null ? 0 : FaceObjectReader.ReadRelativeBox(o[FieldNames.Bbox], index).Area;
}
