using System.Buffers.Binary;
using Microsoft.AspNetCore.Hosting;

namespace ImageApi.Identification.Tests;

/// <summary>Gallery and person management, enrolment and search on the embedded host, with real photos
/// (shared/testdata/identity) through the product's own detector and extractor.</summary>
public sealed class GalleryApiTests(ImageApiFactory factory) : IClassFixture<ImageApiFactory>
{
    private readonly Api _api = Api.Of(factory);

    private static string NewId(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>A new gallery of its own (a fresh id: the tests share one host) holding <paramref name="persons"/>,
    /// each without templates.</summary>
    private async Task<string> NewGalleryAsync(params string[] persons)
    {
        var g = NewId("g");
        await _api.CreateGalleryAsync(g);
        foreach (var person in persons) await _api.AddPersonAsync(g, person);
        return g;
    }

    /// <summary>DELETE <paramref name="path"/> answers 204; after it the resource is gone: GET answers 404 with
    /// <paramref name="notFound"/> and a second DELETE 404.</summary>
    private async Task AssertDeletesAsync(string path, string notFound)
    {
        Assert.Equal(204, (await _api.DeleteAsync(path)).Status);
        var (gone, body) = await _api.GetAsync(path);
        Assert.Equal(404, gone);
        Assert.Equal(notFound, Bodies.Detail(body));
        Assert.Equal(404, (await _api.DeleteAsync(path)).Status);
    }

    [Fact]
    public async Task Gallery_CreateListGetDelete()
    {
        var id = NewId("g");
        var (created, body) = await _api.PostAsync("/galleries", new JsonObject { ["id"] = id });
        Assert.Equal(201, created);
        Assert.Equal(1e-3, body!["far"]!.GetValue<double>());

        var (dup, dupBody) = await _api.PostAsync("/galleries", new JsonObject { ["id"] = id });
        Assert.Equal(409, dup);
        Assert.Contains(id, Bodies.Detail(dupBody));

        var (_, list) = await _api.GetAsync("/galleries");
        Assert.Contains(list!["galleries"]!.AsArray(), g => g!["id"]!.GetValue<string>() == id);

        var (got, one) = await _api.GetAsync($"/galleries/{id}");
        Assert.Equal(200, got);
        Assert.Equal(0, one!["persons"]!.GetValue<int>());

        await AssertDeletesAsync($"/galleries/{id}", $"Gallery '{id}' not found");
    }

    [Theory]
    [InlineData("{\"far\": 0.01}", 201)]
    [InlineData("{\"score\": 0.7}", 201)]
    [InlineData("{\"far\": 0.01, \"score\": 0.7}", 422)]
    [InlineData("{\"far\": 0}", 422)]
    [InlineData("{\"score\": 1.5}", 422)]
    [InlineData("{\"far\": \"x\"}", 422)]
    public async Task Gallery_Threshold_Validated(string extra, int expected)
    {
        var body = JsonNode.Parse(extra)!.AsObject();
        body["id"] = NewId("t");
        Assert.Equal(expected, (await _api.PostAsync("/galleries", body)).Status);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-leading")]
    [InlineData("has space")]
    public async Task Gallery_BadId_422(string id)
    {
        var (status, body) = await _api.PostAsync("/galleries", new JsonObject { ["id"] = id });
        Assert.Equal(422, status);
        Assert.Equal("id", body!["detail"]![0]!["loc"]![1]!.GetValue<string>());
    }

    [Fact]
    public async Task Person_AddDuplicateListGetDelete()
    {
        var g = await NewGalleryAsync();
        var (added, person) = await _api.PostAsync($"/galleries/{g}/persons",
            new JsonObject { ["id"] = "p-1", ["metadata"] = new JsonObject { ["name"] = "Ada", ["team"] = 7 } });
        Assert.Equal(201, added);
        Assert.Equal("Ada", person!["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal(0, person["templates"]!.GetValue<int>());

        var (dup, dupBody) = await _api.PostAsync($"/galleries/{g}/persons", new JsonObject { ["id"] = "p-1" });
        Assert.Equal(409, dup);
        Assert.Equal($"Person 'p-1' already exists in gallery '{g}'", Bodies.Detail(dupBody));

        await _api.AddPersonAsync(g, "p-2");
        var (_, list) = await _api.GetAsync($"/galleries/{g}/persons");
        Assert.Equal(["p-1", "p-2"], list!["persons"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()));
        var (_, page) = await _api.GetAsync($"/galleries/{g}/persons?offset=1&limit=1");
        Assert.Equal("p-2", Assert.Single(page!["persons"]!.AsArray())!["id"]!.GetValue<string>());

        Assert.Equal(200, (await _api.GetAsync($"/galleries/{g}/persons/p-1")).Status);
        await AssertDeletesAsync($"/galleries/{g}/persons/p-1", $"Person 'p-1' not found in gallery '{g}'");
    }

    [Fact]
    public async Task Person_Errors()
    {
        var (noGallery, body) = await _api.PostAsync("/galleries/nope/persons", new JsonObject { ["id"] = "p" });
        Assert.Equal(404, noGallery);
        Assert.Equal("Gallery 'nope' not found", Bodies.Detail(body));

        var g = await NewGalleryAsync();
        Assert.Equal(422, (await _api.PostAsync($"/galleries/{g}/persons", new JsonObject())).Status);
        Assert.Equal(422, (await _api.PostAsync($"/galleries/{g}/persons", new JsonObject { ["id"] = "p", ["metadata"] = "text" })).Status);
        var big = new JsonObject { ["id"] = "p", ["metadata"] = new JsonObject { ["x"] = new string('a', 5000) } };
        Assert.Equal(422, (await _api.PostAsync($"/galleries/{g}/persons", big)).Status);
        Assert.Equal(404, (await _api.PostAsync($"/galleries/{g}/persons/ghost/templates", Bodies.Image("obama_1.jpg"))).Status);
        var (malformed, _) = await _api.SendAsync(HttpMethod.Post, "/galleries", null);
        Assert.Equal(422, malformed);
    }

    [Fact]
    public async Task EnrolFromImage_SearchFindsTheSamePersonFirst_AndNotAnotherAboveThreshold()
    {
        var g = await NewGalleryAsync();
        foreach (var (person, file) in new[] { ("obama", "obama_1.jpg"), ("kit", "kit_harington_1.jpeg"), ("rose", "rose_leslie_1.jpg") })
        {
            await _api.AddPersonAsync(g, person);
            var enrolled = await _api.EnrolImageAsync(g, person, file);
            Assert.Equal(1, enrolled["templates"]!.GetValue<int>());
            Assert.Single(enrolled["enrolled"]!.AsArray());
        }

        var (status, answer) = await _api.IdentifyAsync(Bodies.Image("obama_2.jpg"), $"gallery={g}&k=3");
        Assert.Equal(200, status);
        var matches = Bodies.Faces(answer)[0]["matches"]!.AsArray();
        var first = matches[0]!;
        Assert.Equal("obama", first["person_id"]!.GetValue<string>());
        Assert.True(first["fa_r"]!.GetValue<double>() <= 1e-3); // passed the gallery's default threshold
        foreach (var field in new[] { "score", "distance", "fa_r", "fr_r" }) Assert.NotNull(first[field]);

        // Biden is not enrolled: nobody matches him at the default threshold (FAR 1e-3).
        var (_, biden) = await _api.IdentifyAsync(Bodies.Image("biden_1.jpg", v1: false), $"gallery={g}&k=3");
        Assert.Empty(Bodies.Faces(biden)[0]["matches"]!.AsArray());

        // With every threshold off (score ≥ 0) the k nearest come back, best first.
        var (_, all) = await _api.IdentifyAsync(Bodies.Image("biden_1.jpg"), $"gallery={g}&k=3&threshold=0");
        var scores = Bodies.Faces(all)[0]["matches"]!.AsArray().Select(m => m!["score"]!.GetValue<double>()).ToList();
        Assert.Equal(3, scores.Count);
        Assert.Equal(scores.OrderByDescending(s => s), scores);
    }

    [Fact]
    public async Task MatchFields_AreVerifyMatchersForThePair()
    {
        var g = await NewGalleryAsync("obama");
        var (_, extracted) = await factory.PostSampleAsync("face-detector-template-extractor", Bodies.Image("obama_1.jpg"));
        var enrolFace = Bodies.Faces(extracted)[0];
        var templateOnly = new JsonObject { ["class"] = "face", ["$template"] = enrolFace["$template"]!.DeepClone() };
        var (enrolled, _) = await _api.PostAsync($"/galleries/{g}/persons/obama/templates", new JsonObject { ["objects"] = new JsonArray(templateOnly) });
        Assert.Equal(201, enrolled);

        var (_, probeAnswer) = await factory.PostSampleAsync("face-detector-template-extractor", Bodies.Image("obama_3.jpg"));
        var probe = new JsonObject { ["class"] = "face", ["$template"] = Bodies.Faces(probeAnswer)[0]["$template"]!.DeepClone() };
        var (_, identified) = await _api.IdentifyAsync(new JsonObject { ["objects"] = new JsonArray(probe.DeepClone()) }, $"gallery={g}");
        var match = identified!["objects"]![0]!["matches"]![0]!;

        var (_, verified) = await factory.PostSampleAsync("verify-matcher",
            new JsonObject { ["objects"] = new JsonArray(probe.DeepClone(), templateOnly.DeepClone()) });
        foreach (var field in new[] { "score", "distance", "fa_r", "fr_r" })
        {
            Assert.Equal(verified!["verification"]![field]!.GetValue<double>(), match[field]!.GetValue<double>(), 12);
        }
    }

    [Fact]
    public async Task DeletePerson_RemovesEveryTemplateFromSearch()
    {
        var g = await NewGalleryAsync("obama");
        await _api.EnrolImageAsync(g, "obama", "obama_1.jpg");
        var second = await _api.EnrolImageAsync(g, "obama", "obama_3.jpg");
        Assert.Equal(2, second["templates"]!.GetValue<int>());
        var (_, before) = await _api.IdentifyAsync(Bodies.Image("obama_2.jpg"), $"gallery={g}");
        Assert.Single(Bodies.Faces(before)[0]["matches"]!.AsArray()); // one person, two templates: one match

        Assert.Equal(204, (await _api.DeleteAsync($"/galleries/{g}/persons/obama")).Status);
        var (_, after) = await _api.IdentifyAsync(Bodies.Image("obama_2.jpg"), $"gallery={g}&threshold=0");
        Assert.Empty(Bodies.Faces(after)[0]["matches"]!.AsArray());
        var (_, info) = await _api.GetAsync($"/galleries/{g}");
        Assert.Equal(0, info!["templates"]!.GetValue<int>());
    }

    [Fact]
    public async Task EnrolTheFaceGivenByObjects_NotTheLargest()
    {
        var g = await NewGalleryAsync("second");
        var (_, detected) = await factory.PostSampleAsync("face-detector-face-fitter",
            new JsonObject { ["$image"] = TestData.Base64("group/kit_with_rose.jpg") });
        var faces = Bodies.Faces(detected);
        Assert.True(faces.Count >= 2);
        var smaller = new JsonObject { ["class"] = "face", ["bbox"] = faces[1]["bbox"]!.DeepClone() };
        var body = new JsonObject { ["$image"] = TestData.Base64("group/kit_with_rose.jpg"), ["objects"] = new JsonArray(smaller) };
        var (status, enrolled) = await _api.PostAsync($"/galleries/{g}/persons/second/templates", body);
        Assert.Equal(201, status);
        Assert.Equal(faces[1]["bbox"]!.ToJsonString(), enrolled!["enrolled"]![0]!["bbox"]!.ToJsonString());

        // Searching the same photo: the smaller face is the enrolled person, the larger is not.
        var (_, answer) = await _api.IdentifyAsync(new JsonObject { ["$image"] = TestData.Base64("group/kit_with_rose.jpg") }, $"gallery={g}");
        var found = Bodies.Faces(answer);
        Assert.Empty(found[0]["matches"]!.AsArray());
        Assert.Equal("second", found[1]["matches"]![0]!["person_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task ForeignTemplate_422NamesBothMethods()
    {
        var g = await NewGalleryAsync("p");
        var (_, extracted) = await factory.PostSampleAsync("face-detector-template-extractor", Bodies.Image("obama_1.jpg"));
        var blob = Convert.FromBase64String(Bodies.Faces(extracted)[0]["$template"]!.GetValue<string>());
        BinaryPrimitives.WriteUInt16LittleEndian(blob.AsSpan(8), 2); // method version 2: another model
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(blob.Length - 4), ZlibCrc32.Compute(blob.AsSpan(0, blob.Length - 4)));
        var foreign = new JsonObject { ["objects"] = new JsonArray(new JsonObject { ["class"] = "face", ["$template"] = Convert.ToBase64String(blob) }) };

        var (status, body) = await _api.PostAsync($"/galleries/{g}/persons/p/templates", foreign);
        Assert.Equal(422, status);
        var msg = Bodies.Detail(body);
        Assert.Contains("version 2", msg);
        Assert.Contains($"version {TemplateMethod.MobileFaceNet.Version}", msg);

        var (searchStatus, _) = await _api.IdentifyAsync(foreign, $"gallery={g}");
        Assert.Equal(422, searchStatus);

        var v2Foreign = new JsonObject
        {
            ["objects"] = new JsonArray(new JsonObject
            {
                ["class"] = "face",
                ["template"] = new JsonObject { ["_face_template_extractor_1000_12"] = new JsonObject { ["blob"] = Convert.ToBase64String(blob), ["format"] = "NDARRAY" } },
            }),
        };
        var (v2Status, v2Body) = await _api.PostAsync($"/galleries/{g}/persons/p/templates", v2Foreign);
        Assert.Equal(422, v2Status);
        Assert.Contains("1000_12", v2Body!.ToJsonString());
    }

    /// <summary>A template of the face in <paramref name="file"/> made by a host of <paramref name="method"/>, as a template-only object.</summary>
    private async Task<JsonObject> TemplateOfAsync(string method, string file)
    {
        await using var host = factory.WithWebHostBuilder(b => b.UseSetting("FaceTemplates:Method", method));
        var (status, body) = await Api.Of(host).PostAsync("/face-detector-template-extractor/process/sample?echo_image=false", Bodies.Image(file));
        Assert.Equal(200, status);
        return new JsonObject { ["class"] = "face", ["$template"] = Bodies.Faces(body)[0]["$template"]!.DeepClone() };
    }

    [Theory]
    [InlineData("mobilefacenet_1", "omz_reid_0095_1")]
    [InlineData("omz_reid_0095_1", "mobilefacenet_1")]
    public async Task Gallery_OfOneMethod_RefusesEnrolmentAndSearchOfAnother_422NamingBoth(string enrolled, string other)
    {
        var g = await NewGalleryAsync("obama");
        var own = await TemplateOfAsync(enrolled, "obama_1.jpg");
        var (ok, _) = await _api.PostAsync($"/galleries/{g}/persons/obama/templates", new JsonObject { ["objects"] = new JsonArray(own) });
        Assert.Equal(201, ok);

        var foreign = await TemplateOfAsync(other, "obama_2.jpg");
        var (enrolStatus, enrolBody) = await _api.PostAsync($"/galleries/{g}/persons/obama/templates", new JsonObject { ["objects"] = new JsonArray(foreign.DeepClone()) });
        Assert.Equal(422, enrolStatus);
        Assert.Contains(enrolled, Bodies.Detail(enrolBody));
        Assert.Contains(other, Bodies.Detail(enrolBody));
        var (_, info) = await _api.GetAsync($"/galleries/{g}");
        Assert.Equal(1, info!["templates"]!.GetValue<int>()); // nothing of the refused request was stored

        var (searchStatus, searchBody) = await _api.IdentifyAsync(new JsonObject { ["objects"] = new JsonArray(foreign.DeepClone()) }, $"gallery={g}&threshold=0");
        Assert.Equal(422, searchStatus);
        Assert.Contains(enrolled, Bodies.Detail(searchBody));
        Assert.Contains(other, Bodies.Detail(searchBody));

        // The same method searches as before: the person is found, with the method's own verification fields.
        var probe = await TemplateOfAsync(enrolled, "obama_2.jpg");
        var (found, answer) = await _api.IdentifyAsync(new JsonObject { ["objects"] = new JsonArray(probe.DeepClone()) }, $"gallery={g}");
        Assert.Equal(200, found);
        var match = answer!["objects"]![0]!["matches"]![0]!;
        Assert.Equal("obama", match["person_id"]!.GetValue<string>());
        var table = RocTable.LoadBuiltIn(TemplateMethod.Named(enrolled)!);
        Assert.Equal(table.ScoreAt(match["distance"]!.GetValue<double>()), match["score"]!.GetValue<double>(), 4);
    }

    [Fact]
    public async Task Search_Errors_AndEmptyGallery()
    {
        var g = await NewGalleryAsync();
        var (empty, answer) = await _api.IdentifyAsync(Bodies.Image("obama_2.jpg"), $"gallery={g}");
        Assert.Equal(200, empty);
        Assert.Empty(Bodies.Faces(answer)[0]["matches"]!.AsArray());

        var (unknown, body) = await _api.IdentifyAsync(Bodies.Image("obama_2.jpg"), "gallery=nope");
        Assert.Equal(404, unknown);
        Assert.Equal("Gallery 'nope' not found", Bodies.Detail(body));

        var (missing, missingBody) = await _api.IdentifyAsync(Bodies.Image("obama_2.jpg"), "k=1");
        Assert.Equal(422, missing);
        Assert.Equal("gallery", missingBody!["detail"]![0]!["loc"]![1]!.GetValue<string>());

        Assert.Equal(422, (await _api.IdentifyAsync(Bodies.Image("obama_2.jpg"), $"gallery={g}&k=0")).Status);
        Assert.Equal(422, (await _api.IdentifyAsync(Bodies.Image("obama_2.jpg"), $"gallery={g}&far=2")).Status);
        Assert.Equal(422, (await _api.IdentifyAsync(Bodies.Image("obama_2.jpg"), $"gallery={g}&far=0.01&threshold=0.5")).Status);
        Assert.Equal(422, (await _api.IdentifyAsync(new JsonObject { ["objects"] = new JsonArray() }, $"gallery={g}")).Status);
    }

    [Fact]
    public async Task Pipeline_DetectorExtractorThenIdentifier()
    {
        var g = await NewGalleryAsync("obama");
        await _api.EnrolImageAsync(g, "obama", "obama_1.jpg");
        var (status, answer) = await _api.PostAsync(
            $"/pipeline/process/sample?services=face-detector-template-extractor,face-identifier&gallery={g}&echo_image=false",
            Bodies.Image("obama_4.jpg", v1: false));
        Assert.Equal(200, status);
        Assert.Equal("obama", Bodies.Faces(answer)[0]["matches"]![0]!["person_id"]!.GetValue<string>());

        // The parameters may travel in the sample instead (the distributed pipeline's hops carry no query).
        var body = Bodies.Image("obama_4.jpg");
        body["identification"] = new JsonObject { ["gallery"] = g, ["k"] = 1 };
        var (_, viaBody) = await _api.PostAsync("/pipeline/process/sample?services=face-detector-template-extractor,face-identifier", body);
        Assert.Equal("obama", Bodies.Faces(viaBody)[0]["matches"]![0]!["person_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task TargetFarThreshold_PerRequest_OverridesTheGalleryDefault()
    {
        var g = NewId("g");
        await _api.CreateGalleryAsync(g, new JsonObject { ["score"] = 0.99 }); // a default nobody passes
        await _api.AddPersonAsync(g, "obama");
        await _api.EnrolImageAsync(g, "obama", "obama_1.jpg");
        var (_, strict) = await _api.IdentifyAsync(Bodies.Image("obama_2.jpg"), $"gallery={g}");
        Assert.Empty(Bodies.Faces(strict)[0]["matches"]!.AsArray());
        var (_, byFar) = await _api.IdentifyAsync(Bodies.Image("obama_2.jpg"), $"gallery={g}&far=0.001");
        Assert.Equal("obama", Bodies.Faces(byFar)[0]["matches"]![0]!["person_id"]!.GetValue<string>());
    }
}
