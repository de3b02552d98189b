using Microsoft.AspNetCore.Hosting;

namespace ImageApi.Tests;

/// <summary>
/// The values a drop-in client acts on mean what the vendor's mean (issue "vendor value semantics"): yaw sign, signed
/// quality rotation, no-face answers, unique ids, lenient bbox and keypoints, compact JSON, the v2 template key and the
/// 4.7 MiB image limit — each at the HTTP level, v1 and v2. The calibrated verification score is tested in
/// ImageApi.Templates.Tests (RocTableTests, TemplateServiceTests).
/// </summary>
public sealed class VendorSemanticsTests(ImageApiFactory factory) : IClassFixture<ImageApiFactory>
{
    private static readonly string[] Detectors =
    [
        ServiceNames.FaceDetectorFaceFitter, ServiceNames.FaceDetectorTemplateExtractor,
        ServiceNames.FaceDetectorLivenessEstimator, ServiceNames.BodyDetector,
    ];

    private static JsonObject ImageBody(string file, ApiVersion version, JsonArray? objects = null)
    {
        var b64 = TestData.Base64(file);
        var body = version == ApiVersion.V1
            ? new JsonObject { ["$image"] = b64 }
            : new JsonObject { ["_image"] = new JsonObject { ["blob"] = b64, ["format"] = "IMAGE" } };
        if (objects is not null) body["objects"] = objects;
        return body;
    }

    private static JsonObject Pose(JsonNode face, ApiVersion version) =>
        face[version == ApiVersion.V1 ? "angles" : "pose"]!.AsObject();

    private static double NoseOffsetOverEyes(JsonNode face, ApiVersion version)
    {
        // Keypoints 0/1 are the image-left/right eyes, 2 the nose (ImageApi.Contracts.KeypointNames).
        double X(int k) => version == ApiVersion.V1
            ? face["fitter"]!["keypoints"]![3 * k]!.GetValue<double>()
            : face["keypoints"]![KeypointNames.All[k]]!["proj"]![0]!.GetValue<double>();
        return (X(KeypointNames.Nose) - (X(KeypointNames.LeftEye) + X(KeypointNames.RightEye)) / 2)
               / Math.Abs(X(KeypointNames.RightEye) - X(KeypointNames.LeftEye));
    }

    [Theory]
    [InlineData(ApiVersion.V1)]
    [InlineData(ApiVersion.V2)]
    public async Task Yaw_FollowsTheSeed_PositiveWhenTheNoseIsImageRightOfTheEyes(ApiVersion version)
    {
        // obama_4: nose right of the eyes' midpoint (answered yaw −19.5 before); obama_2: nose left of it.
        foreach (var (file, sign) in new[] { ("identity/obama_4.jpg", +1), ("identity/obama_2.jpg", -1) })
        {
            var (status, body) = await factory.PostSampleAsync(ServiceNames.FaceDetectorFaceFitter, ImageBody(file, version), "?echo_image=false");
            Assert.Equal(200, status);
            var face = body!["objects"]!.AsArray().OrderByDescending(f => f!["confidence"]!.GetValue<double>()).First()!;
            var yaw = Pose(face, version)["yaw"]!.GetValue<double>();
            var offset = NoseOffsetOverEyes(face, version);
            Assert.True(Math.Sign(yaw) == sign && Math.Abs(yaw) > 5, $"{file}: yaw {yaw:F1}");
            Assert.Equal(Math.Sign(offset), Math.Sign(yaw));
        }
    }

