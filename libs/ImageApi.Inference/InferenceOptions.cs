namespace ImageApi.Inference;

/// <summary>ONNX Runtime session settings, bound from the <c>Inference</c> configuration section.</summary>
public sealed class InferenceOptions
{
    public const string SectionName = "Inference";

    /// <summary><c>CPU</c> (default) or <c>CUDA</c> (needs the GPU build of ONNX Runtime in the image).</summary>
    public string ExecutionProvider { get; set; } = "CPU";

    /// <summary>Intra-op threads per session. 1 is right on 2-core pods: scale with replicas (platform.md §3).</summary>
    public int IntraOpThreads { get; set; } = 1;

    /// <summary>CUDA device id when <see cref="ExecutionProvider"/> is CUDA.</summary>
    public int DeviceId { get; set; }

    /// <summary><c>ORT_ENABLE_ALL</c> (default), <c>ORT_ENABLE_EXTENDED</c>, <c>ORT_ENABLE_BASIC</c> or <c>ORT_DISABLE_ALL</c>.</summary>
    public string GraphOptimizationLevel { get; set; } = "ORT_ENABLE_ALL";
}
