namespace ImageApi.Chart.Tests;

/// <summary>ci/gpu-values.yaml: the GPU switch of chosen services, plus the ingress and NetworkPolicies.</summary>
public sealed class GpuValuesTests
{
    private static RenderedSet Set => RenderedSet.Get(RenderedSet.Gpu);

    private static IReadOnlyList<string> GpuServices() =>
        Topology.ChartServices.Where(s => Set.Setting(s, "gpu", "enabled") == "true").ToList();

    [Fact]
    public void GpuValues_ChooseSomeButNotAllServices()
    {
        Assert.NotEmpty(GpuServices());
        Assert.True(GpuServices().Count < Topology.ChartServices.Count, "every service is on a GPU: the test would not notice a leak");
    }

    [Fact]
    public void Render_GpuValues_GpuLimitOnExactlyTheChosenServices()
    {
        var withGpu = Set.OfService("Deployment")
            .Where(d => d["spec"]["template"]["spec"]["containers"][0]["resources"]["limits"][Topology.GpuResource].Exists)
            .Select(RenderedSet.Component);
        Assert.Equal(GpuServices().Order(StringComparer.Ordinal), withGpu.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Topology.All), MemberType = typeof(Topology))]
    public void Deployment_GpuSwitch_SetsProviderSchedulingAndImage(string service)
    {
        var gpu = GpuServices().Contains(service);
        var spec = Set.Deployment(service)["spec"]["template"]["spec"];
        var container = spec["containers"][0];
        var pod = Set.Deployment(service)["spec"]["template"];

        Assert.Equal(gpu ? "CUDA" : "CPU", DefaultValuesTests.Env(pod, "Inference__ExecutionProvider")["value"].Str);
        Assert.Equal(gpu, container["image"].Str.EndsWith("-gpu", StringComparison.Ordinal));
        Assert.Equal(gpu, spec["nodeSelector"]["nvidia.com/gpu.present"].Exists);
        Assert.Equal(gpu, spec["tolerations"].Items.Any(t => t["key"].Value == Topology.GpuResource));
        Assert.Equal(gpu, spec["runtimeClassName"].Exists);
        Assert.Equal(gpu, container["resources"]["limits"][Topology.GpuResource].Exists);
        // A GPU pod that cannot start CUDA stays not ready unless the fallback is asked for (default off).
        Assert.Equal(gpu, pod["spec"]["containers"][0]["env"].Items.Any(e => e["name"].Value == "Inference__AllowCpuFallback"));
        if (gpu)
        {
            Assert.Equal("false", DefaultValuesTests.Env(pod, "Inference__AllowCpuFallback")["value"].Str);
            var count = Set.Setting(service, "gpu", "count") ?? "1";
            Assert.Equal(count, container["resources"]["limits"][Topology.GpuResource].Str);
        }
    }

    [Fact]
    public void Ingress_RoutesTheApiToTheOrchestrator()
    {
        var ingress = Assert.Single(Set.OfKind("Ingress"));
        var path = Assert.Single(Assert.Single(ingress["spec"]["rules"].Items)["http"]["paths"].Items);
        Assert.Equal(RenderedSet.ObjectName(Topology.Orchestrator), path["backend"]["service"]["name"].Str);
        Assert.Equal("http", path["backend"]["service"]["port"]["name"].Str);
        Set.Single("Service", path["backend"]["service"]["name"].Str);
        Assert.Equal("image-api-tls", Assert.Single(ingress["spec"]["tls"].Items)["secretName"].Str);
    }

    [Fact]
    public void NetworkPolicies_OpenTheAppPortOnlyOnTheIngressTarget()
    {
        var policies = Set.OfService("NetworkPolicy").ToList();
        Assert.Equal(Topology.ChartServices.Order(StringComparer.Ordinal), policies.Select(RenderedSet.Component).Order(StringComparer.Ordinal));
        foreach (var policy in policies)
        {
            var ports = policy["spec"]["ingress"].Items.SelectMany(r => r["ports"].Items).Select(p => p["port"].Str).ToList();
            Assert.Contains("50002", ports);
            Assert.Equal(RenderedSet.Component(policy) == Topology.Orchestrator, ports.Contains("8080"));
        }
    }

    [Fact]
    public void Configuration_HttpsCollector_IsSecureOverHttp()
    {
        var otel = Set.Single("Configuration", Topology.Configuration)["spec"]["tracing"]["otel"];
        Assert.Equal("otel.example.com:4318", otel["endpointAddress"].Str);
        Assert.Equal("true", otel["isSecure"].Str);
        Assert.Equal("http", otel["protocol"].Str);
    }
}