    [Theory]
    [InlineData(ApiVersion.V1)]
    [InlineData(ApiVersion.V2)]
    public async Task Quality_MaxRotationDeviation_IsSignedAndFromItsOwnPose(ApiVersion version)
    {
        var (_, fitted) = await factory.PostSampleAsync(ServiceNames.FaceDetectorFaceFitter, ImageBody("identity/obama_4.jpg", version));
        var face = fitted!["objects"]![0]!;
        var pose = Pose(face, version);
        double[] angles = [pose["yaw"]!.GetValue<double>(), pose["pitch"]!.GetValue<double>(), pose["roll"]!.GetValue<double>()];
        var largest = angles.MaxBy(Math.Abs);

        // The request's angles are another fitter's business: quality estimates its own pose and ignores them.
        pose["yaw"] = -80.0;
        pose["pitch"] = 70.0;
        var (status, body) = await factory.PostSampleAsync(ServiceNames.QualityAssessmentEstimator, fitted, "?echo_image=false");
        Assert.Equal(200, status);
        var q = body!["objects"]![0]!["quality"]!;
        if (version == ApiVersion.V1) q = q["qaa"]!;
        var deviation = q[version == ApiVersion.V1 ? "maxRotationDeviation" : "max_rotation_deviation"]!.GetValue<double>();
        Assert.Equal(largest, deviation, 1);
        Assert.True(deviation > 5, $"obama_4 is turned image-right: {deviation}");
    }

    public static TheoryData<string, string> NoFaceServices()
    {
        var data = new TheoryData<string, string>();
        foreach (var service in new[]
                 {
                     ServiceNames.GenderEstimator, ServiceNames.AgeEstimator, ServiceNames.EmotionEstimator, ServiceNames.MaskEstimator,
                     ServiceNames.LivenessEstimator, ServiceNames.QualityAssessmentEstimator, ServiceNames.TemplateExtractor,
                 })
        {
            data.Add(service, "[]");
            data.Add(service, """[{"id":3,"class":"body","bbox":[0.1,0.1,0.9,0.9],"mine":true}]""");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(NoFaceServices))]
    public async Task NoFace_EveryEstimator_200WithTheObjectsUnchanged(string service, string objects)
    {
        foreach (var version in new[] { ApiVersion.V1, ApiVersion.V2 })
        {
            var (status, body) = await factory.PostSampleAsync(service,
                ImageBody("identity/obama_1.jpg", version, JsonNode.Parse(objects)!.AsArray()), "?echo_image=false");
            Assert.True(status == 200, $"{service} {version}: {status} {body?.ToJsonString()}");
            Assert.Equal(JsonNode.Parse(objects)!.ToJsonString(), body!["objects"]!.ToJsonString());
        }
    }

