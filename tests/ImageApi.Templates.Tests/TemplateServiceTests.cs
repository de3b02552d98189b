using static ImageApi.Templates.Tests.TemplateRequests;

namespace ImageApi.Templates.Tests;

public sealed class TemplateServiceTests(ImageApiFactory factory) : IClassFixture<ImageApiFactory>
{
    private const string Detector = ServiceNames.FaceDetectorTemplateExtractor;
    private const string Extractor = ServiceNames.TemplateExtractor;
    private const string Verify = ServiceNames.VerifyMatcher;

    private async Task<JsonObject> ExtractLargestAsync(string file, ApiVersion version)
    {
        var (status, body) = await factory.PostSampleAsync(Detector, ImageBody(file, version));
        Assert.Equal(200, status);
        var faces = FacesBySize(body);
        Assert.NotEmpty(faces);
        return faces[0];
    }

    /// <summary>What a client sends verify-matcher for the largest face of <paramref name="file"/>: its template alone.</summary>
    private async Task<JsonObject> TemplateOfLargestAsync(string file, ApiVersion version) =>
        TemplateOnly(await ExtractLargestAsync(file, version), version);

    [Theory]
    [InlineData("v1")]
    [InlineData("v2")]
    public async Task FaceDetectorTemplateExtractor_SpecExample_SameShape(string version)
    {
        var (status, body) = await factory.PostSampleAsync(Detector, SpecExamples.Request(Detector, version, "identity/obama_1.jpg"));
        Assert.Equal(200, status);
        SpecExamples.AssertSameShape(WithOurMethodKey(SpecExamples.Load(Detector, version, "response")), body);
        var face = body!["objects"]![0]!.AsObject();
        var apiVersion = version == "v1" ? ApiVersion.V1 : ApiVersion.V2;
        var blob = Blob(face, apiVersion);
        if (apiVersion == ApiVersion.V1) Assert.Equal(blob.Length, face["template_size"]!.GetValue<int>());
        else Assert.Equal(blob.Length, face["template"]![DefaultV2Key]!["shape"]![0]!.GetValue<int>());
        Assert.True(FaceTemplate.TryParse(blob, out _, out var error), error);
    }

    [Fact]
    public async Task FaceDetectorTemplateExtractor_Multipart_AnswersV2WithTemplates()
    {
        var (status, body) = await factory.PostImageAsync(Detector, TestData.Bytes("group/kit_with_rose.jpg"), "kit_with_rose.jpg");
        Assert.Equal(200, status);
        var faces = FacesBySize(body);
        Assert.True(faces.Count >= 2, $"{faces.Count} faces");
        foreach (var f in faces) Parse(f, ApiVersion.V2);
    }

    [Fact]
    public async Task FaceDetectorTemplateExtractor_SameImageTwice_IdenticalBytes()
    {
        var a = await ExtractLargestAsync("identity/biden_2.jpg", ApiVersion.V1);
        var b = await ExtractLargestAsync("identity/biden_2.jpg", ApiVersion.V1);
        Assert.Equal(Blob(a, ApiVersion.V1), Blob(b, ApiVersion.V1));
    }

    [Fact]
    public async Task FaceDetectorTemplateExtractor_NoFace_NoObjects()
    {
        var file = TestData.Files("no_face")[0];
        var (status, body) = await factory.PostSampleAsync(Detector, ImageBody(file, ApiVersion.V2));
        Assert.Equal(200, status);
        Assert.Empty(FacesBySize(body));
    }

    [Fact]
    public async Task V1AndV2_SameFace_SameBytesAndSameVerification()
    {
        var v1a = await ExtractLargestAsync("identity/obama_1.jpg", ApiVersion.V1);
        var v2a = await ExtractLargestAsync("identity/obama_1.jpg", ApiVersion.V2);
        var v1b = await ExtractLargestAsync("identity/obama_2.jpg", ApiVersion.V1);
        var v2b = await ExtractLargestAsync("identity/obama_2.jpg", ApiVersion.V2);
        Assert.Equal(Blob(v1a, ApiVersion.V1), Blob(v2a, ApiVersion.V2));

        var (s1, r1) = await factory.PostSampleAsync(Verify, VerifyBody(TemplateOnly(v1a, ApiVersion.V1), TemplateOnly(v1b, ApiVersion.V1)));
        var (s2, r2) = await factory.PostSampleAsync(Verify, VerifyBody(TemplateOnly(v2a, ApiVersion.V2), TemplateOnly(v2b, ApiVersion.V2)));
        Assert.Equal(200, s1);
        Assert.Equal(200, s2);
        Assert.Equal(r1!["verification"]!.ToJsonString(), r2!["verification"]!.ToJsonString());
        // The service's score is the calibrated score of the decoded vectors' distance.
        var cos = Parse(v1a, ApiVersion.V1).CosineTo(Parse(v2b, ApiVersion.V2));
        Assert.Equal(RocTable.LoadBuiltIn(DefaultMethod).ScoreAt(1f - cos), r1["verification"]!["score"]!.GetValue<double>(), 6);
    }

