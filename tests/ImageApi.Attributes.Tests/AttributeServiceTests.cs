namespace ImageApi.Attributes.Tests;

/// <summary>Contract behaviour of the four attribute services: spec shapes, v1 = v2, several faces, other objects,
/// border faces and bad input (422, never a crash).</summary>
public sealed class AttributeServiceTests(ImageApiFactory factory) : IClassFixture<ImageApiFactory>
{
    private static readonly string[] Services =
        [ServiceNames.GenderEstimator, ServiceNames.AgeEstimator, ServiceNames.EmotionEstimator, ServiceNames.MaskEstimator];

    public static TheoryData<string, string> ServiceVersions() => SpecExamples.ServiceVersions(Services);

    [Theory]
    [MemberData(nameof(ServiceVersions))]
    public async Task Process_SpecExampleWithRealImage_HasResponseShape(string service, string version)
    {
        var (status, body) = await factory.PostSampleAsync(service, SpecExamples.Request(service, version, "identity/obama_1.jpg"));
        Assert.Equal(200, status);
        SpecExamples.AssertSameShape(SpecExamples.Load(service, version, "response"), body);
    }

    [Fact]
    public async Task EmotionEstimator_SpecExample_SevenEmotionsInSpecOrderSummingToOne()
    {
        foreach (var version in new[] { "v1", "v2" })
        {
            var (_, body) = await factory.PostSampleAsync(ServiceNames.EmotionEstimator, SpecExamples.Request(ServiceNames.EmotionEstimator, version, "identity/obama_1.jpg"));
            var emotions = body![FieldNames.Objects]![0]!["emotions"]!.AsArray();
            var expected = SpecExamples.Load(ServiceNames.EmotionEstimator, version, "response")[FieldNames.Objects]![0]!["emotions"]!.AsArray()
                .Select(e => e!["emotion"]!.GetValue<string>());
            Assert.Equal(expected, emotions.Select(e => e!["emotion"]!.GetValue<string>()));
            Assert.Equal(1.0, emotions.Sum(e => e!["confidence"]!.GetValue<double>()), 4);
            Assert.All(emotions, e => Assert.InRange(e!["confidence"]!.GetValue<double>(), 0, 1));
        }
    }

    [Fact]
    public async Task Process_SpecExample_AttributeSitsBeforeBbox()
    {
        var (_, body) = await factory.PostSampleAsync(ServiceNames.GenderEstimator, SpecExamples.Request(ServiceNames.GenderEstimator, "v1", "identity/obama_1.jpg"));
        var keys = body![FieldNames.Objects]![0]!.AsObject().Select(kv => kv.Key).ToList();
        Assert.Equal(["id", "class", "gender", "bbox"], keys);
    }

    [Theory]
    [InlineData("identity/compreface_C_009.jpg")]
    [InlineData("group/obama_and_biden.jpg")]
    [InlineData("mask/masked_woman_aizoo.jpg")]
    public async Task Process_V1AndV2_SameValues(string file)
    {
        var faces = await FaceRequests.FacesAsync(factory, file, "v2");
        var bare = new JsonArray([.. faces.Select(f => (JsonNode)new JsonObject
        {
            [FieldNames.Id] = f![FieldNames.Id]!.DeepClone(),
            [FieldNames.Class] = FieldNames.ClassFace,
            [FieldNames.Bbox] = f[FieldNames.Bbox]!.DeepClone(),
        })]);
        foreach (var service in Services)
        {
            var (s1, v1) = await factory.PostSampleAsync(service, FaceRequests.Body(file, "v1", (JsonArray)bare.DeepClone()));
            var (s2, v2) = await factory.PostSampleAsync(service, FaceRequests.Body(file, "v2", (JsonArray)bare.DeepClone()));
            Assert.Equal(200, s1);
            Assert.Equal(200, s2);
            for (var i = 0; i < bare.Count; i++)
            {
                var a = v1![FieldNames.Objects]![i]!;
                var b = v2![FieldNames.Objects]![i]!;
                switch (service)
                {
                    case ServiceNames.GenderEstimator:
                        Assert.Equal(a["gender"]!.GetValue<string>().ToLowerInvariant(), b["gender"]!.GetValue<string>());
                        Assert.Contains(a["gender"]!.GetValue<string>(), new[] { "MALE", "FEMALE" });
                        break;
                    case ServiceNames.AgeEstimator:
                        Assert.Equal(a["age"]!.GetValue<string>(), b["age"]!.GetValue<string>());
                        break;
                    case ServiceNames.EmotionEstimator:
                        var ea = a["emotions"]!.AsArray();
                        var eb = b["emotions"]!.AsArray();
                        for (var k = 0; k < 7; k++)
                        {
                            Assert.Equal(ea[k]!["emotion"]!.GetValue<string>().ToLowerInvariant(), eb[k]!["emotion"]!.GetValue<string>());
                            Assert.Equal(ea[k]!["confidence"]!.GetValue<double>(), eb[k]!["confidence"]!.GetValue<double>(), 6);
                        }

                        break;
                    default:
                        Assert.Equal(a["mask"]!["value"]!.GetValue<bool>(), b["has_medical_mask"]!["value"]!.GetValue<bool>());
                        Assert.Equal(a["mask"]!["confidence"]!.GetValue<double>(), b["has_medical_mask"]!["confidence"]!.GetValue<double>(), 6);
                        break;
                }
            }
        }
    }

