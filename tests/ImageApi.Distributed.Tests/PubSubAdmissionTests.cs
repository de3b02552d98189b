using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ImageApi.Contracts;
using ImageApi.Orchestration;
using ImageApi.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using OrchestratorProgram = ImageApi.Hosts.Orchestrator.Program;

namespace ImageApi.Distributed.Tests;

/// <summary>Pub/sub work refused by admission control is retried by Dapr, not lost (issue 20). Dapr's subscription
/// contract (docs.dapr.io, pub/sub API, "Expected HTTP Response"): 2xx with <c>{"status": "SUCCESS"|"RETRY"|"DROP"}</c>
/// (or no body: SUCCESS), 404 = drop, any other status = retry. The orchestrator answers a delivery it cannot admit
/// with 503 + Retry-After (never 404, never DROP), so the message stays with Dapr and comes back.</summary>
[Collection(DistributedCollection.Name)]
public sealed class PubSubAdmissionTests(DistributedFixture fx)
{
    [Fact]
    public async Task DeliveryRefusedWhileFull_IsRetried_AndAnsweredOnce()
    {
        // An orchestrator that admits one request and queues none, behind its own sidecar, which retries every 250 ms.
        var sidecar = new TestSidecar { AppToken = DistributedFixture.AppToken, MaxDeliveryAttempts = 120, RetryDelay = TimeSpan.FromMilliseconds(250) };
        foreach (var (name, host) in fx.Services) sidecar.AddApp(name, host.CreateHandler());
        var settings = new Dictionary<string, string?>
        {
            [DaprNames.AppApiTokenVariable] = DistributedFixture.AppToken,
            ["Orchestrator:StageTimeout"] = "00:03:00",
            ["Dapr:HttpEndpoint"] = "http://127.0.0.1:3500",
            ["Reliability:MaxConcurrentRequests"] = "1",
            ["Reliability:MaxQueuedRequests"] = "0",
        };
        using var orchestrator = new HostFactory<OrchestratorProgram>(settings, s =>
        {
            s.AddHttpClient(DaprSidecar.InvokeClientName).ConfigurePrimaryHttpMessageHandler(() => sidecar.CreateHandler(ServiceNames.Orchestrator));
            s.AddHttpClient(DaprSidecar.SidecarClientName).ConfigurePrimaryHttpMessageHandler(() => sidecar.CreateHandler(ServiceNames.Orchestrator));
        });
        sidecar.AddApp(ServiceNames.Orchestrator, orchestrator.CreateHandler());
        await sidecar.DiscoverSubscriptionsAsync();

        var holdSample = await ServiceRequests.BuildAsync(ServiceNames.AgeEstimator, "v1", fx.Embedded);
        var sample = await ServiceRequests.BuildAsync(ServiceNames.GenderEstimator, "v1", fx.Embedded);

        // Hold the only slot: a direct request whose stage (age-estimator) answers after 6 s.
        sidecar.SetFault(ServiceNames.AgeEstimator, new AppFault(Delay: TimeSpan.FromSeconds(6)));
        using var client = orchestrator.CreateClient();
        var holder = client.PostAsync($"/{ServiceNames.AgeEstimator}/process/sample",
            new StringContent(holdSample.ToJsonString(), Encoding.UTF8, "application/json"));

        // What the sidecar gets when it delivers now: 503 + Retry-After, no DROP: Dapr's "retry" answer. (Probed until
        // the held request has taken the slot; a probe admitted before that is an empty event, answered DROP.)
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            using var probe = new HttpRequestMessage(HttpMethod.Post, DaprNames.RequestsRoute)
            {
                Content = new StringContent(new JsonObject { ["specversion"] = "1.0", ["id"] = "probe", ["data"] = new JsonObject() }.ToJsonString(),
                    Encoding.UTF8, "application/cloudevents+json"),
            };
            probe.Headers.Add("dapr-api-token", DistributedFixture.AppToken);
            using var answer = await client.SendAsync(probe);
            if (answer.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                Assert.NotNull(answer.Headers.RetryAfter);
                var body = await answer.Content.ReadAsStringAsync();
                Assert.DoesNotContain("DROP", body, StringComparison.OrdinalIgnoreCase);
                Assert.False(holder.IsCompleted, "the slot was free: the refusal was not admission control's");
                break;
            }

            Assert.True(DateTime.UtcNow < deadline && !holder.IsCompleted, $"never refused while the slot was held (last: {(int)answer.StatusCode})");
            await Task.Delay(100);
        }

        // A real request event while the slot is held: refused (RETRY), redelivered, answered exactly once.
        var id = "busy-" + Guid.NewGuid().ToString("N");
        var published = sidecar.PublishJson(DaprNames.RequestsTopic, new JsonObject { ["request_id"] = id, ["service"] = ServiceNames.GenderEstimator, ["sample"] = sample });
        var eventId = (string)published["id"]!;
        var result = await sidecar.WaitForEventAsync(DaprNames.ResultsTopic, e => (string?)e["data"]?["request_id"] == id, TimeSpan.FromMinutes(2));
        using (var held = await holder) Assert.True((int)held.StatusCode < 500, $"the held request: {(int)held.StatusCode}");
        await sidecar.DeliveriesSettledAsync();

        var attempts = sidecar.Deliveries.Where(d => d.EventId == eventId).Select(d => d.Status).ToList();
        Assert.True(attempts.Count >= 2 && attempts[0] == "RETRY", $"attempts: {string.Join(", ", attempts)}");
        Assert.Equal("SUCCESS", attempts[^1]);
        Assert.Equal(1, attempts.Count(a => a == "SUCCESS"));
        Assert.Equal(200, (int)result["data"]!["status"]!);
        Assert.Single(sidecar.Events(DaprNames.ResultsTopic), e => (string?)e["data"]?["request_id"] == id);
        Assert.Empty(sidecar.Events(DaprNames.DeadLetterTopic));
    }
}
