using System.Text.Json.Nodes;
using ImageApi.Contracts;

namespace ImageApi.Templates;

/// <summary>
/// The template fields of a face object (shared/spec/README.md, "template"):
/// v1 <c>"$template": base64, "template_size": bytes</c>;
/// v2 <c>template: {"_face_template_extractor_&lt;method&gt;": {blob, format: "NDARRAY", dtype: "uint8", shape: [bytes]}}</c>.
/// </summary>
public static class TemplateFields
{
    public const string NdArrayFormat = "NDARRAY";
    public const string Uint8 = "uint8";
    public const string Dtype = "dtype";
    public const string Shape = "shape";

    /// <summary>Writes <paramref name="blob"/> into <paramref name="o"/> in the request's version; v2 under
    /// <paramref name="v2Key"/> (ImageApi's key of the template's method, or <see cref="FaceTemplateOptions.V2TemplateKey"/>).</summary>
    public static void Write(JsonObject o, byte[] blob, ApiVersion version, string v2Key)
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(blob);
        ArgumentException.ThrowIfNullOrEmpty(v2Key);
        if (version == ApiVersion.V1)
        {
            o[FieldNames.TemplateV1] = Convert.ToBase64String(blob);
            o[FieldNames.TemplateSize] = blob.Length;
            return;
        }

        o[FieldNames.TemplateV2] = new JsonObject
        {
            [v2Key] = new JsonObject
            {
                [FieldNames.Blob] = Convert.ToBase64String(blob),
                [FieldNames.Format] = NdArrayFormat,
                [Dtype] = Uint8,
                [Shape] = new JsonArray(blob.Length),
            },
        };
    }

    /// <summary>True when the object carries a template field of the request's version.</summary>
    public static bool Has(JsonObject o, ApiVersion version) =>
        o.ContainsKey(version == ApiVersion.V1 ? FieldNames.TemplateV1 : FieldNames.TemplateV2);

    /// <summary>
    /// Reads and checks the template of object <paramref name="index"/>: not base64 → 400 "Failed to decode base64
    /// string"; a size that disagrees with the bytes, another method or version, or a damaged blob → 422 at the field.
    /// v2 accepts ImageApi's own key of each method (the blob must be of the method its key names) and
    /// <paramref name="dropInKey"/> (the configured drop-in key); whatever the blob holds is checked the same way.
    /// </summary>
    public static FaceTemplate Read(JsonObject o, ApiVersion version, int index, string? dropInKey = null)
    {
        ArgumentNullException.ThrowIfNull(o);
        return version == ApiVersion.V1 ? ReadV1(o, index) : ReadV2(o, index, dropInKey);
    }

    private static FaceTemplate ReadV1(JsonObject o, int index)
    {
        object[] loc = [FieldNames.Objects, index, FieldNames.TemplateV1];
        if (o[FieldNames.TemplateV1] is not JsonValue v || !v.TryGetValue<string>(out var b64))
        {
            throw ApiException.Invalid("Input should be a valid string", "string_type", loc);
        }

        var bytes = SampleParser.DecodeBase64(b64);
        if (o.ContainsKey(FieldNames.TemplateSize))
        {
            if (!FaceObjectReader.TryNumber(o[FieldNames.TemplateSize], out var size) || size != Math.Floor(size))
            {
                throw ApiException.Invalid("Input should be a valid integer", "int_type", FieldNames.Objects, index, FieldNames.TemplateSize);
            }

            if ((long)size != bytes.Length)
            {
                throw ApiException.Invalid($"template_size {(long)size} does not match the template's {bytes.Length} bytes",
                    "value_error", FieldNames.Objects, index, FieldNames.TemplateSize);
            }
        }

        return Parse(bytes, loc);
    }

    private static FaceTemplate ReadV2(JsonObject o, int index, string? dropInKey)
    {
        object[] loc = [FieldNames.Objects, index, FieldNames.TemplateV2];
        if (o[FieldNames.TemplateV2] is not JsonObject template)
        {
            throw ApiException.Invalid("Input should be a valid dictionary", "dict_type", loc);
        }

        var keys = template.Select(p => p.Key).Where(k => k.StartsWith(FaceTemplate.V2KeyPrefix, StringComparison.Ordinal)).ToList();
        if (keys.Count != 1)
        {
            throw ApiException.Invalid(keys.Count == 0
                    ? $"template must hold one \"{FaceTemplate.V2KeyPrefix}<method>\" entry"
                    : "template must hold exactly one method entry", "value_error", loc);
        }

        var key = keys[0];
        var keyMethod = TemplateMethod.ForV2Key(key);
        if (keyMethod is null && key != dropInKey)
        {
            throw ApiException.Invalid(
                $"unknown template method '{key[FaceTemplate.V2KeyPrefix.Length..]}': this service compares " +
                string.Join(" or ", TemplateMethod.All.Select(m => $"'{m.Name}'")) + " templates only",
                "value_error", [.. loc, key]);
        }

        object[] entryLoc = [.. loc, key];
        if (template[key] is not JsonObject entry)
        {
            throw ApiException.Invalid("Input should be a valid dictionary", "dict_type", entryLoc);
        }

        if (entry[FieldNames.Blob] is not JsonValue blob || !blob.TryGetValue<string>(out var b64))
        {
            throw ApiException.Invalid(entry.ContainsKey(FieldNames.Blob) ? "Input should be a valid string" : "Field required",
                entry.ContainsKey(FieldNames.Blob) ? "string_type" : "missing", [.. entryLoc, FieldNames.Blob]);
        }

        RequireLiteral(entry, FieldNames.Format, NdArrayFormat, entryLoc);
        RequireLiteral(entry, Dtype, Uint8, entryLoc);
        var bytes = SampleParser.DecodeBase64(b64);
        if (entry.ContainsKey(Shape))
        {
            if (entry[Shape] is not JsonArray shape || shape.Count != 1 || !FaceObjectReader.TryNumber(shape[0], out var n))
            {
                throw ApiException.Invalid("shape must be [<byte length>]", "value_error", [.. entryLoc, Shape]);
            }

            if (n != bytes.Length)
            {
                throw ApiException.Invalid($"shape [{n}] does not match the template's {bytes.Length} bytes", "value_error", [.. entryLoc, Shape]);
            }
        }

        var parsed = Parse(bytes, [.. entryLoc, FieldNames.Blob]);
        if (keyMethod is not null && key != dropInKey && parsed.Method != keyMethod)
        {
            throw ApiException.Invalid($"the key names method '{keyMethod.Name}' but the template is of {parsed.Method}",
                "value_error", [.. entryLoc, FieldNames.Blob]);
        }

        return parsed;
    }

    private static void RequireLiteral(JsonObject entry, string field, string expected, object[] loc)
    {
        if (!entry.ContainsKey(field)) return;
        if (entry[field] is not JsonValue v || !v.TryGetValue<string>(out var s) || !string.Equals(s, expected, StringComparison.OrdinalIgnoreCase))
        {
            throw ApiException.Invalid($"Input should be '{expected}'", "literal_error", [.. loc, field]);
        }
    }

    private static FaceTemplate Parse(byte[] bytes, object[] loc) =>
        FaceTemplate.TryParse(bytes, out var template, out var error)
            ? template!
            : throw ApiException.Invalid(error, "value_error", loc);
}
