namespace ImageApi.Chart.Tests;

/// <summary>ci/minimal-values.yaml (a few services, existing Secrets) and ci/embedded-values.yaml (the all-in-one host).</summary>
public sealed class MinimalValuesTests
{
    [Fact]
    public void Render_MinimalValues_OnlyTheEnabledServices()
    {
        var set = RenderedSet.Get(RenderedSet.Minimal);
        var enabled = set.EnabledServices().Order(StringComparer.Ordinal).ToList();
        Assert.Contains(Topology.Orchestrator, enabled);
        Assert.True(enabled.Count < Topology.ChartServices.Count, "the minimal values enable every service");

        Assert.Equal(enabled, set.OfService("Deployment").Select(RenderedSet.Component).Order(StringComparer.Ordinal));
        Assert.Equal(enabled, set.OfService("Service").Select(RenderedSet.Component).Order(StringComparer.Ordinal));
        Assert.Empty(set.OfKind("HorizontalPodAutoscaler"));
        Assert.Empty(set.OfKind("PodDisruptionBudget"));

        var resiliency = set.Single("Resiliency", Topology.Resiliency);
        Assert.Equal(enabled, resiliency["spec"]["targets"]["apps"].Keys.Order(StringComparer.Ordinal));
        Assert.Equal(enabled, resiliency["scopes"].Items.Select(s => s.Str).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Render_MinimalValues_UsesTheExistingSecrets()
    {
        var set = RenderedSet.Get(RenderedSet.Minimal);
        Assert.Empty(set.OfKind("Secret"));
        foreach (var deployment in set.OfService("Deployment"))
        {
            Assert.Equal("image-api-app-token", deployment["spec"]["template"]["metadata"]["annotations"]["dapr.io/app-token-secret"].Str);
            Assert.Equal("1", deployment["spec"]["replicas"].Str);
        }

        var redisHost = Assert.Single(set.Single("Component", Topology.PubSub)["spec"]["metadata"].Items, m => m["name"].Value == "redisHost");
        Assert.Equal("redis-connection", redisHost["secretKeyRef"]["name"].Str);
    }

    [Fact]
    public void Render_MinimalValues_NoTracingExporterOrAccessControl()
    {
        var set = RenderedSet.Get(RenderedSet.Minimal);
        var config = set.Single("Configuration", Topology.Configuration);
        Assert.False(config["spec"]["tracing"]["otel"].Exists);
        Assert.False(config["spec"]["accessControl"].Exists);
        foreach (var deployment in set.OfService("Deployment"))
            Assert.DoesNotContain(deployment["spec"]["template"]["spec"]["containers"][0]["env"].Items, e => e["name"].Value == "OTEL_EXPORTER_OTLP_ENDPOINT");
    }

    [Fact]
    public void Render_EmbeddedValues_OnlyTheAllInOneHostWithoutDapr()
    {
        var set = RenderedSet.Get(RenderedSet.Embedded);
        var deployment = Assert.Single(set.OfService("Deployment"));
        Assert.Equal(Topology.Embedded, RenderedSet.Component(deployment));
        var pod = deployment["spec"]["template"];
        Assert.DoesNotContain(pod["metadata"]["annotations"].Keys, k => k.StartsWith("dapr.io/", StringComparison.Ordinal));
        Assert.DoesNotContain(pod["spec"]["containers"][0]["env"].Items, e => e["name"].Value == "APP_API_TOKEN");
        Assert.Equal("ghcr.io/imageapi/image-api", pod["spec"]["containers"][0]["image"].Str.Split(':')[0]);

        foreach (var kind in new[] { "Component", "Configuration", "Resiliency", "Subscription", "Secret" })
            Assert.Empty(set.OfKind(kind));

        var ingress = Assert.Single(set.OfKind("Ingress"));
        Assert.Equal(RenderedSet.ObjectName(Topology.Embedded), ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]["name"].Str);
    }

    [Fact]
    public void Render_EmbeddedValues_ApiKeyHashesComeFromTheSecret()
    {
        var pod = Assert.Single(RenderedSet.Get(RenderedSet.Embedded).OfService("Deployment"))["spec"]["template"];
        var keys = DefaultValuesTests.Env(pod, "ApiKeys__Sha256__0");
        Assert.Equal("image-api-keys", keys["valueFrom"]["secretKeyRef"]["name"].Str);
        Assert.Equal("sha256", keys["valueFrom"]["secretKeyRef"]["key"].Str);
        Assert.False(keys["value"].Exists, "hashes come from the Secret, not the manifest");
        // One list entry per Secret key (ApiKeys:Sha256 is an array): the second hash of a rotation.
        var next = DefaultValuesTests.Env(pod, "ApiKeys__Sha256__1");
        Assert.Equal("image-api-keys", next["valueFrom"]["secretKeyRef"]["name"].Str);
        Assert.Equal("sha256-next", next["valueFrom"]["secretKeyRef"]["key"].Str);
    }

    [Fact]
    public void Render_EmbeddedValues_GalleriesOnAPersistentVolumeClaim()
    {
        var set = RenderedSet.Get(RenderedSet.Embedded);
        var claim = Assert.Single(set.OfKind("PersistentVolumeClaim"));
        var claimName = RenderedSet.ObjectName(Topology.Embedded) + "-data";
        Assert.Equal(claimName, claim["metadata"]["name"].Str);
        Assert.Equal("keep", claim["metadata"]["annotations"]["helm.sh/resource-policy"].Str);
        Assert.Equal(set.Overrides!["embedded"]["persistence"]["size"].Str, claim["spec"]["resources"]["requests"]["storage"].Str);
        Assert.Equal("ReadWriteOnce", Assert.Single(claim["spec"]["accessModes"].Items).Str);

        var deployment = Assert.Single(set.OfService("Deployment"));
        Assert.Equal("Recreate", deployment["spec"]["strategy"]["type"].Str);
        Assert.Equal("1", deployment["spec"]["replicas"].Str);
        var pod = deployment["spec"]["template"]["spec"];
        var mountPath = set.DefaultValues["serviceDefaults"]["persistence"]["mountPath"].Str;
        var volume = Assert.Single(pod["volumes"].Items, v => v["name"].Value == "data");
        Assert.Equal(claimName, volume["persistentVolumeClaim"]["claimName"].Str);
        Assert.Contains(pod["containers"][0]["volumeMounts"].Items, m => m["name"].Value == "data" && m["mountPath"].Value == mountPath);
        // The data directory is on the volume, not on the /tmp emptyDir the values' env names.
        Assert.Equal(mountPath, DefaultValuesTests.Env(deployment["spec"]["template"], "Identification__DataDirectory")["value"].Str);
        Assert.Empty(set.OfKind("HorizontalPodAutoscaler"));
    }

    [Fact]
    public void Render_DefaultValues_NoDataVolume_GalleriesStayWhereTheyWere()
    {
        var set = RenderedSet.Get(RenderedSet.Default);
        Assert.False(set.DefaultValues["serviceDefaults"]["persistence"]["enabled"].Value == "true");
        Assert.Empty(set.OfKind("PersistentVolumeClaim"));
        foreach (var deployment in set.OfService("Deployment"))
        {
            Assert.Equal("RollingUpdate", deployment["spec"]["strategy"]["type"].Str);
            Assert.DoesNotContain(deployment["spec"]["template"]["spec"]["volumes"].Items, v => v["name"].Value == "data");
        }
    }

    [Fact]
    public void Render_EveryValueSet_HasNoDuplicateObjects()
    {
        foreach (var name in new[] { RenderedSet.Default, RenderedSet.Gpu, RenderedSet.Minimal, RenderedSet.Embedded })
        {
            var keys = RenderedSet.Get(name).Documents.Select(d => $"{d["kind"].Str}/{d["metadata"]["name"].Str}").ToList();
            Assert.True(keys.Count == keys.Distinct(StringComparer.Ordinal).Count(), $"{name}: duplicate objects {string.Join(", ", keys.GroupBy(k => k).Where(g => g.Count() > 1).Select(g => g.Key))}");
            Assert.All(keys, k => Assert.True(k.Length - k.IndexOf('/', StringComparison.Ordinal) - 1 <= 63, $"{name}: {k} is longer than 63 characters"));
        }
    }
}
