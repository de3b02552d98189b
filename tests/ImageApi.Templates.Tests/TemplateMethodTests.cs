using System.Buffers.Binary;
using ImageApi.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using static ImageApi.Templates.Tests.TemplateRequests;

namespace ImageApi.Templates.Tests;

/// <summary>
/// Issue 26: two template methods. Each one extracts over HTTP (v1, v2, both extraction services) with its own method
/// id, version and dimension in the header and its own v2 key; verify-matcher reads each pair against that method's
/// reference ROC; templates of two methods are refused (422 naming both), never compared; Profile=fast keeps
/// MobileFaceNet. Real models on the testdata photos.
/// </summary>
public sealed class TemplateMethodTests(ImageApiFactory factory) : IClassFixture<ImageApiFactory>
{
    private const string Detector = ServiceNames.FaceDetectorTemplateExtractor;
    private const string Verify = ServiceNames.VerifyMatcher;

    public static TheoryData<string, ApiVersion> MethodsAndVersions()
    {
        var data = new TheoryData<string, ApiVersion>();
        foreach (var m in TemplateMethod.All)
        {
            data.Add(m.Name, ApiVersion.V1);
            data.Add(m.Name, ApiVersion.V2);
        }

        return data;
    }

    private static async Task<JsonObject> LargestFaceAsync(WebApplicationFactory<Program> host, string file, ApiVersion version)
    {
        var (status, body) = await host.PostAsync(Detector, ImageBody(file, version));
        Assert.True(status == 200, body?.ToJsonString());
        var faces = FacesBySize(body);
        Assert.NotEmpty(faces);
        return faces[0];
    }

    [Theory]
    [MemberData(nameof(MethodsAndVersions))]
    public async Task FaceDetectorTemplateExtractor_EachMethod_HeaderNamesMethodVersionAndDimension(string name, ApiVersion version)
    {
        var method = TemplateMethod.Named(name)!;
        await using var host = factory.WithMethod(name);
        var face = await LargestFaceAsync(host, "identity/obama_1.jpg", version);
        var blob = Blob(face, version);
        Assert.Equal(FaceTemplate.BlobSize(TemplateElementType.Float32, method), blob.Length);
        Assert.Equal(method.Id, BinaryPrimitives.ReadUInt16LittleEndian(blob.AsSpan(6)));
        Assert.Equal(method.Version, BinaryPrimitives.ReadUInt16LittleEndian(blob.AsSpan(8)));
        Assert.Equal(method.Dimension, BinaryPrimitives.ReadUInt16LittleEndian(blob.AsSpan(10)));
        if (version == ApiVersion.V1)
        {
            Assert.Equal(blob.Length, face["template_size"]!.GetValue<int>());
        }
        else
        {
            var entry = Assert.Single(face["template"]!.AsObject());
            Assert.Equal(method.V2Key, entry.Key);
            Assert.Equal(blob.Length, entry.Value!["shape"]![0]!.GetValue<int>());
        }

        var t = Parse(face, version);
        Assert.Equal(method, t.Method);
        Assert.Equal(1f, Templates.UnitVector.Dot(t.Vector, t.Vector), 4);
    }

    [Theory]
    [MemberData(nameof(MethodsAndVersions))]
    public async Task TemplateExtractor_EachMethod_FitterOutput_SameTemplateAsDetectorService(string name, ApiVersion version)
    {
        const string file = "group/kit_with_rose.jpg";
        await using var host = factory.WithMethod(name);
        var (fs, fitted) = await host.PostAsync(ServiceNames.FaceDetectorFaceFitter, ImageBody(file, version));
        Assert.Equal(200, fs);
        var (status, body) = await host.PostAsync(ServiceNames.TemplateExtractor, fitted!);
        Assert.True(status == 200, body?.ToJsonString());
        var viaFitter = FacesBySize(body);
        var direct = FacesBySize((await host.PostAsync(Detector, ImageBody(file, version))).Body);
        Assert.True(viaFitter.Count >= 2 && viaFitter.Count == direct.Count, $"{viaFitter.Count} vs {direct.Count} faces");
        for (var i = 0; i < direct.Count; i++)
        {
            // Several faces in one request (one batched model run) give each face its own template.
            var a = Parse(viaFitter[i], version);
            Assert.Equal(TemplateMethod.Named(name), a.Method);
            var cos = a.CosineTo(Parse(direct[i], version));
            Assert.True(cos > 0.999f, $"face {i}: cos {cos}");
        }
    }