    [Theory]
    [InlineData(ApiVersion.V1)]
    [InlineData(ApiVersion.V2)]
    public async Task TemplateExtractor_FitterOutput_SameTemplateAsDetectorService(ApiVersion version)
    {
        const string file = "identity/rose_leslie_2.jpg";
        var (fs, fitted) = await factory.PostSampleAsync(ServiceNames.FaceDetectorFaceFitter, ImageBody(file, version));
        Assert.Equal(200, fs);
        var (status, body) = await factory.PostSampleAsync(Extractor, fitted!);
        Assert.Equal(200, status);
        var viaFitter = FacesBySize(body)[0];
        var direct = await ExtractLargestAsync(file, version);
        // Fitter fields are echoed, the template is added.
        Assert.NotNull(viaFitter[version == ApiVersion.V1 ? "fitter" : "keypoints"]);
        var cos = Parse(viaFitter, version).CosineTo(Parse(direct, version));
        Assert.True(cos > 0.999f, $"cos {cos}");
        if (version == ApiVersion.V1) Assert.Equal(Blob(direct, version), Blob(viaFitter, version)); // same pixel keypoints
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("v2")]
    public async Task TemplateExtractor_SpecShape_FromFitterOutput(string version)
    {
        var apiVersion = version == "v1" ? ApiVersion.V1 : ApiVersion.V2;
        var (_, fitted) = await factory.PostSampleAsync(ServiceNames.FaceDetectorFaceFitter, SpecExamples.Request(ServiceNames.FaceDetectorFaceFitter, version, "identity/obama_4.jpg"));
        var (status, body) = await factory.PostSampleAsync(Extractor, fitted!);
        Assert.Equal(200, status);
        SpecExamples.AssertSameShape(WithOurMethodKey(SpecExamples.Load(Extractor, version, "response")), body);
        Parse(body!["objects"]![0]!.AsObject(), apiVersion);
    }

    [Fact]
    public async Task TemplateExtractor_BboxOnly_FitsThenExtracts()
    {
        const string file = "identity/kit_harington_1.jpeg";
        var direct = await ExtractLargestAsync(file, ApiVersion.V2);
        var request = ImageBody(file, ApiVersion.V2);
        request["objects"] = new JsonArray(new JsonObject { ["class"] = "face", ["bbox"] = direct["bbox"]!.DeepClone() });
        var (status, body) = await factory.PostSampleAsync(Extractor, request);
        Assert.Equal(200, status);
        var cos = Parse(body!["objects"]![0]!.AsObject(), ApiVersion.V2).CosineTo(Parse(direct, ApiVersion.V2));
        Assert.True(cos > 0.99f, $"cos {cos}");
    }

    [Fact]
    public async Task TemplateExtractor_NoFaceObjects_200Unchanged()
    {
        var request = ImageBody("identity/obama_1.jpg", ApiVersion.V1);
        request["objects"] = new JsonArray(new JsonObject { ["class"] = "body", ["bbox"] = new JsonArray(0.1, 0.1, 0.5, 0.5) });
        var sent = request["objects"]!.ToJsonString();
        var (status, body) = await factory.PostSampleAsync(Extractor, request);
        Assert.Equal(200, status);
        Assert.Equal(sent, body!["objects"]!.ToJsonString());
    }

