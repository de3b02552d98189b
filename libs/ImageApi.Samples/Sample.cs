using ImageApi.Contracts;

namespace ImageApi.Samples;

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

    /// <summary>
    /// A detector's answer: the objects of class <paramref name="cls"/> the client sent are replaced by
    /// <paramref name="count"/> new ones, <paramref name="create"/>(id, i) for the i-th, with ids from
    /// <see cref="FirstFreeId"/> on. A detector decides where the objects of its class are; objects of every other
    /// class stay, in their order, and the <c>objects</c> array is present (possibly empty) afterwards.
    /// </summary>
    public void ReplaceObjectsOfClass(string cls, int count, Func<int, int, JsonObject> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        var objects = Objects;
        foreach (var (index, _) in ObjectsOfClass(cls).Reverse().ToList()) objects.RemoveAt(index);
        var firstId = FirstFreeId();
        for (var i = 0; i < count; i++) objects.Add((JsonNode)create(firstId + i, i));
    }

    /// <summary>
    /// The first id a detector may give a new object: one above the largest integer <c>id</c> among the objects already
    /// in the request (0 when there is none), so the objects a detector appends never collide with the client's
    /// (e.g. bodies kept while faces are detected). Non-integer ids are the client's business and are not compared.
    /// </summary>
    public int FirstFreeId()
    {
        var next = 0L;
        foreach (var node in Objects)
        {
            if (node is JsonObject o && o[FieldNames.Id] is JsonValue v && FaceObjectReader.TryNumber(v, out var id)
                && id >= 0 && id < int.MaxValue && id == Math.Floor(id))
            {
                next = Math.Max(next, (long)id + 1);
            }
        }

        return (int)next;
    }
}
