using System.Globalization;
using System.Text.RegularExpressions;

namespace ImageApi.Chart.Tests;

/// <summary>dapr.yaml (dapr run -f .), tye.yaml and docs/deploy.md describe the same apps and ports.</summary>
public sealed class LocalTopologyTests
{
    /// <summary>The entries of a local topology file's <paramref name="list"/>, each with the name it gives under
    /// <paramref name="nameKey"/>, once it is checked that they are exactly the chart's services.</summary>
    private static IEnumerable<(string Name, Node Entry)> ChartServiceEntries(Node file, string list, string nameKey)
    {
        var entries = file[list].Items;
        Assert.Equal(Topology.ChartServices.Order(StringComparer.Ordinal), entries.Select(e => e[nameKey].Str).Order(StringComparer.Ordinal));
        return entries.Select(e => (e[nameKey].Str, e));
    }

    [Fact]
    public void DaprRun_Apps_AreTheServicesOnTheirPorts()
    {
        foreach (var (id, app) in ChartServiceEntries(Node.Load(Repo.File("dapr.yaml")), "apps", "appID"))
        {
            var port = Topology.LocalPorts[id].ToString(CultureInfo.InvariantCulture);
            Assert.Equal(port, app["appPort"].Str);
            Assert.Equal(port, app["env"]["ASPNETCORE_HTTP_PORTS"].Str);
            Assert.Equal(id, app["env"]["OTEL_SERVICE_NAME"].Str);
            var command = string.Join(' ', app["command"].Items.Select(c => c.Str));
            Assert.StartsWith("dotnet run", command, StringComparison.Ordinal);
            Assert.Contains($"--project services/{id}", command, StringComparison.Ordinal);
            Assert.True(Directory.Exists(Repo.File(app["appDirPath"].Str)), $"{id}: appDirPath {app["appDirPath"].Str} does not exist");
        }
    }

    [Fact]
    public void DaprRun_Common_PointsAtTheLocalComponentsAndConfiguration()
    {
        var common = Node.Load(Repo.File("dapr.yaml"))["common"];
        var resources = Repo.File(common["resourcesPath"].Str);
        foreach (var file in new[] { "pubsub.yaml", "statestore.yaml", "resiliency.yaml", "subscriptions.yaml" })
            Assert.True(File.Exists(Path.Combine(resources, file)), $"{resources}/{file} is missing");
        var config = Node.Load(Repo.File(common["configFilePath"].Str));
        Assert.Equal(Topology.Configuration, config["metadata"]["name"].Str);
        Assert.Equal("/health/ready", common["appHealthCheckPath"].Str);
    }

    [Fact]
    public void Tye_Services_MirrorDaprRun()
    {
        var tye = Node.Load(Repo.File("tye.yaml"));
        foreach (var (name, service) in ChartServiceEntries(tye, "services", "name"))
        {
            Assert.Equal(Topology.LocalPorts[name].ToString(CultureInfo.InvariantCulture), Assert.Single(service["bindings"].Items)["port"].Str);
            var project = service["project"].Str;
            Assert.StartsWith($"services/{name}/", project, StringComparison.Ordinal);
            Assert.EndsWith(".csproj", project, StringComparison.Ordinal);

            // Tye needs the project file itself; once the service folder exists it must hold exactly that file.
            var folder = Repo.File($"services/{name}");
            var projects = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.csproj") : [];
            if (projects.Length > 0)
                Assert.True(File.Exists(Repo.File(project)), $"tye.yaml: {project} does not exist; {folder} has {string.Join(", ", projects.Select(Path.GetFileName))}");
        }

        var dapr = Assert.Single(tye["extensions"].Items, e => e["name"].Value == "dapr");
        Assert.True(File.Exists(Repo.File($"components/{dapr["config"].Str}.yaml")), "tye finds the Configuration as components/<config>.yaml");
        Assert.True(Directory.Exists(Repo.File(dapr["components-path"].Str)));
    }

    [Fact]
    public void DeployDoc_ServiceTable_ListsEveryServiceWithItsPort()
    {
        var doc = File.ReadAllText(Repo.File("docs/deploy.md"));
        foreach (var (name, port) in Topology.LocalPorts)
        {
            Assert.True(
                Regex.IsMatch(doc, $@"^\|\s*`{Regex.Escape(name)}`\s*\|\s*{port}\s*\|", RegexOptions.Multiline),
                $"docs/deploy.md has no table row | `{name}` | {port} |");
        }
    }
}
