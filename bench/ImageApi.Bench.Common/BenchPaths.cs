namespace ImageApi.Bench;

/// <summary>
/// Where a benchmark finds its inputs and puts its results, wherever it is started from: the repository is the first
/// folder above the binary with <c>models/models.json</c>; the shared data is <c>IMAGEAPI_SHARED</c> or the
/// <c>shared/</c> folder beside the repository (the same rule as the tests).
/// </summary>
public sealed class BenchPaths
{
    public BenchPaths()
    {
        Repo = FindUp("models/models.json") ?? throw new InvalidOperationException("repository root (models/models.json) not found above " + AppContext.BaseDirectory);
        Shared = Environment.GetEnvironmentVariable("IMAGEAPI_SHARED") is { Length: > 0 } env ? env
            : FindUp("shared/testdata") is { } s ? Path.Combine(s, "shared")
            : throw new InvalidOperationException("shared/testdata not found; set IMAGEAPI_SHARED");
    }

    public string Repo { get; }

    public string Shared { get; }

    /// <summary>A file of <c>shared/testdata</c>.</summary>
    public string TestData(string relative) => Path.Combine(Shared, "testdata", relative);

    /// <summary>The default results file <c>bench/results/{name}.md</c>.</summary>
    public string Results(string name) => Path.Combine(Repo, "bench", "results", name + ".md");

    private static string? FindUp(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (Path.Exists(Path.Combine(dir.FullName, relative))) return dir.FullName;
        }

        return null;
    }
}
