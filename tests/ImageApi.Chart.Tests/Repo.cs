using System.Security.Cryptography;
using System.Text;
using Xunit.Sdk;

namespace ImageApi.Chart.Tests;

/// <summary>Paths in the repository and the manifests that <c>.ci/helm.sh</c> rendered.</summary>
internal static class Repo
{
    public const string ChartDirectory = "charts/image-api";

    /// <summary>Overrides where the rendered manifests are read from (default: artifacts/helm).</summary>
    public const string ArtifactsVariable = "HELM_ARTIFACTS";

    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    public static string Root => LazyRoot.Value;

    public static string File(string relative) => Path.Combine(Root, relative);

    public static string Artifacts =>
        Environment.GetEnvironmentVariable(ArtifactsVariable) is { Length: > 0 } dir ? Path.GetFullPath(dir) : File("artifacts/helm");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, ChartDirectory, "Chart.yaml")))
                return dir.FullName;
        }

        throw new XunitException($"No {ChartDirectory}/Chart.yaml above {AppContext.BaseDirectory}.");
    }

    /// <summary>
    /// Same text as .ci/helm.sh writes to chart.sha256: <c>sha256sum</c> lines ("hex  path") of every file of the
    /// chart, sorted by path (bytewise, as <c>LC_ALL=C sort</c>).
    /// </summary>
    public static string ChartFingerprint()
    {
        var files = Directory.EnumerateFiles(File(ChartDirectory), "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/'))
            .OrderBy(f => f, StringComparer.Ordinal);
        var sb = new StringBuilder();
        foreach (var relative in files)
        {
            var hash = SHA256.HashData(System.IO.File.ReadAllBytes(File(relative)));
            sb.Append(Convert.ToHexStringLower(hash)).Append("  ").Append(relative).Append('\n');
        }

        return sb.ToString();
    }
}
