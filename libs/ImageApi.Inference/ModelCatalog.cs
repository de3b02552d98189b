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

    /// <summary>The provider asked for (<c>Inference:ExecutionProvider</c>), upper case.</summary>
    public string ExecutionProvider => _inference.ExecutionProvider.ToUpperInvariant();

    /// <summary>Which ONNX Runtime package this build carries: <c>gpu</c> (<c>-p:ImageApiGpu=true</c>) or <c>cpu</c>.</summary>
    public static string Flavour =>
#if IMAGEAPI_GPU
        "gpu";
#else
        "cpu";
#endif

    /// <summary>Why the models run on the CPU although CUDA was asked for (only with
    /// <see cref="InferenceOptions.AllowCpuFallback"/>); null when they run where asked.</summary>
    public string? Fallback => _fallback;

    private volatile string? _fallback;

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

        var (session, provider) = CreateSession(name, path);
        LogOpened(name, provider, entry.Sha256);
        return new OnnxModel(entry, session, provider)
        {
            Fallback = provider == ExecutionProvider ? null : _fallback,
            // A GPU wants its batches whole; the CPU arena's memory is what the budget bounds.
            MaxRunInputFloats = provider == "CPU" ? _inference.MaxRunInputFloats : 0,
        };
    }

    private (InferenceSession Session, string Provider) CreateSession(string name, string path)
    {
        switch (ExecutionProvider)
        {
            case "CPU":
                break;
            case "CUDA" when _fallback is null:
                try
                {
                    using var options = CreateSessionOptions();
                    AppendCuda(options);
                    // Both steps can fail: appending loads libonnxruntime_providers_cuda.so and its CUDA/cuDNN
                    // libraries; creating the session initialises the device (no driver, no visible GPU).
                    return (new InferenceSession(path, options), "CUDA");
                }
                catch (OnnxRuntimeException e)
                {
                    var reason = $"the CUDA execution provider could not start for model '{name}' ({Flavour} build of ONNX Runtime): {e.Message.TrimEnd().TrimEnd('.')}";
                    if (!_inference.AllowCpuFallback)
                    {
                        throw new InvalidOperationException(
                            $"Inference:ExecutionProvider is CUDA but {reason}. Not falling back to the CPU: set Inference__AllowCpuFallback=true to allow it.", e);
                    }

                    // One decision for the process: every later model goes straight to the CPU, named the same way.
                    if (Interlocked.CompareExchange(ref _fallback, reason, null) is null) LogCpuFallback(reason);
                }

                break;
            case "CUDA":
                break;
            default:
                throw new InvalidOperationException($"Unknown Inference:ExecutionProvider '{_inference.ExecutionProvider}' (CPU or CUDA)");
        }

        using var cpu = CreateSessionOptions();
        return (new InferenceSession(path, cpu), "CPU");
    }

    private void AppendCuda(SessionOptions options)
    {
        using var cuda = new OrtCUDAProviderOptions();
        var settings = new Dictionary<string, string>
        {
            ["device_id"] = _inference.DeviceId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["cudnn_conv_algo_search"] = _inference.CudnnConvAlgoSearch,
            ["arena_extend_strategy"] = _inference.ArenaExtendStrategy,
        };
        if (_inference.GpuMemLimitBytes > 0)
        {
            settings["gpu_mem_limit"] = _inference.GpuMemLimitBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        cuda.UpdateOptions(settings);
        options.AppendExecutionProvider_CUDA(cuda);
    }

    private SessionOptions CreateSessionOptions() => new()
    {
        IntraOpNumThreads = Math.Max(1, _inference.IntraOpThreads),
        InterOpNumThreads = 1,
        ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        EnableCpuMemArena = _inference.CpuMemoryArena,
        EnableMemoryPattern = _inference.MemoryPattern,
        GraphOptimizationLevel = _inference.GraphOptimizationLevel switch
        {
            "ORT_DISABLE_ALL" => GraphOptimizationLevel.ORT_DISABLE_ALL,
            "ORT_ENABLE_BASIC" => GraphOptimizationLevel.ORT_ENABLE_BASIC,
            "ORT_ENABLE_EXTENDED" => GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
            _ => GraphOptimizationLevel.ORT_ENABLE_ALL,
        },
    };

    public void Dispose()
    {
        foreach (var lazy in _models.Values)
        {
            if (lazy.IsValueCreated) lazy.Value.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Model} opened on {Provider} (sha256 {Sha256})")]
    private partial void LogOpened(string model, string provider, string sha256);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Running every model on the CPU although CUDA was asked for (Inference:AllowCpuFallback): {Reason}")]
    private partial void LogCpuFallback(string reason);
}
