using System.Globalization;
using System.Net.Http.Headers;
using ImageApi.Hosting;
using SkiaSharp;

namespace ImageApi.Tests;

/// <summary>
/// The hostile-input corpus (issue 20), every input made in code: each case gets a documented 4xx with a
/// <c>detail</c>, or a correct 200 — never a 5xx, never a hang — and the service answers its health probe afterwards.
/// </summary>
public sealed class HostileInputTests(ImageApiFactory factory) : IClassFixture<ImageApiFactory>
{
    private const string Fitter = ServiceNames.FaceDetectorFaceFitter;
    private static readonly string SamplePath = $"/{Fitter}/process/sample";
    private static readonly string ImagePath = $"/{Fitter}/process/image";

    // ---- JSON shape --------------------------------------------------------------------------------------------

    [Fact]
    public async Task EmptyBody_Is422JsonInvalid()
    {
        var answer = await PostAsync(SamplePath, [], "application/json");
        AssertValidation(answer, "json_invalid");
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData(null)]
    public async Task WrongOrMissingContentType_OnSample_IsAnsweredAsJson(string? contentType)
    {
        // Like FastAPI's JSON body, the content type is not what decides: a valid sample is processed, so both answer 200.
        var body = Encoding.UTF8.GetBytes(new JsonObject { ["$image"] = Convert.ToBase64String(HostileImages.Jpeg()) }.ToJsonString());
        var answer = await PostAsync(SamplePath, body, contentType);
        Assert.Equal(200, answer.Status);
        Assert.NotNull(answer.Json);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("image/jpeg")]
    [InlineData(null)]
    public async Task WrongOrMissingContentType_OnUpload_Is422FieldRequired(string? contentType)
    {
        var answer = await PostAsync(ImagePath, HostileImages.Jpeg(), contentType);
        AssertValidation(answer, "missing");
    }

    [Fact]
    public async Task JsonNested10000Deep_Is422JsonInvalid()
    {
        var json = new string('[', 10_000) + new string(']', 10_000);
        var answer = await PostAsync(SamplePath, Encoding.UTF8.GetBytes("{\"objects\":" + json + "}"), "application/json");
        AssertValidation(answer, "json_invalid");
    }

    [Fact]
    public async Task HundredThousandObjects_Is422()
    {
        var objects = new StringBuilder("[");
        for (var i = 0; i < 100_000; i++)
        {
            if (i > 0) objects.Append(',');
            objects.Append(CultureInfo.InvariantCulture, $"{{\"id\":{i},\"class\":\"face\",\"bbox\":[0.1,0.1,0.5,0.5]}}");
        }

        objects.Append(']');
        var body = $"{{\"$image\":\"{Convert.ToBase64String(HostileImages.Jpeg())}\",\"objects\":{objects}}}";
        var answer = await PostAsync($"/{ServiceNames.AgeEstimator}/process/sample", Encoding.UTF8.GetBytes(body), "application/json");
        Assert.Equal(422, answer.Status);
        AssertDetail(answer);
    }

