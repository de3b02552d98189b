using System.Text.Json.Nodes;
using ImageApi.Contracts;
using ImageApi.Samples;

namespace ImageApi.Bodies;

/// <summary>
/// <c>body-detector</c>: every person in the image becomes an object <c>{id, class: "body", confidence, bbox}</c>
/// (bbox relative to the image, clamped to [0, 1]), ids 0… in descending confidence. Same shape in v1 and v2.
/// Body objects the client sent are replaced; objects of other classes are kept as they came.
/// </summary>
public sealed class BodyDetectorService(BodyDetector detector) : IImageApiService
{
    public ValueTask ProcessAsync(Sample sample, CancellationToken ct)
    {
        var image = sample.RequireImage();
        var bodies = detector.Detect(image, ct);
        sample.ReplaceObjectsOfClass(FieldNames.ClassBody, bodies.Count, (id, i) => Write(id, bodies[i], image.Width, image.Height));
        return ValueTask.CompletedTask;
    }

    internal static JsonObject Write(int id, DetectedBody body, int width, int height)
    {
        var b = body.Box.ClampTo(width, height);
        return new JsonObject
        {
            [FieldNames.Id] = id,
            [FieldNames.Class] = FieldNames.ClassBody,
            [FieldNames.Confidence] = (double)body.Score,
            [FieldNames.Bbox] = new JsonArray(
                (double)(b.X1 / width), (double)(b.Y1 / height), (double)(b.X2 / width), (double)(b.Y2 / height)),
        };
    }
}
