using ImageApi.Pipeline;
using Microsoft.Extensions.Options;

namespace ImageApi.Templates;

/// <summary>The reference ROC table of this host, loaded once at start-up (warm-up) from the built-in data or the
/// file <see cref="FaceTemplateOptions.RocTablePath"/>; a missing or corrupt table fails readiness, not a request.</summary>
public sealed class ReferenceRoc(IOptions<FaceTemplateOptions> options) : IWarmable
{
    private readonly Lazy<RocTable> _table = new(() =>
    {
        var path = options.Value.RocTablePath;
        if (string.IsNullOrWhiteSpace(path)) return RocTable.LoadBuiltIn();
        using var stream = File.OpenRead(path);
        return RocTable.Load(stream);
    });

    public RocTable Table => _table.Value;

    public void WarmUp() => _ = Table;
}
