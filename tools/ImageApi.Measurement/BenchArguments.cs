namespace ImageApi.Measurement;

/// <summary>
/// What every benchmark reads first: its arguments, the repository's paths, <c>--threads</c> (ONNX Runtime intra-op
/// threads, default 1), <c>--iterations</c> and <c>--out</c> (default <c>bench/results/{name}.md</c>).
/// </summary>
/// <example><c>var (arguments, paths, threads, iterations, outPath) = new BenchArguments(args, "faces", iterations: 30);</c></example>
public sealed class BenchArguments(string[] args, string name, int iterations)
{
    public ToolArguments Arguments { get; } = new(args);

    public RepositoryPaths Paths { get; } = new();

    public int Threads => Arguments.Int("--threads", 1);

    public int Iterations => Arguments.Int("--iterations", iterations);

    public string OutPath => Arguments.String("--out", Paths.BenchResults(name));

    public void Deconstruct(out ToolArguments arguments, out RepositoryPaths paths, out int threads, out int iterationCount, out string outPath)
    {
        arguments = Arguments;
        paths = Paths;
        threads = Threads;
        iterationCount = Iterations;
        outPath = OutPath;
    }
}
