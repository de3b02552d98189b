namespace ImageApi.Tests;

/// <summary>Every error path of the contract over HTTP: the vendor's <c>detail</c> body, never a crash.</summary>
public sealed class ErrorTests(ImageApiFactory factory) : IClassFixture<ImageApiFactory>
{
    private const string Fitter = ServiceNames.FaceDetectorFaceFitter;

    [Theory]
    [InlineData("v1")]
    [InlineData("v2")]
    public async Task BrokenBase64_Is400Detail(string version)
    {
        var body = version == "v1"
            ? new JsonObject { ["$image"] = "@@not base64@@" }
            : new JsonObject { ["_image"] = new JsonObject { ["blob"] = "@@not base64@@", ["format"] = "IMAGE" } };
        var (status, json) = await factory.PostSampleAsync(Fitter, body);
        Assert.Equal(400, status);
        Assert.Equal(ErrorMessages.BadBase64, json!["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task NonImageBytes_Is400UnsupportedFormat()
    {
        var (status, json) = await factory.PostSampleAsync(Fitter, new JsonObject { ["$image"] = Convert.ToBase64String("%PDF-1.4 hello"u8.ToArray()) });
        Assert.Equal(400, status);
        Assert.Equal(ErrorMessages.UnsupportedFormat, json!["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task TruncatedJpeg_Is400()
    {
        var bytes = TestData.Bytes("identity/obama_1.jpg");
        var (status, json) = await factory.PostSampleAsync(Fitter, new JsonObject { ["$image"] = Convert.ToBase64String(bytes.AsSpan(0, bytes.Length / 2)) });
        Assert.Equal(400, status);
        Assert.IsType<string>(json!["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task DecompressionBomb_Is400()
    {
        var (status, json) = await factory.PostSampleAsync(Fitter, new JsonObject { ["$image"] = Convert.ToBase64String(Fixture.PngHeader(50_000, 50_000)) });
        Assert.Equal(400, status);
        Assert.Contains("exceed", json!["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task ImageOver4_7MiB_OnDetector_Is413()
    {
        var big = new byte[4_950_000];
        new Random(1).NextBytes(big);
        var (status, json) = await factory.PostSampleAsync(ServiceNames.BodyDetector, new JsonObject { ["$image"] = Convert.ToBase64String(big) });
        Assert.Equal(413, status);
        Assert.Equal(ErrorMessages.TooLarge, json!["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task BodyOverHardCap_Is413()
    {
        var (status, json) = await factory.PostRawAsync($"/{ServiceNames.GenderEstimator}/process/sample",
            "{\"$image\":\"" + new string('A', 17 * 1024 * 1024) + "\"}");
        Assert.Equal(413, status);
        Assert.Equal(ErrorMessages.TooLarge, json!["detail"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("{\"$image\":")]
    [InlineData("not json")]
    [InlineData("")]
    public async Task MalformedJson_Is422JsonInvalid(string raw)
    {
        var (status, json) = await factory.PostRawAsync($"/{Fitter}/process/sample", raw);
        Assert.Equal(422, status);
        var issue = json!["detail"]!.AsArray()[0]!;
        Assert.Equal("json_invalid", issue["type"]!.GetValue<string>());
        Assert.Equal("body", issue["loc"]![0]!.GetValue<string>());
    }

    [Theory]
    [InlineData("[1,2]", "dict_type", "body")]
    [InlineData("{\"$image\": 5}", "string_type", "$image")]
    [InlineData("{\"_image\": \"abc\"}", "dict_type", "_image")]
    [InlineData("{\"_image\": {\"format\": \"IMAGE\"}}", "missing", "_image")]
    [InlineData("{\"$image\": \"aGVsbG8=\", \"objects\": {}}", "list_type", "objects")]
    [InlineData("{\"$image\": \"aGVsbG8=\", \"objects\": [1]}", "dict_type", "objects")]
    [InlineData("{}", "missing", "_image")]
    [InlineData("{\"$image\": \"aGVsbG8=\", \"_image\": {\"blob\": \"aGVsbG8=\"}}", "value_error", "body")]
    public async Task WrongTypesOrMissingFields_Are422WithLocation(string raw, string type, string locPart)
    {
        var (status, json) = await factory.PostRawAsync($"/{Fitter}/process/sample", raw);
        Assert.Equal(422, status);
        var issue = json!["detail"]!.AsArray()[0]!;
        Assert.Equal(type, issue["type"]!.GetValue<string>());
        Assert.Contains(issue["loc"]!.AsArray(), l => l!.ToString() == locPart);
        Assert.False(string.IsNullOrEmpty(issue["msg"]!.GetValue<string>()));
    }

    public static TheoryData<string> BadBoxes => new()
    {
        "[0.5, 0.5, 0.2, 0.9]",
        "[0.1, 0.1, 0.5]",
        "[0.1, 0.1, 1.5, 0.5]",
        "[\"a\", 0.1, 0.5, 0.5]",
        "[0.3, 0.3, 0.3, 0.6]",
        "\"box\"",
    };

    [Theory]
    [MemberData(nameof(BadBoxes))]
    public async Task BadBbox_OnEstimator_Is422AtTheBbox(string bbox)
    {
        var raw = "{\"$image\": \"" + TestData.Base64("identity/obama_1.jpg") + "\", \"objects\": [{\"id\": 0, \"class\": \"face\", \"bbox\": " + bbox + "}]}";
        var (status, json) = await factory.PostRawAsync($"/{ServiceNames.GenderEstimator}/process/sample", raw);
        Assert.Equal(422, status);
        var loc = json!["detail"]!.AsArray()[0]!["loc"]!.AsArray().Select(l => l!.ToString()).ToList();
        Assert.Equal(["body", "objects", "0", "bbox"], loc.Take(4));
    }

    [Fact]
    public async Task Multipart_WithoutImageField_Is422()
    {
        using var client = factory.CreateClient();
        using var form = new MultipartFormDataContent { { new StringContent("x"), "other" } };
        var response = await client.PostAsync($"/{Fitter}/process/image", form);
        Assert.Equal(422, (int)response.StatusCode);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("missing", json["detail"]![0]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Multipart_NonImage_Is400()
    {
        var (status, json) = await factory.PostImageAsync(Fitter, "hello world"u8.ToArray(), "a.txt");
        Assert.Equal(400, status);
        Assert.Equal(ErrorMessages.UnsupportedFormat, json!["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task UnknownRoute_Is404()
    {
        var (status, _) = await factory.PostRawAsync("/no-such-service/process/sample", "{}");
        Assert.Equal(404, status);
    }
}