    public static TheoryData<string, ApiVersion> DetectorVersions()
    {
        var data = new TheoryData<string, ApiVersion>();
        foreach (var d in Detectors)
        {
            data.Add(d, ApiVersion.V1);
            data.Add(d, ApiVersion.V2);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DetectorVersions))]
    public async Task Detectors_NewObjects_IdsDoNotCollideWithTheRequests(string service, ApiVersion version)
    {
        // Objects of another class stay; their ids (7, "car-1") must not be reused by the detections.
        var kept = new JsonArray(
            new JsonObject { ["id"] = 7, ["class"] = service == ServiceNames.BodyDetector ? "face" : "body", ["bbox"] = new JsonArray(0.1, 0.1, 0.2, 0.2) },
            new JsonObject { ["id"] = "car-1", ["class"] = "car" });
        var (status, body) = await factory.PostSampleAsync(service, ImageBody("group/obama_and_biden.jpg", version, kept), "?echo_image=false");
        Assert.Equal(200, status);
        var objects = body!["objects"]!.AsArray();
        var ids = objects.Select(o => o!["id"]!.ToJsonString()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        var added = objects.Skip(2).Select(o => o!["id"]!.GetValue<int>()).ToList();
        Assert.NotEmpty(added);
        Assert.Equal(Enumerable.Range(8, added.Count), added);
    }

    [Theory]
    [InlineData(ApiVersion.V1)]
    [InlineData(ApiVersion.V2)]
    public async Task Bbox_SmallOvershoot_IsClampedNotRefused(ApiVersion version)
    {
        async Task<string> GenderOf(JsonArray bbox)
        {
            var objects = new JsonArray(new JsonObject { ["id"] = 0, ["class"] = "face", ["bbox"] = bbox });
            var (status, body) = await factory.PostSampleAsync(ServiceNames.GenderEstimator, ImageBody("identity/biden_1.jpg", version, objects), "?echo_image=false");
            Assert.True(status == 200, $"{bbox.ToJsonString()}: {status} {body?.ToJsonString()}");
            Assert.Equal(bbox.ToJsonString(), body!["objects"]![0]!["bbox"]!.ToJsonString()); // echoed as sent
            return body["objects"]![0]!["gender"]!.ToJsonString();
        }

        Assert.Equal(await GenderOf(new JsonArray(0.0, 0.0, 1.0, 0.95)), await GenderOf(new JsonArray(-0.05, -0.02, 1.02, 0.95)));
        var gross = new JsonArray(new JsonObject { ["id"] = 0, ["class"] = "face", ["bbox"] = new JsonArray(-0.5, 0.0, 1.0, 1.0) });
        var (grossStatus, _) = await factory.PostSampleAsync(ServiceNames.GenderEstimator, ImageBody("identity/biden_1.jpg", version, gross));
        Assert.Equal(422, grossStatus);
    }

    [Theory]
    [InlineData(ApiVersion.V1)]
    [InlineData(ApiVersion.V2)]
    public async Task Keypoints_InTheOtherDialect_AreUsed(ApiVersion version)
    {
        var other = version == ApiVersion.V1 ? ApiVersion.V2 : ApiVersion.V1;
        // The fitter's answer in the other dialect, keypoints shifted a little so that they differ from a fresh fit.
        var (_, fitted) = await factory.PostSampleAsync(ServiceNames.FaceDetectorFaceFitter, ImageBody("identity/obama_1.jpg", other), "?echo_image=false");
        var face = fitted!["objects"]![0]!.AsObject();
        if (other == ApiVersion.V1)
        {
            var kp = face["fitter"]!["keypoints"]!.AsArray();
            for (var i = 0; i < kp.Count; i += 3) kp[i] = kp[i]!.GetValue<double>() + 6;
        }
        else
        {
            foreach (var (_, p) in face["keypoints"]!.AsObject())
            {
                if (p is JsonObject po && po["proj"] is JsonArray proj) proj[0] = proj[0]!.GetValue<double>() + 0.006;
            }
        }

        async Task<string> TemplateOf(JsonObject request)
        {
            var (status, body) = await factory.PostSampleAsync(ServiceNames.TemplateExtractor, request, "?echo_image=false");
            Assert.True(status == 200, $"{status} {body?.ToJsonString()}");
            var o = body!["objects"]![0]!;
            return version == ApiVersion.V1 ? o["$template"]!.GetValue<string>() : o["template"]!.AsObject().First().Value!["blob"]!.GetValue<string>();
        }

        var boxOnly = new JsonObject { ["id"] = 0, ["class"] = "face", ["bbox"] = face["bbox"]!.DeepClone() };
        var mixed = await TemplateOf(ImageBody("identity/obama_1.jpg", version, [face.DeepClone()]));
        var fresh = await TemplateOf(ImageBody("identity/obama_1.jpg", version, [boxOnly]));
        Assert.NotEqual(fresh, mixed); // the shifted keypoints were used

        // ... exactly as they are when sent in the request's own dialect.
        var (_, own) = await factory.PostSampleAsync(ServiceNames.TemplateExtractor, ImageBody("identity/obama_1.jpg", other, [face.DeepClone()]), "?echo_image=false");
        var ownTemplate = other == ApiVersion.V1
            ? own!["objects"]![0]!["$template"]!.GetValue<string>()
            : own!["objects"]![0]!["template"]!.AsObject().First().Value!["blob"]!.GetValue<string>();
        Assert.Equal(ownTemplate, mixed);
    }

    [Theory]
    [InlineData(ApiVersion.V1)]
    [InlineData(ApiVersion.V2)]
    public async Task Json_EchoedBase64_IsWrittenUnescaped(ApiVersion version)
    {
        var request = ImageBody("identity/obama_1.jpg", version);
        var b64 = TestData.Base64("identity/obama_1.jpg");
        Assert.Contains('+', b64);
        using var client = factory.CreateClient();
        using var content = new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await client.PostAsync($"/{ServiceNames.FaceDetectorFaceFitter}/process/sample", content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(200, (int)response.StatusCode);
        Assert.DoesNotContain("\\u002B", text, StringComparison.Ordinal);
        Assert.Contains(b64, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Limits_ImageBetween4_7MBAnd4_7MiB_IsAccepted_AboveIs413()
    {
        // Bytes after the JPEG end-of-image marker are ignored by decoders: obama_1 padded to the two sizes.
        var jpeg = TestData.Bytes("identity/obama_1.jpg");
        byte[] Padded(int size) => [.. jpeg, .. new byte[size - jpeg.Length]];
        var (ok, body) = await factory.PostSampleAsync(ServiceNames.FaceDetectorFaceFitter,
            new JsonObject { ["$image"] = Convert.ToBase64String(Padded(4_900_000)) }, "?echo_image=false");
        Assert.True(ok == 200, $"{ok} {body?.ToJsonString()}");
        Assert.NotEmpty(body!["objects"]!.AsArray());
        var (tooLarge, _) = await factory.PostSampleAsync(ServiceNames.FaceDetectorFaceFitter,
            new JsonObject { ["$image"] = Convert.ToBase64String(Padded(4_928_308)) }, "?echo_image=false");
        Assert.Equal(413, tooLarge);
    }

    [Fact]
    public async Task TemplateKey_Configured_IsWrittenAndAccepted_ImageApisOwnStillAccepted()
    {
        const string vendorKey = "_face_template_extractor_1000_12";
        await using var keyed = factory.WithWebHostBuilder(b => b.UseSetting("FaceTemplates:V2TemplateKey", vendorKey));
        using var client = keyed.CreateClient();

        async Task<(int Status, JsonNode? Body)> Post(string service, JsonNode body)
        {
            using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
            using var response = await client.PostAsync($"/{service}/process/sample?echo_image=false", content);
            var text = await response.Content.ReadAsStringAsync();
            return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
        }

        var (s1, a) = await Post(ServiceNames.FaceDetectorTemplateExtractor, ImageBody("identity/obama_1.jpg", ApiVersion.V2));
        var (s2, b) = await Post(ServiceNames.FaceDetectorTemplateExtractor, ImageBody("identity/obama_2.jpg", ApiVersion.V2));
        Assert.Equal(200, s1);
        Assert.Equal(200, s2);
        var ta = a!["objects"]![0]!["template"]!.AsObject();
        Assert.Equal([vendorKey], ta.Select(p => p.Key));

        // Verification reads the configured key, and ImageApi's own key (templates stored before the setting).
        var ownKey = b!["objects"]![0]!["template"]!.AsObject();
        var ownEntry = ownKey[vendorKey]!.DeepClone();
        ownKey.Remove(vendorKey);
        ownKey[new ImageApi.Templates.FaceTemplateOptions().ResolveMethod().V2Key] = ownEntry;
        var (vs, verified) = await Post(ServiceNames.VerifyMatcher, new JsonObject
        {
            ["objects"] = new JsonArray(new JsonObject { ["template"] = ta.DeepClone() }, new JsonObject { ["template"] = ownKey.DeepClone() }),
        });
        Assert.True(vs == 200, verified?.ToJsonString());
        Assert.True(verified!["verification"]!["score"]!.GetValue<double>() > 0.9);

        // A vendor template under the vendor's key is still not ours: refused, never compared.
        var foreign = new JsonObject
        {
            [vendorKey] = new JsonObject { ["blob"] = Convert.ToBase64String(new byte[528]), ["format"] = "NDARRAY", ["dtype"] = "uint8", ["shape"] = new JsonArray(528) },
        };
        var (fs, _) = await Post(ServiceNames.VerifyMatcher, new JsonObject
        {
            ["objects"] = new JsonArray(new JsonObject { ["template"] = ta.DeepClone() }, new JsonObject { ["template"] = foreign }),
        });
        Assert.Equal(422, fs);
    }
}
