using ImageApi.Inference;
using ImageApi.Samples;
using Microsoft.Extensions.Options;

namespace ImageApi.Templates;

/// <summary>
/// The reference ROC table of this host, loaded once at start-up (warm-up) from the built-in data or the file
/// <see cref="FaceTemplateOptions.RocTablePath"/>. The table must describe the templates this host makes — same
/// method, same model file (sha256), same flip setting — else its rates would be someone else's: a missing, corrupt
/// or mismatched table fails readiness, not a request.
/// </summary>
public sealed class ReferenceRoc(IOptions<FaceTemplateOptions> options, ModelCatalog catalog) : IWarmable
{
    private readonly Lazy<RocTable> _table = new(() => Load(options.Value, catalog));

    public RocTable Table => _table.Value;

    public void WarmUp() => _ = Table;

    private static RocTable Load(FaceTemplateOptions o, ModelCatalog catalog)
    {
        RocTable table;
        if (string.IsNullOrWhiteSpace(o.RocTablePath))
        {
            table = RocTable.LoadBuiltIn();
        }
        else
        {
            using var stream = File.OpenRead(o.RocTablePath);
            table = RocTable.Load(stream);
        }

        if (table.Method != FaceTemplate.MethodName)
        {
            throw new InvalidOperationException($"The reference ROC table is for method '{table.Method}', templates are '{FaceTemplate.MethodName}'");
        }

        var sha = catalog.Manifest.Get(o.Model).Sha256;
        if (!string.Equals(table.ModelSha256, sha, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"The reference ROC table was built with model sha256 {table.ModelSha256}, " +
                                                $"the configured model '{o.Model}' is {sha}: rebuild it (tools/ImageApi.Calibration)");
        }

        if (table.FlipAugmentation != o.FlipAugmentation)
        {
            throw new InvalidOperationException($"The reference ROC table was built with flip augmentation {(table.FlipAugmentation ? "on" : "off")}, " +
                                                $"{FaceTemplateOptions.SectionName}:{nameof(FaceTemplateOptions.FlipAugmentation)} is {(o.FlipAugmentation ? "on" : "off")}");
        }

        return table;
    }
}