    [Fact]
    public async Task Process_SeveralFacesAndOtherObjects_EveryFaceGetsItOthersUntouched()
    {
        const string file = "group/obama_and_biden.jpg";
        var faces = await FaceRequests.FacesAsync(factory, file);
        Assert.True(faces.Count >= 2);
        var body = new JsonObject { ["class"] = "body", ["bbox"] = new JsonArray(0.1, 0.1, 0.9, 0.9), ["custom"] = "kept" };
        var noBox = new JsonObject { ["class"] = "car", ["confidence"] = 0.5 };
        var objects = new JsonArray([body.DeepClone(), .. faces.Select(f => f!.DeepClone()), noBox.DeepClone()]);
        foreach (var service in Services)
        {
            var (status, response) = await factory.PostSampleAsync(service, FaceRequests.Body(file, "v2", (JsonArray)objects.DeepClone()));
            Assert.Equal(200, status);
            var answered = response![FieldNames.Objects]!.AsArray();
            Assert.Equal(objects.Count, answered.Count);
            Assert.True(JsonNode.DeepEquals(body, answered[0]));
            Assert.True(JsonNode.DeepEquals(noBox, answered[^1]));
            var field = service switch
            {
                ServiceNames.GenderEstimator => "gender",
                ServiceNames.AgeEstimator => "age",
                ServiceNames.EmotionEstimator => "emotions",
                _ => "has_medical_mask",
            };
            for (var i = 1; i < answered.Count - 1; i++) Assert.NotNull(answered[i]![field]);
        }
    }

    [Theory]
    [InlineData(0.0, 0.0, 0.35, 0.45)]
    [InlineData(0.7, 0.6, 1.0, 1.0)]
    [InlineData(0.0, 0.99, 0.01, 1.0)]
    public async Task Process_FaceBoxAtImageBorder_Answers(double x1, double y1, double x2, double y2)
    {
        var face = new JsonObject { ["id"] = 0, ["class"] = "face", ["bbox"] = new JsonArray(x1, y1, x2, y2) };
        foreach (var service in Services)
        {
            var (status, response) = await factory.PostSampleAsync(service, FaceRequests.Body("identity/biden_1.jpg", "v1", [face.DeepClone()]));
            Assert.True(status == 200, $"{service}: {status} {response?.ToJsonString()}");
        }
    }