    [Fact]
    public async Task TemplateExtractor_CoincidentKeypoints_422AtKeypoints()
    {
        var request = ImageBody("identity/obama_1.jpg", ApiVersion.V1);
        var kp = new JsonArray();
        for (var i = 0; i < 21; i++) { kp.Add(100); kp.Add(100); kp.Add(0); }
        request["objects"] = new JsonArray(new JsonObject
        {
            ["class"] = "face", ["bbox"] = new JsonArray(0.1, 0.1, 0.5, 0.5),
            ["fitter"] = new JsonObject { ["fitter_type"] = "fda", ["keypoints"] = kp },
        });
        var (status, body) = await factory.PostSampleAsync(Extractor, request);
        Assert.Equal(422, status);
        var loc = body!["detail"]![0]!["loc"]!.AsArray();
        Assert.Equal("keypoints", loc[loc.Count - 1]!.GetValue<string>());
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("v2")]
    public async Task VerifyMatcher_SpecExample_SameShapeAndObjectsEchoed(string version)
    {
        var apiVersion = version == "v1" ? ApiVersion.V1 : ApiVersion.V2;
        var a = await ExtractLargestAsync("identity/compreface_B_007.jpg", apiVersion);
        var b = await ExtractLargestAsync("identity/compreface_B_008.jpg", apiVersion);
        var request = (JsonObject)WithOurMethodKey(SpecExamples.Load(Verify, version, "request"))!;
        var objects = request["objects"]!.AsArray();
        foreach (var (o, src) in new[] { (objects[0]!.AsObject(), a), (objects[1]!.AsObject(), b) })
        {
            if (apiVersion == ApiVersion.V1)
            {
                o["$template"] = src["$template"]!.DeepClone();
                o["template_size"] = src["template_size"]!.DeepClone();
            }
            else
            {
                o["template"] = src["template"]!.DeepClone();
            }
        }

        var sent = request.ToJsonString();
        var (status, body) = await factory.PostSampleAsync(Verify, request);
        Assert.Equal(200, status);
        SpecExamples.AssertSameShape(WithOurMethodKey(SpecExamples.Load(Verify, version, "response")), body);
        Assert.Equal(JsonNode.Parse(sent)!["objects"]!.ToJsonString(), body!["objects"]!.ToJsonString());
        var v = body["verification"]!;
        foreach (var key in new[] { "distance", "fa_r", "fr_r", "score" })
        {
            var x = v[key]!.GetValue<double>();
            Assert.True(double.IsFinite(x) && x >= 0, $"{key} = {x}");
        }

        Assert.InRange(v["score"]!.GetValue<double>(), 0, 1);
        Assert.InRange(v["fa_r"]!.GetValue<double>(), 0, 1);
        Assert.InRange(v["fr_r"]!.GetValue<double>(), 0, 1);
    }

    [Fact]
    public async Task VerifyMatcher_SameTemplateTwice_DistanceZeroHighestScore()
    {
        var a = await TemplateOfLargestAsync("identity/obama_3.jpg", ApiVersion.V1);
        var (status, body) = await factory.PostSampleAsync(Verify, VerifyBody(a, (JsonObject)a.DeepClone()));
        Assert.Equal(200, status);
        var v = body!["verification"]!;
        Assert.InRange(v["distance"]!.GetValue<double>(), 0, 1e-5);
        // The logistic never reaches 1; identical vectors get its value at distance 0 (≈ 0.997), the most any pair gets.
        Assert.InRange(v["score"]!.GetValue<double>(), 0.99, 1);
        Assert.Equal(RocTable.LoadBuiltIn(DefaultMethod).ScoreAt(0), v["score"]!.GetValue<double>(), 6);
        Assert.Equal(0, v["fa_r"]!.GetValue<double>());
    }

    [Fact]
    public async Task VerifyMatcher_DifferentPeople_LargerDistanceHigherFar()
    {
        var a = await TemplateOfLargestAsync("identity/obama_1.jpg", ApiVersion.V1);
        var same = await TemplateOfLargestAsync("identity/obama_2.jpg", ApiVersion.V1);
        var other = await TemplateOfLargestAsync("identity/biden_1.jpg", ApiVersion.V1);
        var (_, genuine) = await factory.PostSampleAsync(Verify, VerifyBody(a, same));
        var (_, impostor) = await factory.PostSampleAsync(Verify, VerifyBody((JsonObject)a.DeepClone(), other));
        var g = genuine!["verification"]!;
        var i = impostor!["verification"]!;
        Assert.True(i["distance"]!.GetValue<double>() > g["distance"]!.GetValue<double>());
        Assert.True(i["score"]!.GetValue<double>() < g["score"]!.GetValue<double>());
        Assert.True(i["fa_r"]!.GetValue<double>() > g["fa_r"]!.GetValue<double>());
        Assert.True(i["fr_r"]!.GetValue<double>() < g["fr_r"]!.GetValue<double>());
    }

