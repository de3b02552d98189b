namespace ImageApi.Distributed.Tests;

/// <summary>Requests through the <c>image-api-requests</c> topic: one result per request id on
/// <c>image-api-results</c>, poison messages to the dead-letter topic, redeliveries answered once, large payloads by
/// state-store key.</summary>
[Collection(DistributedCollection.Name)]
public sealed class PubSubTests(DistributedFixture fx)
{
    private static readonly TimeSpan Wait = TimeSpan.FromMinutes(3);

    private static JsonObject Request(string id, string service, JsonObject sample) =>
        new() { ["request_id"] = id, ["service"] = service, ["sample"] = sample };

    private Task<JsonObject> ResultAsync(string id) =>
        fx.Sidecar.WaitForEventAsync(DaprNames.ResultsTopic, e => (string?)e["data"]?["request_id"] == id, Wait);

    private int ResultCount(string id) => fx.Sidecar.Events(DaprNames.ResultsTopic).Count(e => (string?)e["data"]?["request_id"] == id);

    /// <summary>The result's answer, inline or read back from the state store by its key.</summary>
    private JsonNode? AnswerOf(JsonNode data) =>
        data["result"] ?? (data["result_key"] is { } key ? JsonNode.Parse(fx.Sidecar.State[(string)key!]) : null);

    [Fact]
    public async Task Subscribe_ListsTheRequestsTopicWithItsDeadLetterTopic()
    {
        var subscription = Assert.Single(fx.Sidecar.Subscriptions);

        Assert.Equal(new Subscription(ServiceNames.Orchestrator, DaprNames.PubSub, DaprNames.RequestsTopic, DaprNames.RequestsRoute,
            DaprNames.DeadLetterTopic), subscription);
        await Task.CompletedTask;
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("v2")]
    public async Task RequestEvent_YieldsExactlyOneResultWithTheSameId(string version)
    {
        var id = "req-" + Guid.NewGuid().ToString("N");
        var sample = await ServiceRequests.BuildAsync(ServiceNames.AgeEstimator, version, fx.Embedded);
        var (status, expected) = await fx.Embedded.PostSampleAsync(ServiceNames.AgeEstimator, sample.DeepClone(), "?echo_image=false");

        fx.Sidecar.PublishJson(DaprNames.RequestsTopic, Request(id, ServiceNames.AgeEstimator, sample));
        var result = (await ResultAsync(id))["data"]!;
        await fx.Sidecar.DeliveriesSettledAsync();

        Assert.Equal(1, ResultCount(id));
        Assert.Equal(status, (int)result["status"]!);
        Assert.Equal(ServiceNames.AgeEstimator, (string)result["service"]!);
        if (status == 200) JsonAssert.EqualIgnoringTimings(expected, AnswerOf(result), "pub/sub answer");
        else JsonAssert.EqualIgnoringTimings(expected!["detail"], result["detail"], "pub/sub error detail");
    }

    [Fact]
    public async Task PipelineRequestEvent_AnswersAsThePipelineRoute()
    {
        var id = "pipe-" + Guid.NewGuid().ToString("N");
        string[] stages = [ServiceNames.FaceDetectorFaceFitter, ServiceNames.MaskEstimator];
        var sample = SpecExamples.Request(ServiceNames.FaceDetectorFaceFitter, "v2", ServiceRequests.FaceImage);
        var (status, expected) = await fx.Embedded.PostSampleAsync("pipeline", sample.DeepClone(),
            $"?services={string.Join(',', stages)}&echo_image=false");

        fx.Sidecar.PublishJson(DaprNames.RequestsTopic, new JsonObject
        {
            ["request_id"] = id, ["pipeline"] = new JsonArray([.. stages.Select(s => (JsonNode)s)]), ["sample"] = sample,
            ["timings"] = true,
        });
        var result = (await ResultAsync(id))["data"]!;

        Assert.Equal(status, (int)result["status"]!);
        if (status == 200)
        {
            var answer = AnswerOf(result)!;
            JsonAssert.EqualIgnoringTimings(expected, answer, "pub/sub pipeline answer");
            Assert.NotNull(answer["timings"]?[ServiceNames.MaskEstimator]);
        }
    }

    [Fact]
    public async Task LargeResult_TravelsThroughTheStateStoreByKey()
    {
        var id = "big-" + Guid.NewGuid().ToString("N");
        var sample = SpecExamples.Request(ServiceNames.FaceDetectorFaceFitter, "v1", ServiceRequests.FaceImage);
        var (status, expected) = await fx.Embedded.PostSampleAsync(ServiceNames.FaceDetectorFaceFitter, sample.DeepClone());
        Assert.Equal(200, status); // the fitter's area is in: a real answer, with the image echoed (~460 kB)

        var data = Request(id, ServiceNames.FaceDetectorFaceFitter, sample);
        data["echo_image"] = true;
        fx.Sidecar.PublishJson(DaprNames.RequestsTopic, data);
        var result = (await ResultAsync(id))["data"]!;

        Assert.Null(result["result"]);
        Assert.Equal(DaprNames.ResultKeyPrefix + id, (string)result["result_key"]!);
        Assert.True(result.ToJsonString().Length < DistributedFixture.InlineLimitBytes);
        JsonAssert.EqualIgnoringTimings(expected, AnswerOf(result), "offloaded answer");
    }