    public static TheoryData<string, string, string> BadObjects()
    {
        var cases = new (string Name, string Objects)[]
        {
            ("bbox outside the image", """[{"id":0,"class":"face","bbox":[-0.2,0.1,0.5,1.3]}]"""),
            ("zero-area bbox", """[{"id":0,"class":"face","bbox":[0.5,0.5,0.5,0.5]}]"""),
            ("inverted bbox", """[{"id":0,"class":"face","bbox":[0.6,0.2,0.3,0.7]}]"""),
            ("bbox not numbers", """[{"id":0,"class":"face","bbox":["a",0,1,1]}]"""),
            ("face without bbox", """[{"id":0,"class":"face"}]"""),
        };
        var data = new TheoryData<string, string, string>();
        foreach (var service in Services)
        {
            foreach (var (name, objects) in cases) data.Add(service, name, objects);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BadObjects))]
    public async Task Process_BadObjects_Returns422(string service, string name, string objects)
    {
        foreach (var version in new[] { "v1", "v2" })
        {
            var (status, response) = await PostWithObjectsAsync(service, version, objects);
            Assert.True(status == 422, $"{service} {version} {name}: {status} {response?.ToJsonString()}");
            Assert.NotNull(response!["detail"]);
        }
    }

    public static TheoryData<string, string> NoFaceObjects()
    {
        var data = new TheoryData<string, string>();
        foreach (var service in Services)
        {
            foreach (var objects in new[] { "null", "[]", """[{"id":7,"class":"body","bbox":[0.1,0.1,0.9,0.9],"extra":{"k":1}}]""" })
            {
                data.Add(service, objects);
            }
        }

        return data;
    }

    /// <summary>Nothing to estimate is not an error: a photo without a face completes a pipeline or pub/sub request.</summary>
    [Theory]
    [MemberData(nameof(NoFaceObjects))]
    public async Task Process_NoFace_200WithTheObjectsUnchanged(string service, string objects)
    {
        foreach (var version in new[] { "v1", "v2" })
        {
            var (status, response) = await PostWithObjectsAsync(service, version, objects);
            Assert.True(status == 200, $"{service} {version} {objects}: {status} {response?.ToJsonString()}");
            var sent = objects == "null" ? "[]" : JsonNode.Parse(objects)!.ToJsonString();
            Assert.Equal(sent, (response![FieldNames.Objects] ?? new JsonArray()).ToJsonString());
        }
    }

    /// <summary>Posts a photo with <paramref name="objects"/> as the client wrote them (JSON text; "null": no
    /// <c>objects</c> key at all).</summary>
    private Task<(int Status, JsonNode? Body)> PostWithObjectsAsync(string service, string version, string objects)
    {
        var body = FaceRequests.Body("identity/biden_1.jpg", version, []);
        if (objects == "null") body.Remove(FieldNames.Objects);
        else body[FieldNames.Objects] = JsonNode.Parse(objects);
        return factory.PostSampleAsync(service, body);
    }

    [Fact]
    public void Estimators_DirectApi_OneAnswerPerFaceInOneCall()
    {
        // The contract the quality area builds on: EmotionEstimator/MaskEstimator.Estimate(image, faces, ct).
        var decoder = factory.Services.GetRequiredService<ImageDecoder>();
        var image = new ImageSource(TestData.Bytes("group/obama_and_biden.jpg"), decoder);
        var detected = factory.Services.GetRequiredService<FaceDetector>().Detect(image);
        Assert.True(detected.Count >= 2);
        var faces = detected.Select((d, i) => new FaceInput(i, new JsonObject(), d.Box, null)).ToList();
        var emotions = factory.Services.GetRequiredService<EmotionEstimator>().Estimate(image, faces, CancellationToken.None);
        var masks = factory.Services.GetRequiredService<MaskEstimator>().Estimate(image, faces, CancellationToken.None);
        Assert.Equal(faces.Count, emotions.Length);
        Assert.Equal(faces.Count, masks.Length);
        Assert.All(emotions, p =>
        {
            Assert.Equal(7, p.Length);
            Assert.Equal(1f, p.Sum(), 3);
        });
        Assert.All(masks, p => Assert.InRange(p, 0f, 0.5f));
        // Batched and single-face answers agree: the batch does not mix faces.
        var single = factory.Services.GetRequiredService<EmotionEstimator>().Estimate(image, [faces[1]], CancellationToken.None);
        for (var k = 0; k < 7; k++) Assert.Equal(emotions[1][k], single[0][k], 4);
    }

    [Fact]
    public async Task Process_NoImage_Returns422()
    {
        foreach (var service in Services)
        {
            var (status, _) = await factory.PostSampleAsync(service, new JsonObject { ["objects"] = new JsonArray(FaceRequests.WholeImageFace()) });
            Assert.True(status is 400 or 422, $"{service}: {status}");
        }
    }
}
