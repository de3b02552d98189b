using System.Text;

namespace ImageApi.Distributed.Tests;

public sealed class RequestEventTests
{
    private static JsonObject Envelope(JsonNode? data) => new()
    {
        ["specversion"] = "1.0", ["id"] = "e1", ["source"] = "client", ["type"] = "com.dapr.event.sent",
        ["topic"] = DaprNames.RequestsTopic, ["pubsubname"] = DaprNames.PubSub,
        ["traceparent"] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", ["data"] = data,
    };

    [Fact]
    public void TryParse_ServiceRequest_ReadsEveryField()
    {
        var data = JsonNode.Parse("""{"request_id": "r-1", "service": "age-estimator", "sample": {"_image": {"blob": "eA=="}}, "echo_image": true}""");

        Assert.True(RequestEvent.TryParse(Envelope(data), out var request, out _));

        Assert.Equal("r-1", request!.RequestId);
        Assert.Equal("age-estimator", request.Service);
        Assert.Null(request.Pipeline);
        Assert.NotNull(request.Sample!["_image"]);
        Assert.Null(request.Sample.Parent);
        Assert.True(request.EchoImage);
        Assert.False(request.Timings);
        Assert.Equal("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", request.TraceParent);
    }

    [Fact]
    public void TryParse_PipelineWithSampleKey()
    {
        var data = JsonNode.Parse("""{"request_id": "r-2", "pipeline": ["face-detector-face-fitter", "mask-estimator"], "sample_key": "k-2", "timings": true}""");

        Assert.True(RequestEvent.TryParse(Envelope(data), out var request, out _));

        Assert.Equal(["face-detector-face-fitter", "mask-estimator"], request!.Pipeline);
        Assert.Equal("k-2", request.SampleKey);
        Assert.True(request.Timings);
    }

    [Fact]
    public void TryParse_DataAsJsonTextOrBase64_OrARawPayload()
    {
        const string json = """{"request_id": "r-3", "service": "mask-estimator", "sample": {}}""";
        var base64 = Envelope(null);
        base64.Remove("data");
        base64["data_base64"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(json));

        Assert.True(RequestEvent.TryParse(Envelope(JsonValue.Create(json)), out _, out _));
        Assert.True(RequestEvent.TryParse(base64, out _, out _));
        Assert.True(RequestEvent.TryParse(JsonNode.Parse(json), out _, out _));
    }

    [Theory]
    [InlineData("""{"service": "age-estimator", "sample": {}}""", "request_id")]
    [InlineData("""{"request_id": "", "service": "age-estimator", "sample": {}}""", "request_id")]
    [InlineData("""{"request_id": "a b", "service": "age-estimator", "sample": {}}""", "request_id")]
    [InlineData("""{"request_id": "r", "sample": {}}""", "exactly one of service and pipeline")]
    [InlineData("""{"request_id": "r", "service": "x", "sample": {}}""", "known service")]
    [InlineData("""{"request_id": "r", "pipeline": [], "sample": {}}""", "pipeline")]
    [InlineData("""{"request_id": "r", "pipeline": ["age-estimator", 3], "sample": {}}""", "pipeline")]
    [InlineData("""{"request_id": "r", "service": "age-estimator"}""", "sample")]
    [InlineData("""{"request_id": "r", "service": "age-estimator", "sample": {}, "sample_key": "k"}""", "sample")]
    [InlineData("""{"request_id": "r", "service": "age-estimator", "sample": [1]}""", "sample")]
    public void TryParse_Malformed_FalseWithTheReason(string data, string reason)
    {
        Assert.False(RequestEvent.TryParse(Envelope(JsonNode.Parse(data)), out var request, out var why));

        Assert.Null(request);
        Assert.Contains(reason, why, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_NotAnObjectOrNoData_False()
    {
        Assert.False(RequestEvent.TryParse(null, out _, out _));
        Assert.False(RequestEvent.TryParse(new JsonArray(), out _, out _));
        Assert.False(RequestEvent.TryParse(Envelope(JsonValue.Create("not json")), out _, out _));
    }
}
