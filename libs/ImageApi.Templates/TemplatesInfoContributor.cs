using System.Text.Json.Nodes;
using ImageApi.Samples;
using Microsoft.Extensions.Options;

namespace ImageApi.Templates;

/// <summary><c>/info</c> section <c>templates</c>: method, storage, and the reference ROC's size, EER and thresholds.</summary>
public sealed class TemplatesInfoContributor(ReferenceRoc roc, IOptions<FaceTemplateOptions> options) : IInfoContributor
{
    public string Key => "templates";

    public JsonNode Describe() => new JsonObject
    {
        ["method"] = FaceTemplate.MethodName,
        ["model"] = options.Value.Model,
        ["storage"] = options.Value.Storage.ToString().ToLowerInvariant(),
        ["template_bytes"] = FaceTemplate.BlobSize(options.Value.Storage),
        ["v2_template_key"] = options.Value.V2KeyOrDefault,
        ["min_source_pixels"] = options.Value.MinSourcePixels,
        ["reference_roc"] = roc.Table.Summary.DeepClone(),
    };
}