    [Fact]
    public async Task LargeSample_ByStateStoreKey_IsAnswered()
    {
        var id = "key-" + Guid.NewGuid().ToString("N");
        var sample = await ServiceRequests.BuildAsync(ServiceNames.GenderEstimator, "v2", fx.Embedded);
        var (status, expected) = await fx.Embedded.PostSampleAsync(ServiceNames.GenderEstimator, sample.DeepClone(), "?echo_image=false");
        fx.Sidecar.State["client-sample-" + id] = sample.ToJsonString(); // what the client saved through its sidecar

        fx.Sidecar.PublishJson(DaprNames.RequestsTopic, new JsonObject
        {
            ["request_id"] = id, ["service"] = ServiceNames.GenderEstimator, ["sample_key"] = "client-sample-" + id,
        });
        var result = (await ResultAsync(id))["data"]!;

        Assert.Equal(status, (int)result["status"]!);
        if (status == 200) JsonAssert.EqualIgnoringTimings(expected, AnswerOf(result), "answer of a sample by key");
    }

    [Fact]
    public async Task SampleKeyNotInTheStore_ErrorResultWithDetail()
    {
        var id = "nokey-" + Guid.NewGuid().ToString("N");

        fx.Sidecar.PublishJson(DaprNames.RequestsTopic, new JsonObject
        {
            ["request_id"] = id, ["service"] = ServiceNames.GenderEstimator, ["sample_key"] = "never-saved-" + id,
        });
        var result = (await ResultAsync(id))["data"]!;

        Assert.Equal(422, (int)result["status"]!);
        Assert.Equal("sample_key", (string)result["detail"]![0]!["loc"]![1]!);
    }

    public static TheoryData<string, string> PoisonMessages => new()
    {
        { "text/plain", "this is not JSON" },
        { "application/json", """{"service": "age-estimator", "sample": {}}""" },
        { "application/json", """{"request_id": "p-1", "service": "no-such-service", "sample": {}}""" },
        { "application/json", """{"request_id": "p-2", "service": "age-estimator", "pipeline": ["age-estimator"], "sample": {}}""" },
        { "application/json", """{"request_id": "p-3", "service": "age-estimator", "sample": "not an object"}""" },
        { "application/json", """{"request_id": "bad||id", "service": "age-estimator", "sample": {}}""" },
    };

    [Theory]
    [MemberData(nameof(PoisonMessages))]
    public async Task MalformedEvent_LandsInTheDeadLetterTopic_AndYieldsNoResult(string contentType, string payload)
    {
        var results = fx.Sidecar.Events(DaprNames.ResultsTopic).Count;
        var published = contentType == "application/json"
            ? fx.Sidecar.PublishJson(DaprNames.RequestsTopic, JsonNode.Parse(payload)!)
            : fx.Sidecar.PublishRaw(DaprNames.RequestsTopic, payload);
        var eventId = (string)published["id"]!;

        var dead = await fx.Sidecar.WaitForEventAsync(DaprNames.DeadLetterTopic, e => (string?)e["id"] == eventId, Wait);
        await fx.Sidecar.DeliveriesSettledAsync();

        Assert.Equal(published["data"]!.ToJsonString(), dead["data"]!.ToJsonString());
        Assert.Equal(results, fx.Sidecar.Events(DaprNames.ResultsTopic).Count);
        Assert.Contains(fx.Sidecar.Deliveries, d => d.EventId == eventId && d.Status == "DROP");
    }

    [Fact]
    public async Task RedeliveredRequestId_IsProcessedAndAnsweredOnce()
    {
        var id = "again-" + Guid.NewGuid().ToString("N");
        var sample = await ServiceRequests.BuildAsync(ServiceNames.EmotionEstimator, "v1", fx.Embedded);
        var before = fx.Sidecar.Invocations.Count(i => i.App == ServiceNames.EmotionEstimator);
        var published = fx.Sidecar.PublishJson(DaprNames.RequestsTopic, Request(id, ServiceNames.EmotionEstimator, sample.DeepClone().AsObject()));
        await ResultAsync(id);

        // The broker delivers the same message again, and a client re-sends the same request id.
        await fx.Sidecar.DeliverAsync(DaprNames.RequestsTopic, published);
        fx.Sidecar.PublishJson(DaprNames.RequestsTopic, Request(id, ServiceNames.EmotionEstimator, sample.DeepClone().AsObject()));
        await fx.Sidecar.DeliveriesSettledAsync();

        Assert.Equal(1, ResultCount(id));
        Assert.Equal(before + 1, fx.Sidecar.Invocations.Count(i => i.App == ServiceNames.EmotionEstimator));
        Assert.True(fx.Sidecar.State.ContainsKey(DaprNames.ProcessedKeyPrefix + id));
    }

    [Fact]
    public async Task RequestWhoseStageIsDown_YieldsA502ResultQuickly()
    {
        var id = "down-" + Guid.NewGuid().ToString("N");
        var sample = await ServiceRequests.BuildAsync(ServiceNames.MaskEstimator, "v2", fx.Embedded);
        fx.Sidecar.SetFault(ServiceNames.MaskEstimator, new AppFault(Down: true));
        try
        {
            fx.Sidecar.PublishJson(DaprNames.RequestsTopic, Request(id, ServiceNames.MaskEstimator, sample));
            var result = (await fx.Sidecar.WaitForEventAsync(DaprNames.ResultsTopic,
                e => (string?)e["data"]?["request_id"] == id, TimeSpan.FromSeconds(30)))["data"]!;

            Assert.Equal(502, (int)result["status"]!);
            Assert.Contains(ServiceNames.MaskEstimator, (string)result["detail"]!, StringComparison.Ordinal);
        }
        finally
        {
            fx.Sidecar.ClearFault(ServiceNames.MaskEstimator);
        }
    }
}
