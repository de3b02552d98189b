using System.Text.Json.Nodes;
using ImageApi.Hosting;
using ImageApi.Samples;
using Microsoft.Extensions.DependencyInjection;
using static ImageApi.Liveness.Tests.LivenessRequests;

namespace ImageApi.Liveness.Tests;

/// <summary>Both liveness services end to end through the embedded host, on real photos and the real models.</summary>
public sealed class LivenessServiceTests(ImageApiFactory factory) : IClassFixture<ImageApiFactory>
{
    [Theory]
    [InlineData("liveness/real_T1.jpg", true)]
    [InlineData("liveness/spoof_F1.jpg", false)]
    [InlineData("liveness/spoof_F2.jpg", false)]
    public async Task FaceDetectorLiveness_LivenessTestPhoto_GivesLabelledValue(string file, bool expectedReal)
    {
        // 640×480 JPEGs with EXIF orientation 6: the face is only upright (and found) once the orientation is applied.
        var (status, body) = await factory.PostSampleAsync(ServiceNames.FaceDetectorLivenessEstimator, ImageOnly(file, "v2"));
        Assert.Equal(200, status);
        var faces = FacesOf(body);
        Assert.Single(faces);
        var (isReal, confidence) = LivenessOf(faces[0]);
        Assert.True(isReal == expectedReal, $"{file}: {(isReal ? "real" : "fake")} with confidence {confidence:F3}");
        Assert.InRange(confidence, 0.5, 1.0);
    }

    [Fact]
    public async Task FaceDetectorLiveness_IdentityPhotos_AtLeast90PercentReal()
    {
        var files = TestData.Files("identity");
        var failures = new List<string>();
        foreach (var file in files)
        {
            var (status, body) = await factory.PostSampleAsync(ServiceNames.FaceDetectorLivenessEstimator, ImageOnly(file, "v2"), "?echo_image=false");
            Assert.Equal(200, status);
            var faces = FacesOf(body);
            if (faces.Length == 0) { failures.Add($"{file}: no face"); continue; }
            var (isReal, confidence) = LivenessOf(Largest(faces));
            if (!isReal) failures.Add($"{file}: fake {confidence:F3}");
        }

        var realRate = 1 - failures.Count / (double)files.Count;
        Assert.True(realRate >= 0.90, $"{realRate:P0} real; not real: {string.Join("; ", failures)}");
    }

    public static TheoryData<string, string> AgreementCases() => new()
    {
        { "liveness/real_T1.jpg", "v1" },
        { "liveness/spoof_F1.jpg", "v2" },
        { "liveness/spoof_F2.jpg", "v1" },
        { "identity/obama_1.jpg", "v2" },
        { "identity/biden_1.jpg", "v1" },
        { "group/compreface_000_5.jpg", "v2" },
    };

    [Theory]
    [MemberData(nameof(AgreementCases))]
    public async Task LivenessEstimator_FedFitterOutput_AgreesWithFaceDetectorLiveness(string file, string version)
    {
        var (s1, detected) = await factory.PostSampleAsync(ServiceNames.FaceDetectorLivenessEstimator, ImageOnly(file, version));
        var (s2, fitted) = await factory.PostSampleAsync(ServiceNames.FaceDetectorFaceFitter, ImageOnly(file, version));
        Assert.Equal(200, s1);
        Assert.Equal(200, s2);
        var (s3, estimated) = await factory.PostSampleAsync(ServiceNames.LivenessEstimator, fitted!.AsObject());
        Assert.Equal(200, s3);

        var a = FacesOf(detected);
        var b = FacesOf(estimated);
        Assert.NotEmpty(a);
        Assert.Equal(a.Length, b.Length);
        for (var i = 0; i < a.Length; i++)
        {
            Assert.True(JsonNode.DeepEquals(a[i]["bbox"], b[i]["bbox"]), $"face {i}: the two services saw different faces");
            var (realA, confA) = LivenessOf(a[i]);
            var (realB, confB) = LivenessOf(b[i]);
            Assert.Equal(realA, realB);
            Assert.True(Math.Abs(confA - confB) <= 0.05, $"face {i}: confidence {confA:F4} vs {confB:F4}");
            // The fitter's fields come back untouched.
            var fitterKey = version == "v1" ? "fitter" : "keypoints";
            Assert.True(JsonNode.DeepEquals(fitted["objects"]![i]![fitterKey], b[i][fitterKey]));
        }
    }

