using System.Text.Json.Nodes;
using ImageApi.Contracts;
using ImageApi.Samples;
using Microsoft.Extensions.DependencyInjection;

namespace ImageApi.Eval.Attributes;

/// <summary>Runs one attribute service exactly as the host does (keyed <see cref="IImageApiService"/>, shipped settings)
/// on the face object face-detector-face-fitter produced, and reads its answer back from the JSON.</summary>
internal sealed class ShippedPipeline(IServiceProvider services)
{
    public JsonObject Run(string service, LocatedFace face, CancellationToken ct) => Run(service, face, face.RequestObject(), ct);

    private JsonObject Run(string service, LocatedFace face, JsonObject o, CancellationToken ct)
    {
        var sample = new Sample(new JsonObject { [FieldNames.Objects] = new JsonArray(o) }, ApiVersion.V2, face.Image);
        var task = services.GetRequiredKeyedService<IImageApiService>(service).ProcessAsync(sample, ct);
        if (!task.IsCompletedSuccessfully) task.AsTask().GetAwaiter().GetResult();
        return o;
    }

    public float FemaleProbabilityOf(LocatedFace f, CancellationToken ct) =>
        Run(ServiceNames.GenderEstimator, f, ct)["gender"]!.GetValue<string>() == "female" ? 1f : 0f;

    public float AgeOf(LocatedFace f, CancellationToken ct) =>
        float.Parse(Run(ServiceNames.AgeEstimator, f, ct)["age"]!.GetValue<string>(), CultureInfo.InvariantCulture);

    /// <summary>The emotion service's 7 confidences; with <paramref name="wholeImage"/> the request carries only a
    /// bbox of the whole picture (a client sending an already-cropped face the detector finds nothing in).</summary>
    public float[] EmotionsOf(LocatedFace f, bool wholeImage, CancellationToken ct)
    {
        var o = wholeImage
            ? new JsonObject { [FieldNames.Id] = 0, [FieldNames.Class] = FieldNames.ClassFace, [FieldNames.Bbox] = new JsonArray(0.0, 0.0, 1.0, 1.0) }
            : f.RequestObject();
        var list = Run(ServiceNames.EmotionEstimator, f, o, ct)["emotions"]!.AsArray();
        return [.. EmotionEvaluation.Classes.Select((_, i) => (float)list[i]!["confidence"]!.GetValue<double>())];
    }

    public float MaskOf(LocatedFace f, CancellationToken ct)
    {
        var m = Run(ServiceNames.MaskEstimator, f, ct)["has_medical_mask"]!;
        // value (not confidence) is what the user reads: 1 = mask.
        return m["value"]!.GetValue<bool>() ? 1f : 0f;
    }
}