    [Theory]
    [MemberData(nameof(Methods), MemberType = typeof(TemplateRequests))]
    public async Task VerifyMatcher_EachMethod_ReadsItsOwnReferenceRoc(string name)
    {
        var method = TemplateMethod.Named(name)!;
        var table = RocTable.LoadBuiltIn(method);
        await using var host = factory.WithMethod(name);
        var obama1 = await LargestFaceAsync(host, "identity/obama_1.jpg", ApiVersion.V2);
        var obama2 = await LargestFaceAsync(host, "identity/obama_2.jpg", ApiVersion.V2);
        var biden = await LargestFaceAsync(host, "identity/biden_1.jpg", ApiVersion.V2);

        async Task<JsonNode> VerifyAsync(JsonObject a, JsonObject b)
        {
            // The default host (whatever its own method) compares them too: every method stays available.
            var (status, body) = await factory.PostSampleAsync(Verify, VerifyBody(TemplateOnly(a, ApiVersion.V2), TemplateOnly(b, ApiVersion.V2)));
            Assert.True(status == 200, body?.ToJsonString());
            return body!["verification"]!;
        }

        var same = await VerifyAsync(obama1, obama2);
        var other = await VerifyAsync(obama1, biden);
        var cos = Parse(obama1, ApiVersion.V2).CosineTo(Parse(obama2, ApiVersion.V2));
        Assert.Equal(1f - cos, same["distance"]!.GetValue<double>(), 6);
        Assert.Equal(table.ScoreAt(1f - cos), same["score"]!.GetValue<double>(), 6);
        Assert.Equal(table.RatesAt(1f - cos).Far, same["fa_r"]!.GetValue<double>(), 9);
        Assert.True(same["score"]!.GetValue<double>() >= 0.5, same.ToJsonString());
        Assert.True(other["score"]!.GetValue<double>() < 0.5, other.ToJsonString());
    }

    [Theory]
    [InlineData(ApiVersion.V1)]
    [InlineData(ApiVersion.V2)]
    public async Task VerifyMatcher_TemplatesOfTwoMethods_422NamingBoth(ApiVersion version)
    {
        await using var mfn = factory.WithMethod(TemplateMethod.MobileFaceNet.Name);
        await using var omz = factory.WithMethod(TemplateMethod.OmzReid0095.Name);
        var a = TemplateOnly(await LargestFaceAsync(mfn, "identity/obama_1.jpg", version), version);
        var b = TemplateOnly(await LargestFaceAsync(omz, "identity/obama_1.jpg", version), version);
        foreach (var host in new WebApplicationFactory<Program>[] { mfn, omz })
        {
            var (status, body) = await host.PostAsync(Verify, VerifyBody((JsonObject)a.DeepClone(), (JsonObject)b.DeepClone()));
            Assert.Equal(422, status);
            var issue = body!["detail"]!.AsArray().Single()!;
            var msg = issue["msg"]!.GetValue<string>();
            Assert.Contains("mobilefacenet_1", msg);
            Assert.Contains("omz_reid_0095_1", msg);
            Assert.Equal("""["body","objects"]""", issue["loc"]!.ToJsonString());
            Assert.Null(body["verification"]);
        }
    }

    [Theory]
    [MemberData(nameof(Methods), MemberType = typeof(TemplateRequests))]
    public async Task TemplateExtractor_EachMethod_AllFacesOfARequestInOneModelRun(string name)
    {
        // With the CPU run budget off the faces are one batch; by default they run in parts of one aligned face
        // (Inference:MaxRunInputFloats, ModelLayoutTests).
        await using var method = factory.WithMethod(name);
        await using var host = method.WithWebHostBuilder(b => b.UseSetting("Inference:MaxRunInputFloats", "0"));
        var (fs, fitted) = await host.PostAsync(ServiceNames.FaceDetectorFaceFitter, ImageBody("group/compreface_016_8.jpg", ApiVersion.V1));
        Assert.Equal(200, fs);
        var faces = fitted!["objects"]!.AsArray().Count;
        Assert.True(faces >= 4, $"{faces} faces");

        // The fitter's keypoints come in: the only model work left is the embedding, one batched run (Server-Timing
        // counts the runs of the request).
        using var client = host.CreateClient();
        using var content = new StringContent(fitted.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        using var response = await client.PostAsync($"/{ServiceNames.TemplateExtractor}/process/sample?echo_image=false", content);
        Assert.Equal(200, (int)response.StatusCode);
        var timing = string.Join(",", response.Headers.GetValues("Server-Timing"));
        Assert.Contains("desc=\"1 runs\"", timing);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(faces, answer["objects"]!.AsArray().Count(o => o!["$template"] is not null));
    }

    [Fact]
    public async Task FastProfile_MakesMobileFaceNetTemplates()
    {
        await using var fast = factory.WithWebHostBuilder(b => b.UseSetting(PerformanceProfile.SettingName, PerformanceProfile.Fast));
        var face = await LargestFaceAsync(fast, "identity/obama_1.jpg", ApiVersion.V1);
        Assert.Equal(TemplateMethod.MobileFaceNet, Parse(face, ApiVersion.V1).Method);
        using var client = fast.CreateClient();
        var info = JsonNode.Parse(await client.GetStringAsync("/info"))!["templates"]!;
        Assert.Equal(TemplateMethod.MobileFaceNet.Name, info["method"]!.GetValue<string>());

        // An explicit setting still wins over the profile.
        await using var explicitOmz = factory.WithWebHostBuilder(b => b
            .UseSetting(PerformanceProfile.SettingName, PerformanceProfile.Fast)
            .UseSetting("FaceTemplates:Method", TemplateMethod.OmzReid0095.Name));
        var omzFace = await LargestFaceAsync(explicitOmz, "identity/obama_1.jpg", ApiVersion.V1);
        Assert.Equal(TemplateMethod.OmzReid0095, Parse(omzFace, ApiVersion.V1).Method);
    }

    [Fact]
    public void Options_UnknownMethod_FailsStartUp()
    {
        using var host = factory.WithWebHostBuilder(b => b.UseSetting("FaceTemplates:Method", "arcface_9"));
        var e = Assert.ThrowsAny<Exception>(() => host.CreateClient());
        Assert.Contains("FaceTemplates:Method", e.ToString());
    }
}
