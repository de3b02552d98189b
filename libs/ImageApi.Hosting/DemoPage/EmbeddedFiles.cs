using System.Reflection;

namespace ImageApi.Hosting.DemoPage;

/// <summary>Files compiled into this assembly (ImageApi.Hosting.csproj, EmbeddedResource with a LogicalName): the demo
/// page, the example photo and the docs/ pages. Resources, not wwwroot, so that a Native AOT binary carries them.</summary>
internal static class EmbeddedFiles
{
    private static readonly Assembly Assembly = typeof(EmbeddedFiles).Assembly;

    public static byte[] Read(string name)
    {
        using var stream = Assembly.GetManifestResourceStream(name)
                           ?? throw new InvalidOperationException($"Embedded resource '{name}' is missing from {Assembly.GetName().Name}");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>Logical names under <paramref name="prefix"/>, e.g. every <c>guide/*.md</c>.</summary>
    public static IEnumerable<string> Names(string prefix) =>
        Assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal));
}
