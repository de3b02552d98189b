using System.Net;
using System.Text;
using ImageApi.Hosting;
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
        // An orchestrator that admits one request and queues none, behind its own sidecar, which redelivers every 200 ms.
        var sidecar = new TestSidecar { AppToken = DistributedFixture.AppToken, MaxDeliveryAttempts = 600, RetryDelay = TimeSpan.FromMilliseconds(200) };
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

        // Hold the only slot: a direct request whose stage (age-estimator) waits at its boundary until released. Once
        // the stage call has arrived there, the request is provably inside admission control, in model work.
        var hold = new AppHold();
        sidecar.SetFault(ServiceNames.AgeEstimator, new AppFault(Hold: hold));
        using var client = orchestrator.CreateClient();
        var holder = client.PostAsync($"/{ServiceNames.AgeEstimator}/process/sample",
            new StringContent(holdSample.ToJsonString(), Encoding.UTF8, "application/json"));
        await hold.Entered.WaitAsync(TimeSpan.FromSeconds(60));

        // What a delivery gets now: 503 + Retry-After in the vendor's detail format, not 200/DROP (an event admitted now
        // would be answered DROP: it carries no request).
        using (var probe = new HttpRequestMessage(HttpMethod.Post, DaprNames.RequestsRoute)
        {
            Content = new StringContent(new JsonObject { ["specversion"] = "1.0", ["id"] = "probe", ["data"] = new JsonObject() }.ToJsonString(),
                Encoding.UTF8, "application/cloudevents+json"),
        })
        {
            probe.Headers.Add("dapr-api-token", DistributedFixture.AppToken);
            using var refused = await client.SendAsync(probe);
            var body = await refused.Content.ReadAsStringAsync();
            Assert.True(refused.StatusCode == HttpStatusCode.ServiceUnavailable, $"delivery while the slot is held: {(int)refused.StatusCode} {body}");
            Assert.NotNull(refused.Headers.RetryAfter);
            Assert.Equal(ReliabilityErrors.Busy, (string?)JsonNode.Parse(body)?["detail"]);
        }

        // A real request event while the slot is held: refused (RETRY) and redelivered, nothing published yet.
        var id = "busy-" + Guid.NewGuid().ToString("N");
        var published = sidecar.PublishJson(DaprNames.RequestsTopic, new JsonObject { ["request_id"] = id, ["service"] = ServiceNames.GenderEstimator, ["sample"] = sample });
        var eventId = (string)published["id"]!;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (sidecar.Deliveries.Count(d => d.EventId == eventId) < 3 && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.All(sidecar.Deliveries.Where(d => d.EventId == eventId), d => Assert.Equal("RETRY", d.Status));
        Assert.True(sidecar.Deliveries.Count(d => d.EventId == eventId) >= 3, "the refused event was not redelivered");
        Assert.DoesNotContain(sidecar.Events(DaprNames.ResultsTopic), e => (string?)e["data"]?["request_id"] == id);
        Assert.False(holder.IsCompleted, "the held request finished before its stage was released");

        // Free the slot: the next redelivery is admitted and answered, exactly once.
        hold.Release();
        using (var held = await holder) Assert.Equal(HttpStatusCode.OK, held.StatusCode);
        var result = await sidecar.WaitForEventAsync(DaprNames.ResultsTopic, e => (string?)e["data"]?["request_id"] == id, TimeSpan.FromMinutes(2));
        await sidecar.DeliveriesSettledAsync();

        var attempts = sidecar.Deliveries.Where(d => d.EventId == eventId).Select(d => d.Status).ToList();
        Assert.Equal("SUCCESS", attempts[^1]);
        Assert.Equal(1, attempts.Count(a => a == "SUCCESS"));
        Assert.All(attempts.SkipLast(1), a => Assert.Equal("RETRY", a));
        Assert.Equal(200, (int)result["data"]!["status"]!);
        Assert.Single(sidecar.Events(DaprNames.ResultsTopic), e => (string?)e["data"]?["request_id"] == id);
        Assert.Empty(sidecar.Events(DaprNames.DeadLetterTopic));
    }
}