    /// <summary>The score reads as the vendor's: the seed's genuine example scores 0.95 at fr_r 0.52; strangers near 0.
    /// Before the calibration, obama_1 vs biden_1 scored 0.477 and a client thresholding at 0.5 took half of all strangers.</summary>
    [Theory]
    [InlineData(ApiVersion.V1)]
    [InlineData(ApiVersion.V2)]
    public async Task VerifyMatcher_Score_IsCalibratedLikeTheVendors(ApiVersion version)
    {
        var a = await TemplateOfLargestAsync("identity/obama_1.jpg", version);
        var same = await TemplateOfLargestAsync("identity/obama_2.jpg", version);
        var other = await TemplateOfLargestAsync("identity/biden_1.jpg", version);
        var (_, genuine) = await factory.PostSampleAsync(Verify, VerifyBody(a, same));
        var (_, impostor) = await factory.PostSampleAsync(Verify, VerifyBody((JsonObject)a.DeepClone(), other));
        Assert.InRange(genuine!["verification"]!["score"]!.GetValue<double>(), 0.9, 1);
        Assert.InRange(impostor!["verification"]!["score"]!.GetValue<double>(), 0, 0.1);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task VerifyMatcher_NotTwoTemplates_422(int count)
    {
        var a = await TemplateOfLargestAsync("identity/obama_1.jpg", ApiVersion.V2);
        var objects = new JsonArray();
        for (var i = 0; i < count; i++) objects.Add(a.DeepClone());
        objects.Add(new JsonObject { ["class"] = "face", ["bbox"] = new JsonArray(0.1, 0.1, 0.2, 0.2) });
        var (status, body) = await factory.PostSampleAsync(Verify, new JsonObject { ["objects"] = objects });
        Assert.Equal(422, status);
        Assert.Contains("Exactly two", body!["detail"]![0]!["msg"]!.GetValue<string>());
    }

    [Fact]
    public async Task VerifyMatcher_NotBase64_400FailedToDecode()
    {
        var good = await TemplateOfLargestAsync("identity/obama_1.jpg", ApiVersion.V1);
        var bad = new JsonObject { ["class"] = "face", ["$template"] = "шаблон в формате base64", ["template_size"] = 74 };
        var (status, body) = await factory.PostSampleAsync(Verify, VerifyBody(good, bad));
        Assert.Equal(400, status);
        Assert.Equal("Failed to decode base64 string", body!["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task VerifyMatcher_ForeignTemplate_422()
    {
        var good = await TemplateOfLargestAsync("identity/obama_1.jpg", ApiVersion.V1);
        var foreign = new byte[74];
        new Random(7).NextBytes(foreign);
        var bad = new JsonObject { ["class"] = "face", ["$template"] = Convert.ToBase64String(foreign), ["template_size"] = 74 };
        var (status, body) = await factory.PostSampleAsync(Verify, VerifyBody(good, bad));
        Assert.Equal(422, status);
        Assert.Contains("not a face template", body!["detail"]![0]!["msg"]!.GetValue<string>());
    }

    [Fact]
    public async Task VerifyMatcher_GarbledTemplate_422()
    {
        var good = await TemplateOfLargestAsync("identity/obama_1.jpg", ApiVersion.V1);
        var blob = Convert.FromBase64String(good["$template"]!.GetValue<string>());
        blob[30] ^= 0x01;
        var bad = new JsonObject { ["class"] = "face", ["$template"] = Convert.ToBase64String(blob), ["template_size"] = blob.Length };
        var (status, body) = await factory.PostSampleAsync(Verify, VerifyBody(good, bad));
        Assert.Equal(422, status);
        Assert.Contains("checksum", body!["detail"]![0]!["msg"]!.GetValue<string>());
    }

    [Fact]
    public async Task VerifyMatcher_WrongTemplateSize_422()
    {
        var good = await TemplateOfLargestAsync("identity/obama_1.jpg", ApiVersion.V1);
        var other = (JsonObject)good.DeepClone();
        other["template_size"] = 74;
        var (status, _) = await factory.PostSampleAsync(Verify, VerifyBody(good, other));
        Assert.Equal(422, status);
    }

    [Fact]
    public async Task VerifyMatcher_UnknownMethodKey_422()
    {
        var good = await TemplateOfLargestAsync("identity/obama_1.jpg", ApiVersion.V2);
        var vendor = new JsonObject
        {
            ["class"] = "face",
            ["template"] = new JsonObject { ["_face_template_extractor_1000_12"] = good["template"]![DefaultV2Key]!.DeepClone() },
        };
        var (status, body) = await factory.PostSampleAsync(Verify, VerifyBody(good, vendor));
        Assert.Equal(422, status);
        Assert.Contains("1000_12", body!["detail"]![0]!["msg"]!.GetValue<string>());
    }

    [Fact]
    public async Task VerifyMatcher_MixedV1AndV2_422()
    {
        var v1 = await TemplateOfLargestAsync("identity/obama_1.jpg", ApiVersion.V1);
        var v2 = await TemplateOfLargestAsync("identity/obama_1.jpg", ApiVersion.V2);
        var (status, _) = await factory.PostSampleAsync(Verify, VerifyBody(v1, v2));
        Assert.Equal(422, status);
    }
}
