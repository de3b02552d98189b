namespace ImageApi.Chart.Tests;

/// <summary>The Dapr resources the chart renders, and the local set in components/ that must match them.</summary>
public sealed class DaprResourceTests
{
    private static RenderedSet Set => RenderedSet.Get(RenderedSet.Default);

    [Fact]
    public void Components_PubSubAndStateStore_UseRedisFromASecret()
    {
        foreach (var (name, type) in new[] { (Topology.PubSub, "pubsub.redis"), (Topology.StateStore, "state.redis") })
        {
            var component = Set.Single("Component", name);
            Assert.Equal(type, component["spec"]["type"].Str);
            var metadata = component["spec"]["metadata"].Items;
            foreach (var key in new[] { "redisHost", "redisPassword" })
            {
                var item = Assert.Single(metadata, m => m["name"].Value == key);
                Assert.False(item["value"].Exists, $"{name}.{key} must come from a Secret");
                Set.Single("Secret", item["secretKeyRef"]["name"].Str);
            }

            Assert.Contains(Topology.Orchestrator, component["scopes"].Items.Select(s => s.Str));
        }
    }

    [Fact]
    public void Subscription_Requests_GoToTheOrchestratorWithADeadLetterTopic()
    {
        var subscription = Assert.Single(Set.OfKind("Subscription"));
        Assert.Equal("dapr.io/v2alpha1", subscription["apiVersion"].Str);
        Assert.Equal(Topology.PubSub, subscription["spec"]["pubsubname"].Str);
        Assert.Equal(Topology.RequestsTopic, subscription["spec"]["topic"].Str);
        Assert.Equal(Topology.RequestsRoute, subscription["spec"]["routes"]["default"].Str);
        Assert.Equal(Topology.DeadLetterTopic, subscription["spec"]["deadLetterTopic"].Str);
        Assert.Equal([Topology.Orchestrator], subscription["scopes"].Items.Select(s => s.Str));
    }

    [Fact]
    public void Resiliency_EveryAppId_HasTimeoutRetryAndCircuitBreaker()
    {
        var resiliency = Set.Single("Resiliency", Topology.Resiliency);
        var policies = resiliency["spec"]["policies"];
        var apps = resiliency["spec"]["targets"]["apps"];
        Assert.Equal(Topology.ChartServices.Order(StringComparer.Ordinal), apps.Keys.Order(StringComparer.Ordinal));
        foreach (var (app, target) in apps.Entries)
        {
            Assert.True(policies["timeouts"][target["timeout"].Str].Exists, $"{app}: no timeout policy {target["timeout"].Str}");
            Assert.True(policies["retries"][target["retry"].Str].Exists, $"{app}: no retry policy {target["retry"].Str}");
            Assert.True(policies["circuitBreakers"][target["circuitBreaker"].Str].Exists, $"{app}: no circuit breaker {target["circuitBreaker"].Str}");
        }

        Assert.Equal("exponential", policies["retries"][apps[Topology.Orchestrator]["retry"].Str]["policy"].Str);
        Assert.True(resiliency["spec"]["targets"]["components"][Topology.PubSub]["inbound"]["retry"].Exists);
    }

    [Fact]
    public void Configuration_TracesToTheCollector_AndAllowsOnlyTheReleasesAppIds()
    {
        var config = Set.Single("Configuration", Topology.Configuration);
        var otel = config["spec"]["tracing"]["otel"];
        Assert.Equal("otel-collector.observability.svc.cluster.local:4317", otel["endpointAddress"].Str);
        Assert.Equal("grpc", otel["protocol"].Str);
        Assert.Equal("false", otel["isSecure"].Str);

        var acl = config["spec"]["accessControl"];
        Assert.Equal("deny", acl["defaultAction"].Str);
        Assert.Equal(Topology.ChartServices.Order(StringComparer.Ordinal), acl["policies"].Items.Select(p => p["appId"].Str).Order(StringComparer.Ordinal));
        Assert.False(config["spec"]["mtls"].Exists, "mTLS is the control plane's setting; the chart must not touch it");
    }

    [Theory]
    [InlineData("local")]
    [InlineData("redis")]
    public void LocalComponents_ResiliencyAndSubscriptions_MatchTheChart(string set)
    {
        var resiliency = Node.Load(Repo.File($"components/{set}/resiliency.yaml"));
        var rendered = Set.Single("Resiliency", Topology.Resiliency);
        Assert.Equal(Topology.Resiliency, resiliency["metadata"]["name"].Str);
        Assert.Equal(rendered["spec"].Canonical(), resiliency["spec"].Canonical());

        var subscription = Node.Load(Repo.File($"components/{set}/subscriptions.yaml"));
        var renderedSubscription = Assert.Single(Set.OfKind("Subscription"));
        Assert.Equal(renderedSubscription["spec"].Canonical(), subscription["spec"].Canonical());
        Assert.Equal(renderedSubscription["scopes"].Canonical(), subscription["scopes"].Canonical());
    }

    [Theory]
    [InlineData("local", "pubsub.in-memory", "state.in-memory")]
    [InlineData("redis", "pubsub.redis", "state.redis")]
    public void LocalComponents_PubSubAndStateStore_HaveTheChartsNamesAndScopes(string set, string pubsubType, string stateType)
    {
        foreach (var (file, name, type) in new[] { ("pubsub", Topology.PubSub, pubsubType), ("statestore", Topology.StateStore, stateType) })
        {
            var local = Node.Load(Repo.File($"components/{set}/{file}.yaml"));
            Assert.Equal("Component", local["kind"].Str);
            Assert.Equal(name, local["metadata"]["name"].Str);
            Assert.Equal(type, local["spec"]["type"].Str);
            Assert.Equal(Set.Single("Component", name)["scopes"].Canonical(), local["scopes"].Canonical());
        }
    }

    [Fact]
    public void LocalConfiguration_HasTheChartsNameAndTracing()
    {
        var config = Node.Load(Repo.File($"components/{Topology.Configuration}.yaml"));
        Assert.Equal("Configuration", config["kind"].Str);
        Assert.Equal(Topology.Configuration, config["metadata"]["name"].Str);
        Assert.Equal("localhost:4317", config["spec"]["tracing"]["otel"]["endpointAddress"].Str);
    }
}
