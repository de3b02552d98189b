namespace ImageApi.Chart.Tests;

/// <summary>The chart with values.yaml alone: every service, with its Dapr sidecar, probes and security context.</summary>
public sealed class DefaultValuesTests
{
    private static RenderedSet Set => RenderedSet.Get(RenderedSet.Default);

    [Fact]
    public void Values_ServicesMap_IsTheOrchestratorTheTwelveServicesAndFaceIdentifier()
    {
        Assert.Equal(Topology.ChartServices.Order(StringComparer.Ordinal), Set.DefaultValues["services"].Keys.Order(StringComparer.Ordinal));
        Assert.Equal(14, Topology.ChartServices.Count);
    }

    [Fact]
    public void Render_DefaultValues_OneDeploymentAndServicePerService()
    {
        Assert.Equal(Topology.ChartServices.Order(StringComparer.Ordinal), Set.OfService("Deployment").Select(RenderedSet.Component).Order(StringComparer.Ordinal));
        Assert.Equal(Topology.ChartServices.Order(StringComparer.Ordinal), Set.OfService("Service").Select(RenderedSet.Component).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Topology.All), MemberType = typeof(Topology))]
    public void Deployment_PodTemplate_HasDaprAnnotationsForItsAppId(string service)
    {
        var pod = Set.Deployment(service)["spec"]["template"];
        var annotations = pod["metadata"]["annotations"];
        Assert.Equal("true", annotations["dapr.io/enabled"].Str);
        Assert.Equal(service, annotations["dapr.io/app-id"].Str);
        Assert.Equal(Topology.ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture), annotations["dapr.io/app-port"].Str);
        Assert.Equal(Topology.Configuration, annotations["dapr.io/config"].Str);
        Assert.Equal("/health/ready", annotations["dapr.io/app-health-check-path"].Str);

        var container = Assert.Single(pod["spec"]["containers"].Items);
        var port = Assert.Single(container["ports"].Items);
        Assert.Equal("http", port["name"].Str);
        Assert.Equal(annotations["dapr.io/app-port"].Str, port["containerPort"].Str);
        Assert.Equal($"ghcr.io/imageapi/{service}:", container["image"].Str[..(container["image"].Str.LastIndexOf(':') + 1)]);
    }

    [Theory]
    [MemberData(nameof(Topology.All), MemberType = typeof(Topology))]
    public void Deployment_AppToken_ComesFromTheSecretTheSidecarUses(string service)
    {
        var pod = Set.Deployment(service)["spec"]["template"];
        var secretName = pod["metadata"]["annotations"]["dapr.io/app-token-secret"].Str;
        var token = Env(pod, "APP_API_TOKEN");
        Assert.Equal(secretName, token["valueFrom"]["secretKeyRef"]["name"].Str);
        Assert.Equal("token", token["valueFrom"]["secretKeyRef"]["key"].Str);
        Assert.False(token["value"].Exists, "the token must not be inlined");

        var secret = Set.Single("Secret", secretName);
        Assert.True(secret["data"]["token"].Exists || secret["stringData"]["token"].Exists, $"Secret {secretName} has no key 'token'");
    }

    [Theory]
    [MemberData(nameof(Topology.All), MemberType = typeof(Topology))]
    public void Deployment_Environment_CarriesTheAppSettings(string service)
    {
        var pod = Set.Deployment(service)["spec"]["template"];
        Assert.Equal("8080", Env(pod, "ASPNETCORE_HTTP_PORTS")["value"].Str);
        Assert.Equal(service, Env(pod, "OTEL_SERVICE_NAME")["value"].Str);
        Assert.StartsWith("http", Env(pod, "OTEL_EXPORTER_OTLP_ENDPOINT")["value"].Str, StringComparison.Ordinal);
        Assert.Equal("1", Env(pod, "ORT_DISABLE_TELEMETRY")["value"].Str);
        Assert.Equal("CPU", Env(pod, "Inference__ExecutionProvider")["value"].Str);
        Assert.Equal("1", Env(pod, "Inference__IntraOpThreads")["value"].Str);
        Assert.Equal("/app/models", Env(pod, "Models__Directory")["value"].Str);
        Assert.Equal(Topology.PubSub, Env(pod, "Dapr__PubSubName")["value"].Str);
    }

    [Theory]
    [MemberData(nameof(Topology.All), MemberType = typeof(Topology))]
    public void Deployment_Probes_UseTheHealthEndpointsWithTimeForModelLoading(string service)
    {
        var container = Set.Deployment(service)["spec"]["template"]["spec"]["containers"][0];
        AssertProbe(container["livenessProbe"], "/health/live");
        AssertProbe(container["readinessProbe"], "/health/ready");
        var startup = container["startupProbe"];
        AssertProbe(startup, "/health/ready");
        var budget = int.Parse(startup["failureThreshold"].Str, System.Globalization.CultureInfo.InvariantCulture)
                     * int.Parse(startup["periodSeconds"].Str, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(budget >= 60, $"{service}: startup probe allows only {budget}s for loading and warming the models");

        static void AssertProbe(Node probe, string path)
        {
            Assert.Equal(path, probe["httpGet"]["path"].Str);
            Assert.Equal("http", probe["httpGet"]["port"].Str);
        }
    }

    [Theory]
    [MemberData(nameof(Topology.All), MemberType = typeof(Topology))]
    public void Deployment_SecurityContext_IsNonRootReadOnlyWithoutCapabilities(string service)
    {
        var spec = Set.Deployment(service)["spec"]["template"]["spec"];
        Assert.Equal("true", spec["securityContext"]["runAsNonRoot"].Str);
        Assert.Equal("RuntimeDefault", spec["securityContext"]["seccompProfile"]["type"].Str);

        var container = spec["containers"][0];
        var security = container["securityContext"];
        Assert.Equal("true", security["runAsNonRoot"].Str);
        Assert.Equal("true", security["readOnlyRootFilesystem"].Str);
        Assert.Equal("false", security["allowPrivilegeEscalation"].Str);
        Assert.Equal("false", security["privileged"].Str);
        Assert.Contains("ALL", security["capabilities"]["drop"].Items.Select(i => i.Str));
        Assert.False(security["capabilities"]["add"].Exists, $"{service}: adds capabilities");

        var tmp = Assert.Single(container["volumeMounts"].Items, m => m["mountPath"].Value == "/tmp");
        var volume = Assert.Single(spec["volumes"].Items, v => v["name"].Value == tmp["name"].Str);
        Assert.True(volume["emptyDir"].IsMap, $"{service}: /tmp is not an emptyDir");
    }

    [Theory]
    [MemberData(nameof(Topology.All), MemberType = typeof(Topology))]
    public void Service_TargetsTheAppPortOfItsPods(string service)
    {
        var svc = Set.Single("Service", RenderedSet.ObjectName(service));
        var port = Assert.Single(svc["spec"]["ports"].Items);
        Assert.Equal("http", port["targetPort"].Str);
        Assert.Equal("80", port["port"].Str);

        var podLabels = Set.Deployment(service)["spec"]["template"]["metadata"]["labels"];
        foreach (var (key, value) in svc["spec"]["selector"].Entries)
            Assert.Equal(value.Str, podLabels[key].Value);
        Assert.Equal(service, svc["spec"]["selector"]["app.kubernetes.io/component"].Str);
    }

    [Theory]
    [MemberData(nameof(Topology.All), MemberType = typeof(Topology))]
    public void Autoscaler_AndDisruptionBudget_CoverTheDeployment(string service)
    {
        var name = RenderedSet.ObjectName(service);
        var hpa = Set.Single("HorizontalPodAutoscaler", name);
        Assert.Equal("Deployment", hpa["spec"]["scaleTargetRef"]["kind"].Str);
        Assert.Equal(name, hpa["spec"]["scaleTargetRef"]["name"].Str);
        Assert.False(Set.Deployment(service)["spec"]["replicas"].Exists, "replicas must be left to the autoscaler");

        var pdb = Set.Single("PodDisruptionBudget", name);
        Assert.Equal(service, pdb["spec"]["selector"]["matchLabels"]["app.kubernetes.io/component"].Str);
    }

    [Fact]
    public void Render_DefaultValues_NoGpuAnywhere()
    {
        Assert.DoesNotContain(Set.OfService("Deployment"), d => d["spec"]["template"]["spec"]["containers"][0]["resources"]["limits"][Topology.GpuResource].Exists);
        Assert.Empty(Set.OfKind("Ingress"));
        Assert.Empty(Set.OfKind("NetworkPolicy"));
    }

    [Theory]
    [MemberData(nameof(Topology.All), MemberType = typeof(Topology))]
    public void Deployment_DaprMaxConcurrency_IsWhatTheAppAdmits(string service)
    {
        // The sidecar never has more calls open to the app than the app runs plus queues: nothing Dapr sends
        // (pub/sub included) is refused with 503 by the app's own admission control.
        var pod = Set.Deployment(service)["spec"]["template"];
        var admitted = int.Parse(Env(pod, "Reliability__MaxConcurrentRequests")["value"].Str, System.Globalization.CultureInfo.InvariantCulture)
                       + int.Parse(Env(pod, "Reliability__MaxQueuedRequests")["value"].Str, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(admitted.ToString(System.Globalization.CultureInfo.InvariantCulture), pod["metadata"]["annotations"]["dapr.io/app-max-concurrency"].Str);
        var grace = TimeSpan.Parse(Env(pod, "Reliability__ShutdownGrace")["value"].Str, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(grace.TotalSeconds, 1, int.Parse(pod["spec"]["terminationGracePeriodSeconds"].Str, System.Globalization.CultureInfo.InvariantCulture) - 1);
        Assert.DoesNotContain(pod["spec"]["containers"][0]["env"].Items, e => e["name"].Value?.StartsWith("ApiKeys__Sha256", StringComparison.Ordinal) == true);
    }

    internal static Node Env(Node pod, string name)
    {
        var env = pod["spec"]["containers"][0]["env"].Items;
        var matches = env.Where(e => e["name"].Value == name).ToList();
        Assert.True(matches.Count == 1, $"{pod.Path}: expected one env var {name}, found {matches.Count}");
        return matches[0];
    }
}
