using System.Text.Json.Nodes;
using ImageApi.Contracts;

namespace ImageApi.Faces.Tests;

/// <summary>face-detector-face-fitter through the embedded host's routes.</summary>
public sealed class FaceFitterServiceTests(ImageApiFactory host) : IClassFixture<ImageApiFactory>
{
    private const string Service = ServiceNames.FaceDetectorFaceFitter;

    [Theory]
    [InlineData("v1")]
    [InlineData("v2")]
    public async Task ProcessSample_SpecExample_SameShapeAndKeyOrderAsVendor(string version)
    {
        var (status, body) = await host.PostSampleAsync(Service, SpecExamples.Request(Service, version, "identity/obama_1.jpg"));
        Assert.Equal(200, status);
        var expected = SpecExamples.Load(Service, version, "response");
        SpecExamples.AssertSameShape(expected, body);
        var want = expected["objects"]![0]!.AsObject();
        var got = body!["objects"]!.AsArray().Single()!.AsObject();
        Assert.Equal(want.Select(kv => kv.Key), got.Select(kv => kv.Key));
        foreach (var (key, value) in want)
        {
            if (value is JsonObject inner) Assert.Equal(inner.Select(kv => kv.Key), got[key]!.AsObject().Select(kv => kv.Key));
        }

        Assert.Equal(0, (int)got["id"]!);
        Assert.Equal("face", (string)got["class"]!);
        var fitterType = version == "v1" ? got["fitter"]!["fitter_type"]! : got["keypoints"]!["fitter_type"]!;
        Assert.Equal("fda", fitterType.GetValue<string>());
    }

    [Fact]
    public async Task ProcessSample_V1AndV2_PixelKeypointsEqualRelativeTimesImageSize()
    {
        const string file = "group/compreface_000_5.jpg"; // 819 × 546
        var (_, v1) = await host.PostSampleAsync(Service, SpecExamples.Request(Service, "v1", file));
        var (_, v2) = await host.PostSampleAsync(Service, SpecExamples.Request(Service, "v2", file));
        var o1 = v1!["objects"]!.AsArray();
        var o2 = v2!["objects"]!.AsArray();
        Assert.Equal(5, o1.Count);
        Assert.Equal(o1.Count, o2.Count);
        for (var i = 0; i < o1.Count; i++)
        {
            var px = o1[i]!["fitter"]!["keypoints"]!.AsArray();
            Assert.Equal(63, px.Count);
            for (var k = 0; k < KeypointNames.Count; k++)
            {
                var proj = o2[i]!["keypoints"]![KeypointNames.All[k]]!["proj"]!.AsArray();
                Assert.Equal((double)px[3 * k]!, (double)proj[0]! * 819, 2);
                Assert.Equal((double)px[3 * k + 1]!, (double)proj[1]! * 546, 2);
                Assert.Equal(0, (double)px[3 * k + 2]!);
            }

            Assert.Equal((double)px[3 * KeypointNames.LeftEye]!, (double)o1[i]!["fitter"]!["left_eye"]![0]!, 4);
            Assert.Equal((double)px[3 * KeypointNames.RightEye + 1]!, (double)o1[i]!["fitter"]!["right_eye"]![1]!, 4);
            Assert.Equal((double)o1[i]!["angles"]!["yaw"]!, (double)o2[i]!["pose"]!["yaw"]!, 3);
        }
    }

    [Fact]
    public async Task ProcessSample_Group_IdsByDescendingConfidenceAndRelativeClampedBoxes()
    {
        var (status, body) = await host.PostSampleAsync(Service, SpecExamples.Request(Service, "v2", "edge_cases/partial_face_obama.jpg"));
        Assert.Equal(200, status);
        var (_, group) = await host.PostSampleAsync(Service, SpecExamples.Request(Service, "v2", "group/compreface_016_8.jpg"));
        var objects = group!["objects"]!.AsArray();
        Assert.Equal(8, objects.Count);
        Assert.Equal(Enumerable.Range(0, 8), objects.Select(o => (int)o!["id"]!));
        var conf = objects.Select(o => (double)o!["confidence"]!).ToList();
        Assert.Equal(conf.OrderByDescending(c => c), conf);
        // The partial face's box reaches past the left border (x1 < 0 in pixels): clamped to 0.
        var bbox = body!["objects"]![0]!["bbox"]!.AsArray().Select(v => (double)v!).ToList();
        Assert.All(bbox, v => Assert.InRange(v, 0, 1));
        Assert.Equal(0, bbox[0]);
    }

    [Fact]
    public async Task ProcessSample_ClientObjects_NonFacesKeptFacesReplaced()
    {
        var request = SpecExamples.Request(Service, "v1", "identity/obama_1.jpg");
        request["objects"] = new JsonArray(
            new JsonObject { ["class"] = "body", ["bbox"] = new JsonArray(0.1, 0.1, 0.9, 0.9), ["note"] = "mine" },
            new JsonObject { ["class"] = "face", ["bbox"] = new JsonArray(0, 0, 0.2, 0.2) });
        var (status, body) = await host.PostSampleAsync(Service, request);
        Assert.Equal(200, status);
        var objects = body!["objects"]!.AsArray();
        Assert.Equal(2, objects.Count);
        Assert.Equal("body", (string)objects[0]!["class"]!);
        Assert.Equal("mine", (string)objects[0]!["note"]!);
        Assert.Equal("face", (string)objects[1]!["class"]!);
        Assert.True((double)objects[1]!["bbox"]![2]! > 0.4); // the detected face, not the client's 0.2 box
    }

    [Fact]
    public async Task ProcessSample_NoFace_EmptyObjects()
    {
        var (status, body) = await host.PostSampleAsync(Service, SpecExamples.Request(Service, "v2", "no_face/cat.jpg"));
        Assert.Equal(200, status);
        Assert.Empty(body!["objects"]!.AsArray());
    }

    [Fact]
    public async Task ProcessImage_Multipart_AnsweredInV2Shape()
    {
        var (status, body) = await host.PostImageAsync(Service, TestData.Bytes("group/kit_with_rose.jpg"));
        Assert.Equal(200, status);
        var objects = body!["objects"]!.AsArray();
        Assert.Equal(2, objects.Count);
        var expected = SpecExamples.Load(Service, "v2", "response")["objects"]![0];
        SpecExamples.AssertSameShape(expected, objects[0]);
    }

    [Fact]
    public async Task ProcessSample_Photo4912x7360_AnsweredWithOneFace()
    {
        var (status, body) = await host.PostSampleAsync(Service, SpecExamples.Request(Service, "v1", "identity/compreface_A_001.jpg"));
        Assert.Equal(200, status);
        var face = body!["objects"]!.AsArray().Single()!;
        var kp = face["fitter"]!["keypoints"]!.AsArray();
        // Keypoints in pixels of the full 4912 × 7360 photo, not of a decoded copy.
        Assert.InRange((double)kp[3 * KeypointNames.Nose]!, 1500, 2800);
        Assert.InRange((double)kp[3 * KeypointNames.Nose + 1]!, 1900, 2600);
    }
}
