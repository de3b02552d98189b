namespace ImageApi.Orchestration;

/// <summary>Finds, detaches and puts back the image field of a sample (<c>$image</c> in v1, <c>_image</c> in v2) — or
/// another field the pipeline keeps out of the stages' way.</summary>
internal static class ImageField
{
    public static (string Key, JsonNode? Node) Find(JsonObject sample) =>
        sample[FieldNames.ImageV1] is { } v1 ? (FieldNames.ImageV1, v1)
        : sample[FieldNames.ImageV2] is { } v2 ? (FieldNames.ImageV2, v2)
        : ("", null);

    /// <summary>Removes the image field; returns it with its position so <see cref="Restore"/> can put it back where
    /// the client had it (answers keep the client's field order).</summary>
    public static DetachedField Detach(JsonObject sample) => Detach(sample, Find(sample).Key);

    /// <summary>Removes field <paramref name="key"/> (when present) and returns it with its position, for <see cref="Restore"/>.</summary>
    public static DetachedField Detach(JsonObject sample, string key)
    {
        var node = key.Length > 0 ? sample[key] : null;
        if (node is null) return default;
        var index = sample.IndexOf(key);
        sample.Remove(key);
        return new DetachedField(key, node, index);
    }

    /// <summary>Attaches the image to <paramref name="sample"/> (at the end: stages do not care about order).</summary>
    public static void Attach(JsonObject sample, DetachedField image)
    {
        if (image.Node is null) return;
        image.Node.Parent?.AsObject().Remove(image.Key);
        sample[image.Key] = image.Node;
    }

    /// <summary>Puts the field back at its original position in the answer.</summary>
    public static void Restore(JsonObject answer, DetachedField image)
    {
        if (image.Node is null) return;
        image.Node.Parent?.AsObject().Remove(image.Key);
        answer.Remove(image.Key);
        answer.Insert(Math.Min(image.Index, answer.Count), image.Key, image.Node);
    }
}

/// <summary>A field taken out of a sample: its key, node and former position.</summary>
internal readonly record struct DetachedField(string Key, JsonNode? Node, int Index);