    [Theory]
    [InlineData("v1", "REAL")]
    [InlineData("v2", "real")]
    public async Task FaceDetectorLiveness_SpecExample_HasSpecShapeAndVersionSpelling(string version, string realSpelling)
    {
        var request = SpecExamples.Request(ServiceNames.FaceDetectorLivenessEstimator, version, "liveness/real_T1.jpg");
        var (status, body) = await factory.PostSampleAsync(ServiceNames.FaceDetectorLivenessEstimator, request);
        Assert.Equal(200, status);
        SpecExamples.AssertSameShape(SpecExamples.Load(ServiceNames.FaceDetectorLivenessEstimator, version, "response"), body);
        Assert.Equal(realSpelling, (string)FacesOf(body)[0]["liveness"]!["value"]!);
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("v2")]
    public async Task LivenessEstimator_SpecExample_HasSpecShapeAndPassesFieldsBack(string version)
    {
        // The example's face is a 512×512 image's; the fitter's answer for a real photo is the realistic request.
        var (_, fitted) = await factory.PostSampleAsync(ServiceNames.FaceDetectorFaceFitter, ImageOnly("identity/obama_1.jpg", version));
        var request = fitted!.AsObject();
        request["client_note"] = "kept";
        var (status, body) = await factory.PostSampleAsync(ServiceNames.LivenessEstimator, request);
        Assert.Equal(200, status);
        SpecExamples.AssertSameShape(SpecExamples.Load(ServiceNames.LivenessEstimator, version, "response"), body);
        Assert.Equal("kept", (string)body!["client_note"]!);
        var (isReal, _) = LivenessOf(FacesOf(body)[0]);
        Assert.True(isReal);
        Assert.Equal(version == "v1" ? "REAL" : "real", (string)FacesOf(body)[0]["liveness"]!["value"]!);
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("v2")]
    public async Task LivenessEstimator_VendorExampleRequest_AddsLivenessOnly(string version)
    {
        var request = SpecExamples.Request(ServiceNames.LivenessEstimator, version, "liveness/real_T1.jpg");
        var before = request.DeepClone().AsObject();
        var (status, body) = await factory.PostSampleAsync(ServiceNames.LivenessEstimator, request);
        Assert.Equal(200, status);
        var face = FacesOf(body)[0];
        LivenessOf(face);
        face.Remove("liveness");
        Assert.True(JsonNode.DeepEquals(before["objects"], body!["objects"]), "only liveness may be added");
    }

    [Fact]
    public async Task FaceDetectorLiveness_MultipartUpload_AnswersInV2()
    {
        var (status, body) = await factory.PostImageAsync(ServiceNames.FaceDetectorLivenessEstimator, TestData.Bytes("liveness/real_T1.jpg"), "real_T1.jpg");
        Assert.Equal(200, status);
        var face = FacesOf(body).Single();
        Assert.Equal("real", (string)face["liveness"]!["value"]!);
        Assert.NotNull(face["bbox"]);
        Assert.NotNull(face["confidence"]);
    }

    [Fact]
    public async Task FaceDetectorLiveness_NoFace_ReturnsEmptyObjects()
    {
        var file = TestData.Files("no_face")[0];
        var (status, body) = await factory.PostSampleAsync(ServiceNames.FaceDetectorLivenessEstimator, ImageOnly(file, "v2"));
        Assert.Equal(200, status);
        Assert.Empty(FacesOf(body));
    }

    public static TheoryData<JsonNode> BadBoxes() => new()
    {
        new JsonArray(0.6, 0.2, 0.4, 0.8),          // x1 > x2
        new JsonArray(0.1, 0.2, 0.5),               // 3 numbers
        new JsonArray(-0.3, 0.2, 0.5, 0.8),         // outside [0, 1] beyond the 0.1 clamping tolerance
        new JsonArray(0.1, 0.2, 1.5, 0.8),
        new JsonArray("a", 0.2, 0.5, 0.8),          // not a number
        JsonValue.Create("0.1,0.2,0.5,0.8"),        // not a list
    };

