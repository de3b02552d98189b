using ImageApi.Measurement;

namespace ImageApi.TestSupport;

/// <summary>Locates <c>../shared/</c> (testdata, calibration, attributes-dev, liveness-dev, spec) beside the repository.</summary>
public static class TestData
{
    private static readonly Lazy<string> SharedRoot = new(() =>
    {
        var env = Environment.GetEnvironmentVariable("IMAGEAPI_SHARED");
        if (!string.IsNullOrEmpty(env) && Directory.Exists(env)) return Path.GetFullPath(env);
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "testdata");
            if (Directory.Exists(candidate)) return Path.Combine(dir.FullName, "shared");
            dir = dir.Parent;
        }

        throw new DirectoryNotFoundException("shared/testdata not found above " + AppContext.BaseDirectory + "; set IMAGEAPI_SHARED");
    });

    /// <summary>The <c>shared/</c> folder.</summary>
    public static string Shared => SharedRoot.Value;

    public static string Root => Path.Combine(Shared, "testdata");

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    public static byte[] Bytes(string relative) => File.ReadAllBytes(PathOf(relative));

    public static string Base64(string relative) => Convert.ToBase64String(Bytes(relative));

    /// <summary>Files of a test-data sub-folder, relative to <see cref="Root"/>, sorted.</summary>
    public static IReadOnlyList<string> Files(string folder) =>
        [.. Directory.GetFiles(PathOf(folder)).Select(f => Path.GetRelativePath(Root, f)).Order(StringComparer.Ordinal)];

    private static readonly Lazy<IReadOnlyList<IReadOnlyDictionary<string, string>>> LabelRows = new(() =>
    {
        var lines = File.ReadAllLines(PathOf("labels.csv"));
        var header = CsvLine.Split(lines[0]);
        return [.. lines.Skip(1).Where(l => l.Length > 0).Select(l =>
        {
            var cells = CsvLine.Split(l);
            var row = new Dictionary<string, string>();
            for (var i = 0; i < header.Count; i++) row[header[i]] = i < cells.Count ? cells[i] : "";
            return (IReadOnlyDictionary<string, string>)row;
        })];
    });

    /// <summary>Rows of <c>labels.csv</c>, keyed by column name.</summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, string>> Labels => LabelRows.Value;

    public static IReadOnlyDictionary<string, string>? Label(string file) => Labels.FirstOrDefault(r => r["file"] == file);
}