    // Only gross values: a bbox overshooting [0, 1] by a small margin may be clamped and accepted (detector jitter).
    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("\"NaN\"")]
    [InlineData("\"0.5\"")]
    [InlineData("-5")]
    [InlineData("7")]
    [InlineData("1e308")]
    [InlineData("-1e308")]
    [InlineData("1e999")]
    [InlineData("null")]
    [InlineData("true")]
    [InlineData("[0.1]")]
    public async Task GrossBboxValue_Is422(string value)
    {
        var image = Convert.ToBase64String(HostileImages.Jpeg());
        var body = $"{{\"$image\":\"{image}\",\"objects\":[{{\"id\":0,\"class\":\"face\",\"bbox\":[0.1,{value},0.6,0.7]}}]}}";
        var answer = await PostAsync($"/{ServiceNames.AgeEstimator}/process/sample", Encoding.UTF8.GetBytes(body), "application/json");
        Assert.Equal(422, answer.Status);
        AssertDetail(answer);
    }

    [Theory]
    [InlineData("PNG")]
    [InlineData("TEMPLATE")]
    [InlineData("")]
    public async Task UnknownFormat_Is422LiteralError(string format)
    {
        var body = new JsonObject { ["_image"] = new JsonObject { ["blob"] = Convert.ToBase64String(HostileImages.Jpeg()), ["format"] = format } };
        var answer = await PostAsync(SamplePath, Encoding.UTF8.GetBytes(body.ToJsonString()), "application/json");
        AssertValidation(answer, "literal_error");
    }

    // ---- base64 ------------------------------------------------------------------------------------------------

    public static TheoryData<string, int> Base64Variants() => new()
    {
        { "line breaks every 76", 200 },
        { "spaces", 200 },
        { "data uri", 200 },
        { "url-safe alphabet", 400 },
        { "missing padding", 400 },
        { "only a data uri prefix", 400 },
    };

    [Theory]
    [MemberData(nameof(Base64Variants))]
    public async Task Base64Variant_IsDecodedOr400(string variant, int expected)
    {
        // A PNG whose base64 needs padding and holds both '+' and '/', so the URL-safe and unpadded forms really differ.
        var png = PngNeedingPaddingWithPlusAndSlash();
        var b64 = Convert.ToBase64String(png);
        var text = variant switch
        {
            "line breaks every 76" => Convert.ToBase64String(png, Base64FormattingOptions.InsertLineBreaks),
            "spaces" => string.Join(' ', b64.Chunk(10).Select(c => new string(c))),
            "data uri" => "data:image/png;base64," + b64,
            "url-safe alphabet" => b64.Replace('+', '-').Replace('/', '_'),
            "missing padding" => b64.TrimEnd('='),
            "only a data uri prefix" => "data:image/png;base64",
            _ => throw new ArgumentOutOfRangeException(nameof(variant)),
        };
        var answer = await PostAsync(SamplePath, Encoding.UTF8.GetBytes(new JsonObject { ["$image"] = text }.ToJsonString()), "application/json");
        Assert.Equal(expected, answer.Status);
        if (expected == 400) Assert.Equal(ErrorMessages.BadBase64, answer.Json!["detail"]!.GetValue<string>());
    }

    // ---- images ------------------------------------------------------------------------------------------------

    public static TheoryData<string, int> Truncations()
    {
        var data = new TheoryData<string, int>();
        foreach (var format in new[] { "jpeg", "png" })
        {
            for (var percent = 0; percent < 100; percent += 10) data.Add(format, percent);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Truncations))]
    public async Task TruncatedImage_Is400(string format, int percent)
    {
        var image = format == "jpeg" ? HostileImages.Jpeg() : HostileImages.Png();
        var cut = image.AsSpan(0, image.Length * percent / 100).ToArray();
        var answer = await PostSampleImageAsync(cut);
        Assert.Equal(400, answer.Status);
        AssertDetail(answer);
    }

    [Fact]
    public async Task PngDeclaring100000x100000_Is400()
    {
        var answer = await PostSampleImageAsync(Fixture.PngHeader(100_000, 100_000));
        Assert.Equal(400, answer.Status);
        Assert.Contains("exceed", answer.Json!["detail"]!.GetValue<string>());
    }

    public static TheoryData<string> DecodableImages() =>
        ["1x1 png", "1x1 jpeg", "16-bit png", "cmyk jpeg", "progressive jpeg", "animated gif", "animated webp", "webp"];

    [Theory]
    [MemberData(nameof(DecodableImages))]
    public async Task UnusualButValidImage_Is200WithNoFace(string kind)
    {
        var image = kind switch
        {
            "1x1 png" => OnePixel(SKEncodedImageFormat.Png),
            "1x1 jpeg" => OnePixel(SKEncodedImageFormat.Jpeg),
            "16-bit png" => HostileImages.Png16(),
            "cmyk jpeg" => HostileImages.CmykJpeg(),
            "progressive jpeg" => HostileImages.ProgressiveJpeg(),
            "animated gif" => HostileImages.AnimatedGif(),
            "animated webp" => HostileImages.AnimatedWebp(),
            "webp" => Encoded(SKEncodedImageFormat.Webp),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        var answer = await PostSampleImageAsync(image);
        Assert.Equal(200, answer.Status);
        // A gradient with shapes holds no face: an empty answer, not an invented one.
        Assert.Empty(answer.Json!["objects"]?.AsArray() ?? []);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(4096)]
    [InlineData(100_000)]
    public async Task RandomBytes_Is400UnsupportedFormat(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        bytes[0] = 0x00; // not by chance a JPEG/PNG/GIF/BMP/RIFF signature
        var answer = await PostSampleImageAsync(bytes);
        Assert.Equal(400, answer.Status);
        Assert.Equal(ErrorMessages.UnsupportedFormat, answer.Json!["detail"]!.GetValue<string>());
    }

    // ---- multipart ---------------------------------------------------------------------------------------------

    [Fact]
    public async Task MultipartWithNoPart_Is422FieldRequired()
    {
        var answer = await PostMultipartAsync("--b0undary--\r\n");
        AssertValidation(answer, "missing");
    }

    [Fact]
    public async Task MultipartWithTwoImageParts_UsesTheFirst()
    {
        var jpeg = HostileImages.Jpeg();
        using var form = new MultipartFormDataContent { { new ByteArrayContent(jpeg), "image", "a.jpg" }, { new ByteArrayContent([1, 2, 3]), "image", "b.jpg" } };
        using var client = factory.CreateClient();
        using var response = await client.PostAsync(ImagePath, form);
        Assert.Equal(200, (int)response.StatusCode);
    }

    [Theory]
    [InlineData("in the part headers")]
    [InlineData("in the part body")]
    [InlineData("in the closing boundary")]
    [InlineData("no closing boundary")]
    public async Task MultipartWithTruncatedBoundary_Is400(string where)
    {
        var part = "--b0undary\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n";
        var full = part + new string('x', 200) + "\r\n--b0undary--\r\n";
        var body = where switch
        {
            "in the part headers" => part[..30],
            "in the part body" => part + new string('x', 100),
            "in the closing boundary" => full[..^8],
            "no closing boundary" => part + new string('x', 200) + "\r\n",
            _ => throw new ArgumentOutOfRangeException(nameof(where)),
        };
        var answer = await PostMultipartAsync(body);
        Assert.Equal(400, answer.Status);
        Assert.Equal(SampleEndpoints.MalformedMultipart, answer.Json!["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task MultipartWithoutImageField_Is422FieldRequired()
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(HostileImages.Jpeg()), "file", "a.jpg" } };
        var answer = await SendAsync(ImagePath, form);
        AssertValidation(answer, "missing");
    }

    [Fact]
    public async Task MultipartWithHugeFieldName_Is400()
    {
        using var form = new MultipartFormDataContent { { new StringContent("v"), new string('n', 100_000) }, { new ByteArrayContent(HostileImages.Jpeg()), "image", "a.jpg" } };
        var answer = await SendAsync(ImagePath, form);
        Assert.Equal(400, answer.Status);
        AssertDetail(answer);
    }

    // ---- size and time -----------------------------------------------------------------------------------------

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task BodyOverTheCap_Is413(bool withContentLength)
    {
        var cap = new Samples.SampleLimits().MaxRequestBytes;
        var answer = await PostAsync(SamplePath, new byte[cap + 1], "application/json", chunked: !withContentLength);
        Assert.Equal(413, answer.Status);
        Assert.Equal(ErrorMessages.TooLarge, answer.Json!["detail"]!.GetValue<string>());
    }

    // ---- plumbing ----------------------------------------------------------------------------------------------

    internal sealed record Answer(int Status, JsonNode? Json);

    private static byte[] OnePixel(SKEncodedImageFormat format)
    {
        using var bitmap = new SKBitmap(1, 1);
        bitmap.Erase(SKColors.Gray);
        return HostileImages.Encode(bitmap, format);
    }

    private static byte[] Encoded(SKEncodedImageFormat format)
    {
        using var bitmap = HostileImages.Picture(64, 48);
        return HostileImages.Encode(bitmap, format);
    }

    private static byte[] PngNeedingPaddingWithPlusAndSlash()
    {
        for (var size = 8; ; size++)
        {
            var png = HostileImages.Png(size, size);
            var b64 = Convert.ToBase64String(png);
            if (b64.EndsWith('=') && b64.Contains('+') && b64.Contains('/')) return png;
        }
    }

    private Task<Answer> PostSampleImageAsync(byte[] image) =>
        PostAsync(SamplePath, Encoding.UTF8.GetBytes(new JsonObject { ["$image"] = Convert.ToBase64String(image) }.ToJsonString()), "application/json");

    private Task<Answer> PostMultipartAsync(string body)
    {
        var content = new ByteArrayContent(Encoding.ASCII.GetBytes(body));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b0undary");
        return SendAsync(ImagePath, content);
    }

    private Task<Answer> PostAsync(string path, byte[] body, string? contentType, bool chunked = false)
    {
        HttpContent content = chunked ? new StreamContent(new MemoryStream(body)) : new ByteArrayContent(body);
        if (contentType is not null) content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return SendAsync(path, content, chunked);
    }

    private async Task<Answer> SendAsync(string path, HttpContent content, bool chunked = false)
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (chunked) request.Headers.TransferEncodingChunked = true;
        // A hang is a failure too: nothing in the corpus may take longer than this.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var response = await client.SendAsync(request, timeout.Token);
        var text = await response.Content.ReadAsStringAsync(timeout.Token);
        var answer = new Answer((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
        Assert.InRange(answer.Status, 200, 499);
        // Alive afterwards.
        using var live = await client.GetAsync("/health/live", timeout.Token);
        Assert.Equal(200, (int)live.StatusCode);
        content.Dispose();
        return answer;
    }

    private static void AssertDetail(Answer answer)
    {
        Assert.InRange(answer.Status, 400, 499);
        var detail = answer.Json?["detail"];
        Assert.NotNull(detail);
        if (detail is JsonArray issues) Assert.NotEmpty(issues);
        else Assert.False(string.IsNullOrWhiteSpace(detail.GetValue<string>()));
    }

    private static void AssertValidation(Answer answer, string type)
    {
        Assert.Equal(422, answer.Status);
        AssertDetail(answer);
        Assert.Contains(answer.Json!["detail"]!.AsArray(), i => i!["type"]!.GetValue<string>() == type);
    }
}
