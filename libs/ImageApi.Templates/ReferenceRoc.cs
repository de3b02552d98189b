using ImageApi.Inference;

namespace ImageApi.Templates;

/// <summary>
/// The reference ROC table of every template method, loaded once at start-up (warm-up) from the built-in data or
/// the files of <see cref="FaceTemplateOptions.RocTablePath"/>. A table must describe the templates it is used for —
/// its method, that method's model file (sha256), the flip setting — else its rates would be someone else's: a
/// missing, corrupt or mismatched table fails readiness, not a request. Each method has its own table (and so its
/// own thresholds and calibrated score): distances of two models are on unrelated scales.
/// </summary>
public sealed class ReferenceRoc(IOptions<FaceTemplateOptions> options, ModelCatalog catalog) : IWarmable
{
    private readonly Lazy<IReadOnlyDictionary<TemplateMethod, RocTable>> _tables = new(() => LoadAll(options.Value, catalog));

    /// <summary>The table of the default method (the one new templates are made with).</summary>
    public RocTable Table => For(options.Value.ResolveMethod());

    /// <summary>The table of <paramref name="method"/>.</summary>
    public RocTable For(TemplateMethod method) =>
        _tables.Value.TryGetValue(method, out var table) ? table : throw new InvalidOperationException($"no reference ROC table for {method}");

    /// <summary>Every method's table, in <see cref="TemplateMethod.All"/> order.</summary>
    public IReadOnlyList<(TemplateMethod Method, RocTable Table)> All => [.. TemplateMethod.All.Select(m => (m, For(m)))];

    public void WarmUp() => _ = _tables.Value;

    private static Dictionary<TemplateMethod, RocTable> LoadAll(FaceTemplateOptions o, ModelCatalog catalog)
    {
        _ = o.ResolveMethod(); // an unknown method name fails here, at start-up
        var tables = TemplateMethod.All.ToDictionary(m => m, RocTable.LoadBuiltIn);
        foreach (var path in o.RocTablePath)
        {
            using var stream = File.OpenRead(path);
            var table = RocTable.Load(stream);
            var method = TemplateMethod.Named(table.Method)
                ?? throw new InvalidOperationException($"The reference ROC table {path} is for method '{table.Method}', which is not a template method of this build");
            tables[method] = table;
        }

        foreach (var (method, table) in tables)
        {
            if (table.Method != method.Name)
            {
                throw new InvalidOperationException($"The reference ROC table of {method} names method '{table.Method}'");
            }

            var sha = catalog.Manifest.Get(method.Model).Sha256;
            if (!string.Equals(table.ModelSha256, sha, StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"The reference ROC table of {method} was built with model sha256 {table.ModelSha256}, " +
                                                    $"the model '{method.Model}' is {sha}: rebuild it (tools/ImageApi.Calibration)");
            }

            if (table.FlipAugmentation != o.FlipAugmentation)
            {
                throw new InvalidOperationException($"The reference ROC table of {method} was built with flip augmentation {(table.FlipAugmentation ? "on" : "off")}, " +
                                                    $"{FaceTemplateOptions.SectionName}:{nameof(FaceTemplateOptions.FlipAugmentation)} is {(o.FlipAugmentation ? "on" : "off")}");
            }
        }

        return tables;
    }
}