    [Theory]
    [MemberData(nameof(BadBoxes))]
    public async Task LivenessEstimator_BadBbox_Returns422AtTheBbox(JsonNode bbox)
    {
        var face = new JsonObject { ["class"] = "face", ["bbox"] = bbox.DeepClone() };
        var (status, body) = await factory.PostSampleAsync(ServiceNames.LivenessEstimator, WithFaces("liveness/real_T1.jpg", "v2", face));
        Assert.Equal(422, status);
        var loc = body!["detail"]![0]!["loc"]!.AsArray().Select(n => n!.ToJsonString()).ToArray();
        Assert.Equal(["\"body\"", "\"objects\"", "0", "\"bbox\""], loc.Take(4));
    }

    [Fact]
    public async Task LivenessEstimator_FaceWithoutBbox_Returns422()
    {
        var (status, _) = await factory.PostSampleAsync(ServiceNames.LivenessEstimator,
            WithFaces("liveness/real_T1.jpg", "v1", new JsonObject { ["class"] = "face" }));
        Assert.Equal(422, status);
    }

    [Fact]
    public async Task LivenessEstimator_GarbageBase64_Returns400()
    {
        var body = new JsonObject { ["$image"] = "not base64 at all!!", ["objects"] = new JsonArray(Face(0.1, 0.1, 0.9, 0.9)) };
        var (status, _) = await factory.PostSampleAsync(ServiceNames.LivenessEstimator, body);
        Assert.Equal(400, status);
    }

    [Fact]
    public async Task FaceDetectorLiveness_NotAnImage_Returns400()
    {
        var body = new JsonObject { ["_image"] = new JsonObject { ["blob"] = Convert.ToBase64String("hello, not an image"u8.ToArray()), ["format"] = "IMAGE" } };
        var (status, _) = await factory.PostSampleAsync(ServiceNames.FaceDetectorLivenessEstimator, body);
        Assert.Equal(400, status);
    }

    [Fact]
    public async Task LivenessEstimator_TinyBboxAtTheCorner_StillAnswers()
    {
        // A box of a few pixels at the image corner: both crops reach past the border (reflect-101 / shift-inside).
        var (status, body) = await factory.PostSampleAsync(ServiceNames.LivenessEstimator,
            WithFaces("liveness/real_T1.jpg", "v2", Face(0.995, 0.995, 1.0, 1.0), Face(0, 0, 1, 1)));
        Assert.Equal(200, status);
        foreach (var face in FacesOf(body)) Assert.InRange(LivenessOf(face).Confidence, 0.0, 1.0);
    }

    [Fact]
    public void InfoContributor_RegisteredInHost_DescribesShippedOperatingPoint()
    {
        var contributor = factory.Services.GetServices<IInfoContributor>().Single(c => c.Key == "liveness");
        var liveness = contributor.Describe();
        Assert.Equal(LivenessOperatingPoint.Method.ToString(), (string)liveness["method"]!);
        Assert.Equal(LivenessOperatingPoint.MeasuredApcer, (double)liveness["measured"]!["apcer"]!, 4);
    }

    [Fact]
    public async Task Info_Liveness_ReportsOperatingPoint()
    {
        using var client = factory.CreateClient();
        var info = JsonNode.Parse(await client.GetStringAsync("/info"))!;
        var liveness = info["liveness"]!;
        Assert.Equal(LivenessOperatingPoint.Method.ToString(), (string)liveness["method"]!);
        Assert.Equal(LivenessOperatingPoint.Threshold, (float)liveness["threshold"]!, 4);
        Assert.Equal(LivenessOperatingPoint.NormaliseExposure, (bool)liveness["normalise_exposure"]!);
        Assert.Equal(LivenessOperatingPoint.MeasuredApcer, (double)liveness["measured"]!["apcer"]!, 4);
        Assert.Equal(LivenessOperatingPoint.MeasuredBpcer, (double)liveness["measured"]!["bpcer"]!, 4);
        Assert.Contains("not a certification", (string)liveness["note"]!);
        Assert.NotEmpty(liveness["models"]!.AsArray());
        Assert.Contains("liveness-minifas", (string)liveness["model"]!);
    }
}
