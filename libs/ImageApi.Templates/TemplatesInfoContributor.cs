using System.Text.Json.Nodes;

namespace ImageApi.Templates;

/// <summary>
/// <c>/info</c> section <c>templates</c>: the method new templates are made with, storage, and — per method, since each
/// has its own — the reference ROC's size, EER and thresholds (TAR at FAR 1e-2/1e-3/1e-4, as distance and as score).
/// The top-level <c>reference_roc</c> is the default method's (as before there was more than one method).
/// </summary>
public sealed class TemplatesInfoContributor(ReferenceRoc roc, IOptions<FaceTemplateOptions> options) : IInfoContributor
{
    public string Key => "templates";

    public JsonNode Describe()
    {
        var o = options.Value;
        var method = o.ResolveMethod();
        var methods = new JsonArray();
        foreach (var (m, table) in roc.All)
        {
            methods.Add((JsonNode)new JsonObject
            {
                ["method"] = m.Name,
                ["method_id"] = m.Id,
                ["method_version"] = m.Version,
                ["model"] = m.Model,
                ["description"] = m.Description,
                ["dimension"] = m.Dimension,
                ["template_bytes"] = FaceTemplate.BlobSize(o.Storage, m),
                ["v2_template_key"] = o.V2KeyFor(m),
                ["default"] = m == method,
                ["reference_roc"] = table.Summary.DeepClone(),
            });
        }

        return new JsonObject
        {
            ["method"] = method.Name,
            ["model"] = method.Model,
            ["storage"] = o.Storage.ToString().ToLowerInvariant(),
            ["template_bytes"] = FaceTemplate.BlobSize(o.Storage, method),
            ["v2_template_key"] = o.V2KeyFor(method),
            ["min_source_pixels"] = o.MinSourcePixels,
            ["reference_roc"] = roc.Table.Summary.DeepClone(),
            ["methods"] = methods,
        };
    }
}
