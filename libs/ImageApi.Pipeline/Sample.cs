using System.Text.Json.Nodes;
using ImageApi.Contracts;
using ImageApi.Imaging;

namespace ImageApi.Pipeline;

/// <summary>
/// One request's sample: the JSON document as the client sent it (mutated in place by the services), its contract
/// version and its image. The response is <see cref="Root"/> itself, so unknown fields pass through untouched.
/// </summary>
public sealed class Sample(JsonObject root, ApiVersion version, ImageSource? image)
{
    public JsonObject Root { get; } = root;
    public ApiVersion Version { get; } = version;

    /// <summary>The request's image; null only for template-only services.</summary>
    public ImageSource? Image { get; } = image;

    public ImageSource RequireImage() =>
        Image ?? throw ApiException.Invalid("Field required", "missing", Version == ApiVersion.V1 ? FieldNames.ImageV1 : FieldNames.ImageV2);

    /// <summary>The <c>objects</c> array, created empty when absent.</summary>
    public JsonArray Objects
    {
        get
        {
            if (Root[FieldNames.Objects] is JsonArray array) return array;
            var created = new JsonArray();
            Root[FieldNames.Objects] = created;
            return created;
        }
    }

    /// <summary>Indexes of objects whose <c>class</c> is <paramref name="cls"/> (others are left alone).</summary>
    public IEnumerable<(int Index, JsonObject Object)> ObjectsOfClass(string cls)
    {
        var objects = Objects;
        for (var i = 0; i < objects.Count; i++)
        {
            if (objects[i] is JsonObject o && o[FieldNames.Class] is JsonValue v && v.TryGetValue<string>(out var c) && c == cls)
            {
                yield return (i, o);
            }
        }
    }

    /// <summary>Free-form per-request notes (e.g. stage timings) a pipeline may report.</summary>
    public Dictionary<string, double> Timings { get; } = [];
}
