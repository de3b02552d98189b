using System.Text.Json.Nodes;
using ImageApi.Contracts;
using ImageApi.Inference;

namespace ImageApi.Templates;

/// <summary>
/// <c>verify-matcher</c>: exactly two objects carrying templates (no image) → top-level
/// <c>verification {distance, fa_r, fr_r, score}</c> from the reference ROC of the templates' method; the objects are
/// echoed unchanged. Templates of two different methods are refused (422 naming both).
/// </summary>
public sealed class VerifyMatcherService(ReferenceRoc roc, IOptions<FaceTemplateOptions> options) : IImageApiService
{
    public bool NeedsImage => false;

    public ValueTask ProcessAsync(Sample sample, CancellationToken ct)
    {
        using var activity = ImageApiTelemetry.StartStage("verify");
        var objects = sample.Objects;
        var withTemplates = new List<(int Index, JsonObject Object)>();
        for (var i = 0; i < objects.Count; i++)
        {
            if (objects[i] is JsonObject o && TemplateFields.Has(o, sample.Version)) withTemplates.Add((i, o));
        }

        if (withTemplates.Count != 2)
        {
            throw ApiException.Invalid(
                $"Exactly two objects with templates are required, got {withTemplates.Count}", "value_error", FieldNames.Objects);
        }

        var a = TemplateFields.Read(withTemplates[0].Object, sample.Version, withTemplates[0].Index, options.Value.DropInKey);
        var b = TemplateFields.Read(withTemplates[1].Object, sample.Version, withTemplates[1].Index, options.Value.DropInKey);
        if (a.Method != b.Method)
        {
            // Vectors of two models live in unrelated spaces: no distance between them means anything.
            throw ApiException.Invalid($"object {withTemplates[0].Index} holds a template of {a.Method}, object {withTemplates[1].Index} one of {b.Method}: " +
                                       FaceTemplate.MismatchMessage(a.Method, b.Method), "value_error", FieldNames.Objects);
        }

        var v = Verification.Of(a, b, roc);
        sample.Root[FieldNames.Verification] = new JsonObject
        {
            ["distance"] = v.Distance,
            ["fa_r"] = v.FaR,
            ["fr_r"] = v.FrR,
            ["score"] = v.Score,
        };
        return ValueTask.CompletedTask;
    }
}
