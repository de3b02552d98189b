namespace ImageApi.Measurement;

/// <summary>
/// Where a benchmark or tool finds its inputs and puts its results, wherever it is started from: the repository is the
/// first folder above the binary with <c>models/models.json</c>; the shared data is the <c>--shared</c> argument, else
/// <c>IMAGEAPI_SHARED</c>, else the <c>shared/</c> folder beside the repository (the same rule as the tests).
/// </summary>
public sealed class RepositoryPaths
{
    public RepositoryPaths(string? shared = null)
    {
        Repo = FindUp("models/models.json") ?? throw new InvalidOperationException("repository root (models/models.json) not found above " + AppContext.BaseDirectory);
        Shared = shared is { Length: > 0 } ? Path.GetFullPath(shared)
            : Environment.GetEnvironmentVariable("IMAGEAPI_SHARED") is { Length: > 0 } env ? env
            : FindUp("shared/testdata") is { } s ? Path.Combine(s, "shared")
            : throw new DirectoryNotFoundException("shared/testdata not found; pass --shared or set IMAGEAPI_SHARED");
    }

    public string Repo { get; }

    public string Shared { get; }

    /// <summary>A file of <c>shared/testdata</c>.</summary>
    public string TestData(string relative) => Path.Combine(Shared, "testdata", relative);

    /// <summary>The default results file of a benchmark, <c>bench/results/{name}.md</c>.</summary>
    public string BenchResults(string name) => Path.Combine(Repo, "bench", "results", name + ".md");

    /// <summary>The default results file of an evaluation tool, <c>docs/results/{name}.md</c>.</summary>
    public string DocsResults(string name) => Path.Combine(Repo, "docs", "results", name + ".md");

    private static string? FindUp(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (Path.Exists(Path.Combine(dir.FullName, relative))) return dir.FullName;
        }

        return null;
    }
}
