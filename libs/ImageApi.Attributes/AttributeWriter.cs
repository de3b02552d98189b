using System.Text.Json.Nodes;
using ImageApi.Contracts;

namespace ImageApi.Attributes;

/// <summary>Adds an attribute to a face object where the spec examples put it: after <c>class</c>, before <c>bbox</c>
/// (replacing a value already there in its place).</summary>
internal static class AttributeWriter
{
    public static void Set(JsonObject face, string name, JsonNode value)
    {
        var existing = face.IndexOf(name);
        if (existing >= 0)
        {
            face[name] = value;
            return;
        }

        var bbox = face.IndexOf(FieldNames.Bbox);
        if (bbox >= 0) face.Insert(bbox, name, value);
        else face[name] = value;
    }
}
