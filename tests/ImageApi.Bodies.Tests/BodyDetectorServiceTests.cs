using System.Text.Json.Nodes;
using ImageApi.Contracts;
using ImageApi.Faces;
using Microsoft.Extensions.DependencyInjection;

namespace ImageApi.Bodies.Tests;

/// <summary>The body-detector route on real photos with the default model (YOLOX-Nano).</summary>
public sealed class BodyDetectorServiceTests(ImageApiFactory factory) : IClassFixture<ImageApiFactory>
{
    public static TheoryData<string> CompreFaceGroups => [.. GroupPhotos.CompreFace];
    public static TheoryData<string> AllGroups => [.. TestData.Files("group")];
    public static TheoryData<string> NoPerson => ["no_face/landscape_compreface_017_0.jpg", "no_face/cat.jpg", "no_face/dog.jpeg"];

    [Fact]
    public async Task Process_TwoRunners_FindsTwoBodies()
    {
        var bodies = await DetectAsync(factory, "group/body_two_runners.jpg");
        Assert.Equal(2, bodies.Count);
    }

    [Theory]
    [MemberData(nameof(CompreFaceGroups))]
    public async Task Process_CompreFaceGroup_FindsNMinus1ToNPlus2Bodies(string file)
    {
        var n = GroupPhotos.PeopleIn(file);
        var bodies = await DetectAsync(factory, file);
        Assert.InRange(bodies.Count, n - 1, n + 2);
    }

    [Theory]
    [MemberData(nameof(NoPerson))]
    public async Task Process_NoPerson_FindsNoBody(string file)
    {
        Assert.Empty(await DetectAsync(factory, file));
    }

    [Theory]
    [MemberData(nameof(AllGroups))]
    public async Task Process_GroupPhoto_EveryFaceLiesMostlyInsideABody(string file)
    {
        var source = new ImageSource(TestData.Bytes(file), factory.Services.GetRequiredService<ImageDecoder>());
        var faces = await FacesAsync(file, source);
        Assert.NotEmpty(faces);
        var bodies = (await DetectAsync(factory, file)).Select(b => ToPixels(b, source)).ToList();
        foreach (var face in faces)
        {
            var covered = bodies.Count == 0 ? 0 : bodies.Max(b => b.IntersectionArea(face) / face.Area);
            Assert.True(covered >= 0.7f, $"face [{face.X1:F0},{face.Y1:F0},{face.X2:F0},{face.Y2:F0}] is only {covered:P0} inside a body box");
        }
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("v2")]
    public async Task Process_SpecExample_HasTheResponseShape(string version)
    {
        var request = SpecExamples.Request(ServiceNames.BodyDetector, version, "group/body_two_runners.jpg");
        var (status, body) = await factory.PostSampleAsync(ServiceNames.BodyDetector, request);
        Assert.Equal(200, status);
        SpecExamples.AssertSameShape(SpecExamples.Load(ServiceNames.BodyDetector, version, "response"), body);
        AssertWellFormed(body!["objects"]!.AsArray());
        // The image is echoed back in the request's own field.
        Assert.True(body.AsObject().ContainsKey(version == "v1" ? "$image" : "_image"));
    }

    [Fact]
    public async Task Process_V1AndV2_GiveTheSameBodies()
    {
        var (_, v1) = await factory.PostSampleAsync(ServiceNames.BodyDetector,
            SpecExamples.Request(ServiceNames.BodyDetector, "v1", "group/compreface_015_6.jpg"));
        var (_, v2) = await factory.PostSampleAsync(ServiceNames.BodyDetector,
            SpecExamples.Request(ServiceNames.BodyDetector, "v2", "group/compreface_015_6.jpg"));
        Assert.Equal(v1!["objects"]!.ToJsonString(), v2!["objects"]!.ToJsonString());
    }

    [Fact]
    public async Task ProcessImage_Multipart_AnswersLikeTheJsonRoute()
    {
        const string file = "group/compreface_000_5.jpg";
        var (status, multipart) = await factory.PostImageAsync(ServiceNames.BodyDetector, TestData.Bytes(file));
        Assert.Equal(200, status);
        var (_, json) = await factory.PostSampleAsync(ServiceNames.BodyDetector,
            SpecExamples.Request(ServiceNames.BodyDetector, "v2", file));
        SpecExamples.AssertSameShape(SpecExamples.Load(ServiceNames.BodyDetector, "v2", "response"), multipart);
        Assert.Equal(json!["objects"]!.ToJsonString(), multipart!["objects"]!.ToJsonString());
    }

    [Fact]
    public async Task Process_LargePhoto_DetectsOnADownscaledDecode()
    {
        // 3024×4032 phone photo: decoded at 416 px in the DCT domain; boxes still relative to the full photo.
        var bodies = await DetectAsync(factory, "identity/compreface_A_004.jpg");
        Assert.NotEmpty(bodies);
        var best = bodies[0]["bbox"]!.AsArray().Select(v => (double)v!).ToArray();
        // The woman stands in the middle of the frame: her box spans most of the height.
        Assert.True(best[3] - best[1] > 0.5, $"box height {best[3] - best[1]:F2}");
    }

