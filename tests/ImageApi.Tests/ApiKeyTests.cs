using System.Net.Http.Headers;
using System.Security.Cryptography;
using ImageApi.Hosting;
using Microsoft.AspNetCore.Hosting;

namespace ImageApi.Tests;

/// <summary>The embedded host with two API keys configured (as SHA-256 hashes): the old and the new of a rotation.</summary>
public sealed class KeyedImageApiFactory : ImageApiFactory
{
    public const string OldKey = "old-key-3f9a1c";
    public const string NewKey = "new-key-77b2e0";

    protected override void ConfigureWebHost(IWebHostBuilder builder) =>
        builder.UseSetting("ApiKeys:Sha256:0", Hash(OldKey)).UseSetting("ApiKeys:Sha256:1", Hash(NewKey).ToLowerInvariant());

    public static string Hash(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}

public sealed class ApiKeyTests(KeyedImageApiFactory factory) : IClassFixture<KeyedImageApiFactory>
{
    private static readonly string Fitter = $"/{ServiceNames.FaceDetectorFaceFitter}/process/sample";

    public static TheoryData<string, string?, string?> Refused() => new()
    {
        { Fitter, null, null },
        { Fitter, "X-API-Key", "wrong" },
        { Fitter, "X-API-Key", "" },
        { Fitter, "Authorization", "Bearer wrong" },
        { Fitter, "Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("u:" + KeyedImageApiFactory.NewKey)) },
        { Fitter, "X-API-Key", KeyedImageApiFactory.Hash(KeyedImageApiFactory.NewKey) }, // the hash is not the key
        { "/pipeline/process/sample?services=" + ServiceNames.FaceDetectorFaceFitter, null, null },
        { $"/{ServiceNames.FaceDetectorFaceFitter}/process/image", null, null },
        { "/info", null, null },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task MissingOrWrongKey_Is401Detail(string path, string? header, string? value)
    {
        using var response = await SendAsync(path, header, value);
        Assert.Equal(401, (int)response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(ReliabilityErrors.ApiKey, json!["detail"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("X-API-Key", KeyedImageApiFactory.OldKey)]
    [InlineData("X-API-Key", KeyedImageApiFactory.NewKey)]
    [InlineData("Authorization", "Bearer " + KeyedImageApiFactory.OldKey)]
    [InlineData("Authorization", "bearer " + KeyedImageApiFactory.NewKey)]
    public async Task EitherRotationKey_EitherHeader_IsServed(string header, string value)
    {
        using var response = await SendAsync(Fitter, header, value);
        Assert.Equal(200, (int)response.StatusCode);
        using var info = await SendAsync("/info", header, value);
        Assert.Equal(200, (int)info.StatusCode);
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    [InlineData("/openapi/v1.json")]
    public async Task ProbesAndApiDescription_NeedNoKey(string path)
    {
        using var client = factory.CreateClient();
        await Readiness.WaitReadyAsync(client);
        using var response = await client.GetAsync(path);
        Assert.Equal(200, (int)response.StatusCode);
    }

    [Fact]
    public void MistypedHash_FailsTheStart()
    {
        using var broken = new ImageApiFactory().WithWebHostBuilder(b => b.UseSetting("ApiKeys:Sha256:0", "not-a-hash"));
        var e = Assert.ThrowsAny<Exception>(() => broken.CreateClient());
        Assert.Contains("ApiKeys:Sha256", e.ToString());
    }

    private async Task<HttpResponseMessage> SendAsync(string path, string? header, string? value)
    {
        using var client = factory.CreateClient();
        var isGet = path == "/info";
        using var request = new HttpRequestMessage(isGet ? HttpMethod.Get : HttpMethod.Post, path);
        if (!isGet)
        {
            var body = new JsonObject { ["$image"] = Convert.ToBase64String(HostileImages.Jpeg()) }.ToJsonString();
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        if (header is not null) request.Headers.TryAddWithoutValidation(header, value);
        return await client.SendAsync(request);
    }
}
