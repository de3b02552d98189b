using ImageApi.Hosting;

namespace ImageApi.Identification;

/// <summary><c>/info</c> section <c>identification</c>: store, index size and the last rebuild's duration.</summary>
internal sealed class IdentificationInfoContributor(Galleries galleries, IOptions<IdentificationOptions> options) : IInfoContributor
{
    public string Key => "identification";

    public JsonNode Describe()
    {
        var (count, templates, bytes) = galleries.IndexSize();
        return new JsonObject
        {
            ["store"] = options.Value.Store.ToString().ToLowerInvariant(),
            // "exact" until a gallery outgrows Identification:ApproximateAbove; then int8 codes re-scored exactly.
            ["index"] = galleries.ApproximateGalleries() > 0 ? "int8+rescoring" : "exact",
            ["approximate_above"] = options.Value.ApproximateAbove,
            ["approximate_galleries"] = galleries.ApproximateGalleries(),
            ["galleries"] = count,
            ["templates"] = templates,
            ["matrix_bytes"] = bytes,
            ["rebuild_ms"] = Math.Round(galleries.LastRebuild.TotalMilliseconds, 1),
            ["skipped_templates"] = galleries.SkippedTemplates,
        };
    }
}
