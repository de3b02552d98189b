using System.Text;

namespace ImageApi.Distributed.Tests;

public sealed class DownstreamAnswerTests
{
    private static DownstreamAnswer Answer(int status, string body) => new("age-estimator", status, "application/json", Encoding.UTF8.GetBytes(body));

    [Fact]
    public void ToApiException_ValidationList_SameBodyAgain()
    {
        const string body = """{"detail":[{"loc":["body","objects",0,"bbox"],"msg":"bbox must have x1 < x2 and y1 < y2","type":"value_error"}]}""";

        var e = Answer(422, body).ToApiException();

        Assert.Equal(422, e.StatusCode);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(body), ErrorBody.From(e)));
    }

    [Theory]
    [InlineData(400, """{"detail":"Failed to decode base64 string"}""", "Failed to decode base64 string")]
    [InlineData(501, """{"detail":"not here"}""", "not here")]
    [InlineData(404, "not json", "Service 'age-estimator' answered HTTP 404")]
    public void ToApiException_StringDetail_PassedOn(int status, string body, string detail)
    {
        var e = Answer(status, body).ToApiException();

        Assert.Equal(status, e.StatusCode);
        Assert.Equal(detail, e.Detail);
    }

    [Theory]
    [InlineData(200, """{"objects":[]}""", null)]
    [InlineData(422, """{"detail":[]}""", null)]
    [InlineData(501, """{"detail":"x"}""", null)]
    [InlineData(500, """{"detail":"Internal server error"}""", 502)]
    [InlineData(503, "", 502)]
    [InlineData(500, """{"errorCode":"ERR_DIRECT_INVOKE","message":"fail to invoke: connection refused"}""", 502)]
    [InlineData(500, """{"errorCode":"ERR_DIRECT_INVOKE","message":"context deadline exceeded"}""", 504)]
    public void FromAnswer_OnlyFailuresAreFaults(int status, string body, int? fault)
    {
        Assert.Equal(fault, StageFaults.FromAnswer(Answer(status, body))?.StatusCode);
    }
}
