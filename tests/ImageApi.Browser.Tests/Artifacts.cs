namespace ImageApi.Browser.Tests;

/// <summary>Where screenshots go: <c>artifacts/screenshots/</c> at the repository root (CI keeps artifacts/).</summary>
internal static class Artifacts
{
    public static string Screenshots { get; } = Create();

    private static string Create()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ImageApi.sln"))) dir = dir.Parent;
        var path = Path.Combine(dir?.FullName ?? AppContext.BaseDirectory, "artifacts", "screenshots");
        Directory.CreateDirectory(path);
        return path;
    }

    public static string PathOf(string name) => Path.Combine(Screenshots, name);
}
