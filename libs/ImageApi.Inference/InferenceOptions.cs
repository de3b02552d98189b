using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ImageApi.Inference;

/// <summary>ONNX Runtime session settings, bound from the <c>Inference</c> configuration section.</summary>
public sealed class InferenceOptions : IValidatableObject
{
    public const string SectionName = "Inference";

    /// <summary><c>CPU</c> (default) or <c>CUDA</c> (needs the GPU flavour, <c>-p:ImageApiGpu=true</c>, and a
    /// CUDA/cuDNN runtime with a visible device).</summary>
    public string ExecutionProvider { get; set; } = "CPU";

    /// <summary>
    /// When CUDA is asked for and cannot start: false (default) keeps the host not ready, with the reason in the log
    /// and on <c>/health/ready</c>; true runs every model on the CPU instead and says so (<c>/info</c> <c>fallback</c>,
    /// a start-up warning, <c>imageapi.model.fallback</c> on model spans). Never silent: a GPU pod quietly serving
    /// from its CPU is slower by an order of magnitude and looks healthy.
    /// </summary>
    public bool AllowCpuFallback { get; set; }

    /// <summary>Intra-op threads per session. 1 is right on 2-core pods: scale with replicas (platform.md §3).</summary>
    [Range(0, int.MaxValue)]
    public int IntraOpThreads { get; set; } = 1;

    /// <summary>CUDA device id when <see cref="ExecutionProvider"/> is CUDA.</summary>
    [Range(0, int.MaxValue)]
    public int DeviceId { get; set; }

    /// <summary>cuDNN convolution algorithm search: <c>EXHAUSTIVE</c> (ORT's default: benchmarks every algorithm per
    /// new input shape, fastest afterwards but slow first runs), <c>HEURISTIC</c> or <c>DEFAULT</c>.</summary>
    public string CudnnConvAlgoSearch { get; set; } = "EXHAUSTIVE";

    /// <summary>CUDA memory arena growth: <c>kNextPowerOfTwo</c> (ORT's default) or <c>kSameAsRequested</c> (less
    /// over-allocation where several pods share one GPU).</summary>
    public string ArenaExtendStrategy { get; set; } = "kNextPowerOfTwo";

    /// <summary>Upper bound of the CUDA arena in bytes; 0 = no limit (ORT's default).</summary>
    [Range(0, long.MaxValue)]
    public long GpuMemLimitBytes { get; set; }

    /// <summary>ONNX Runtime's CPU memory arena (one per model). Off trades speed for memory: under a mixed load with
    /// 36 MP photos the host peaked about 300 MB lower and served about half as many requests (docs/performance.md,
    /// memory) — returning memory to the system and faulting it in again costs more than the models save.</summary>
    public bool CpuMemoryArena { get; set; } = true;

    /// <summary>ONNX Runtime's memory pattern: one block planned per input shape for all of a run's activations, taken
    /// from the arena. Off (default) the activations are taken one by one, so the arena's freed chunks fit the next
    /// run's tensors: ≈ 50 MB less resident memory under the mixed load at the same model time (docs/performance.md,
    /// "Memory, session 12").</summary>
    public bool MemoryPattern { get; set; }

    /// <summary>The most input floats one CPU model run takes (default 65 536 = 256 KB: one aligned 112×112 face, five
    /// 64×64 ones); a larger batch runs in parts. Bounds what ONNX Runtime's per-model arenas keep after a many-face
    /// photo (docs/performance.md, memory); 0 = every batch in one run.</summary>
    [Range(0, int.MaxValue)]
    public int MaxRunInputFloats { get; set; } = 1 << 16;

    /// <summary><c>ORT_ENABLE_ALL</c> (default), <c>ORT_ENABLE_EXTENDED</c>, <c>ORT_ENABLE_BASIC</c> or <c>ORT_DISABLE_ALL</c>.</summary>
    public string GraphOptimizationLevel { get; set; } = "ORT_ENABLE_ALL";

    private static readonly string[] Providers = ["CPU", "CUDA"];
    private static readonly string[] OptimizationLevels = ["ORT_ENABLE_ALL", "ORT_ENABLE_EXTENDED", "ORT_ENABLE_BASIC", "ORT_DISABLE_ALL"];

    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        // The catalog compares the provider upper-cased; a typo would otherwise surface only when the first model loads.
        if (!Providers.Contains(ExecutionProvider.ToUpperInvariant()))
            yield return new ValidationResult($"Unknown Inference:ExecutionProvider '{ExecutionProvider}' (CPU or CUDA)", [nameof(ExecutionProvider)]);
        // An unknown level would silently run ORT_ENABLE_ALL.
        if (!OptimizationLevels.Contains(GraphOptimizationLevel))
            yield return new ValidationResult($"Inference:GraphOptimizationLevel must be one of {string.Join(", ", OptimizationLevels)}",
                [nameof(GraphOptimizationLevel)]);
    }
}

/// <summary>Start-up check of <see cref="InferenceOptions"/>: its attributes, a known provider and optimisation level.</summary>
[OptionsValidator]
public sealed partial class InferenceOptionsValidator : IValidateOptions<InferenceOptions>;
