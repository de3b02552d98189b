using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;

namespace ImageApi.Inference;

/// <summary>
/// Opens each model once for the process (one <see cref="InferenceSession"/> per model), after checking its sha256
/// against <c>models.json</c>. Sessions are created on first use or by the warm-up at start-up.
/// </summary>
public sealed partial class ModelCatalog : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<OnnxModel>> _models = new();
    private readonly InferenceOptions _inference;
    private readonly ModelOptions _modelOptions;
    private readonly ILogger<ModelCatalog> _logger;
    private readonly Lazy<ModelManifest> _manifest;

    public ModelCatalog(IOptions<InferenceOptions> inference, IOptions<ModelOptions> models, ILogger<ModelCatalog> logger)
    {
        _inference = inference.Value;
        _modelOptions = models.Value;
        _logger = logger;
        _manifest = new Lazy<ModelManifest>(() => ModelManifest.Load(_modelOptions.ResolveDirectory()));
    }

    public ModelManifest Manifest => _manifest.Value;

    public string ExecutionProvider => _inference.ExecutionProvider.ToUpperInvariant();

    /// <summary>The models opened so far (for <c>/info</c>).</summary>
    public IReadOnlyList<OnnxModel> Loaded =>
        [.. _models.Values.Where(l => l.IsValueCreated).Select(l => l.Value).OrderBy(m => m.Name, StringComparer.Ordinal)];

    public OnnxModel Get(string name) =>
        _models.GetOrAdd(name, n => new Lazy<OnnxModel>(() => Open(n), LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    private OnnxModel Open(string name)
    {
        var entry = Manifest.Get(name);
        var path = Manifest.PathOf(entry);
        if (!File.Exists(path)) throw new FileNotFoundException($"Model file of '{name}' is missing", path);
        if (_modelOptions.VerifySha256)
        {
            using var stream = File.OpenRead(path);
            var actual = Convert.ToHexStringLower(SHA256.HashData(stream));
            if (!string.Equals(actual, entry.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"Model '{name}' sha256 {actual} does not match the manifest's {entry.Sha256}");
            }
        }

        var session = new InferenceSession(path, CreateSessionOptions());
        LogOpened(name, ExecutionProvider, entry.Sha256);
        return new OnnxModel(entry, session, ExecutionProvider);
    }

    private SessionOptions CreateSessionOptions()
    {
        var options = new SessionOptions
        {
            IntraOpNumThreads = Math.Max(1, _inference.IntraOpThreads),
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = _inference.GraphOptimizationLevel switch
            {
                "ORT_DISABLE_ALL" => GraphOptimizationLevel.ORT_DISABLE_ALL,
                "ORT_ENABLE_BASIC" => GraphOptimizationLevel.ORT_ENABLE_BASIC,
                "ORT_ENABLE_EXTENDED" => GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
                _ => GraphOptimizationLevel.ORT_ENABLE_ALL,
            },
        };
        switch (ExecutionProvider)
        {
            case "CPU":
                break;
            case "CUDA":
                // Throws when the deployed ONNX Runtime is the CPU build: fail at start-up, not per request.
                options.AppendExecutionProvider_CUDA(_inference.DeviceId);
                break;
            default:
                throw new InvalidOperationException($"Unknown Inference:ExecutionProvider '{_inference.ExecutionProvider}' (CPU or CUDA)");
        }

        return options;
    }

    public void Dispose()
    {
        foreach (var lazy in _models.Values)
        {
            if (lazy.IsValueCreated) lazy.Value.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Model} opened on {Provider} (sha256 {Sha256})")]
    private partial void LogOpened(string model, string provider, string sha256);
}