    [Fact]
    public async Task Process_ObjectsInRequest_BodiesReplacedOthersKept()
    {
        var request = SpecExamples.Request(ServiceNames.BodyDetector, "v2", "group/body_two_runners.jpg");
        request["objects"] = new JsonArray(
            new JsonObject { ["id"] = 9, ["class"] = "face", ["bbox"] = new JsonArray(0.1, 0.1, 0.2, 0.2) },
            new JsonObject { ["id"] = 0, ["class"] = "body", ["confidence"] = 0.1, ["bbox"] = new JsonArray(0, 0, 0.01, 0.01) });
        var (status, body) = await factory.PostSampleAsync(ServiceNames.BodyDetector, request);
        Assert.Equal(200, status);
        var objects = body!["objects"]!.AsArray();
        Assert.Single(objects, o => (string)o!["class"]! == "face" && (int)o["id"]! == 9);
        Assert.Equal(2, objects.Count(o => (string)o!["class"]! == "body"));
        Assert.DoesNotContain(objects, o => (string)o!["class"]! == "body" && (double)o["confidence"]! == 0.1);
    }

    [Fact]
    public void Detect_ScoreThresholdSetting_IsApplied()
    {
        var catalog = factory.Services.GetRequiredService<ImageApi.Inference.ModelCatalog>();
        var source = new ImageSource(TestData.Bytes("group/compreface_016_8.jpg"), factory.Services.GetRequiredService<ImageDecoder>());
        var strict = new BodyDetector(catalog, Microsoft.Extensions.Options.Options.Create(new BodyDetectorOptions { ScoreThreshold = 0.8f }));
        var lenient = new BodyDetector(catalog, Microsoft.Extensions.Options.Options.Create(new BodyDetectorOptions { ScoreThreshold = 0.3f }));
        var few = strict.Detect(source);
        var many = lenient.Detect(source);
        Assert.All(few, b => Assert.True(b.Score >= 0.8f));
        Assert.True(many.Count > few.Count, $"{many.Count} at 0.3 vs {few.Count} at 0.8");
    }

    [Fact]
    public void BodyDetector_UnknownModel_FailsAtConstruction()
    {
        var catalog = factory.Services.GetRequiredService<ImageApi.Inference.ModelCatalog>();
        Assert.Throws<InvalidOperationException>(() =>
            new BodyDetector(catalog, Microsoft.Extensions.Options.Options.Create(new BodyDetectorOptions { Model = "face-detector-yunet-n" })));
    }

    internal static async Task<List<JsonObject>> DetectAsync(ImageApiFactory factory, string file)
    {
        var (status, body) = await factory.PostSampleAsync(ServiceNames.BodyDetector,
            SpecExamples.Request(ServiceNames.BodyDetector, "v2", file), "?echo_image=false");
        Assert.Equal(200, status);
        var objects = body!["objects"]!.AsArray().Select(o => o!.AsObject()).ToList();
        AssertWellFormed(body["objects"]!.AsArray());
        return objects;
    }

    private static void AssertWellFormed(JsonArray objects)
    {
        double previous = double.MaxValue;
        for (var i = 0; i < objects.Count; i++)
        {
            var o = objects[i]!.AsObject();
            Assert.Equal(i, (int)o["id"]!);
            Assert.Equal("body", (string)o["class"]!);
            var confidence = (double)o["confidence"]!;
            Assert.InRange(confidence, 0, previous);
            previous = confidence;
            var b = o["bbox"]!.AsArray().Select(v => (double)v!).ToArray();
            Assert.Equal(4, b.Length);
            Assert.All(b, v => Assert.InRange(v, 0, 1));
            Assert.True(b[0] < b[2] && b[1] < b[3]);
        }
    }

    private static Box ToPixels(JsonObject o, ImageSource source)
    {
        var b = o["bbox"]!.AsArray().Select(v => (float)(double)v!).ToArray();
        return new Box(b[0] * source.Width, b[1] * source.Height, b[2] * source.Width, b[3] * source.Height);
    }

    /// <summary>Face boxes from face-detector-face-fitter when that route answers; else from the YuNet detector.</summary>
    private async Task<List<Box>> FacesAsync(string file, ImageSource source)
    {
        var (status, body) = await factory.PostSampleAsync(ServiceNames.FaceDetectorFaceFitter,
            SpecExamples.Request(ServiceNames.FaceDetectorFaceFitter, "v2", file), "?echo_image=false");
        if (status == 200)
        {
            return [.. body!["objects"]!.AsArray().Select(o => o!.AsObject())
                .Where(o => (string?)o["class"] == "face").Select(o => ToPixels(o, source))];
        }

        return [.. factory.Services.GetRequiredService<FaceDetector>().Detect(source).Select(f => f.Box)];
    }
}
