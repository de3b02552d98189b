using System.Collections.Concurrent;
using Xunit.Sdk;

namespace ImageApi.Chart.Tests;

/// <summary>
/// The manifests of one value set as rendered by .ci/helm.sh (artifacts/helm/&lt;set&gt;/manifests.yaml), with the
/// values it was rendered from. Missing or stale output fails the test: the chart is then untested.
/// </summary>
internal sealed class RenderedSet
{
    /// <summary>Release name and namespace .ci/helm.sh renders with.</summary>
    public const string Release = "image-api";

    public const string Default = "default";
    public const string Gpu = "gpu";
    public const string Minimal = "minimal";
    public const string Embedded = "embedded";

    private static readonly ConcurrentDictionary<string, Lazy<RenderedSet>> Cache = new(StringComparer.Ordinal);
    private static readonly Lazy<string?> Staleness = new(CheckFresh);

    private RenderedSet(string name, IReadOnlyList<Node> documents, Node values, Node? overrides)
    {
        Name = name;
        Documents = documents;
        DefaultValues = values;
        Overrides = overrides;
    }

    public string Name { get; }

    public IReadOnlyList<Node> Documents { get; }

    /// <summary>charts/image-api/values.yaml.</summary>
    public Node DefaultValues { get; }

    /// <summary>charts/image-api/ci/&lt;set&gt;-values.yaml; null for the default set.</summary>
    public Node? Overrides { get; }

    public static RenderedSet Get(string name) =>
        Cache.GetOrAdd(name, n => new Lazy<RenderedSet>(() => Load(n))).Value;

    private static RenderedSet Load(string name)
    {
        var manifests = Path.Combine(Repo.Artifacts, name, "manifests.yaml");
        if (!File.Exists(manifests))
        {
            throw new XunitException(
                $"No rendered manifests at {manifests}: run `bash .ci/helm.sh` first (it installs helm into .tools/ " +
                $"and renders charts/image-api into artifacts/helm/; set {Repo.ArtifactsVariable} to read them elsewhere).");
        }

        if (Staleness.Value is { } stale) throw new XunitException(stale);

        var values = Node.Load(Repo.File($"{Repo.ChartDirectory}/values.yaml"));
        Node? overrides = null;
        if (name != Default)
        {
            var file = Repo.File($"{Repo.ChartDirectory}/ci/{name}-values.yaml");
            overrides = File.Exists(file) ? Node.Load(file) : throw new XunitException($"{file} is missing");
        }

        return new RenderedSet(name, Node.LoadAll(manifests), values, overrides);
    }

    private static string? CheckFresh()
    {
        var recorded = Path.Combine(Repo.Artifacts, "chart.sha256");
        if (!File.Exists(recorded))
            return $"{recorded} is missing: run `bash .ci/helm.sh` (again) to render the chart.";
        return File.ReadAllText(recorded) == Repo.ChartFingerprint()
            ? null
            : $"The manifests in {Repo.Artifacts} were rendered from another version of {Repo.ChartDirectory}: run `bash .ci/helm.sh` again.";
    }

    public IEnumerable<Node> OfKind(string kind) => Documents.Where(d => d["kind"].Value == kind);

    public Node Single(string kind, string name)
    {
        var found = OfKind(kind).Where(d => d["metadata"]["name"].Value == name).ToList();
        return found.Count == 1
            ? found[0]
            : throw new XunitException($"{Name}: expected one {kind} named {name}, found {found.Count}");
    }

    /// <summary>Objects of one service: the ones labelled app.kubernetes.io/component=&lt;service&gt;.</summary>
    public IEnumerable<Node> OfService(string kind) =>
        OfKind(kind).Where(d => d["metadata"]["labels"]["app.kubernetes.io/component"].Exists);

    public static string Component(Node manifest) => manifest["metadata"]["labels"]["app.kubernetes.io/component"].Str;

    public Node Deployment(string service) => Single("Deployment", ObjectName(service));

    public static string ObjectName(string service) => $"{Release}-{service}";

    /// <summary>
    /// A service setting as the chart computes it: the set's file over values.yaml, the service's entry over
    /// serviceDefaults (Helm merges the files first, the template then merges the entry over the defaults).
    /// </summary>
    public string? Setting(string service, params string[] path)
    {
        foreach (var source in new[] { Overrides?["services"][service], DefaultValues["services"][service], Overrides?["serviceDefaults"], DefaultValues["serviceDefaults"] })
        {
            if (source is null) continue;
            var node = path.Aggregate(source, (n, key) => n[key]);
            if (node.Exists) return node.Str;
        }

        return null;
    }

    /// <summary>The services this set enables (with enabled=true after merging), from the values files.</summary>
    public IReadOnlyList<string> EnabledServices() =>
        Topology.ChartServices.Where(s => Setting(s, "enabled") == "true").ToList();
}
