using System.Text.Json;
using static ImageApi.Quality.Tests.QualityRequests;

namespace ImageApi.Quality.Tests;

/// <summary>quality-assessment-estimator on real photos, after face-detector-face-fitter, through the HTTP routes.</summary>
public sealed class QualityServiceTests(ImageApiFactory factory) : IClassFixture<ImageApiFactory>
{
    private const string Frontal = "identity/obama_1.jpg";

    [Theory]
    [InlineData(Frontal)]
    [InlineData("identity/biden_2.jpg")]
    [InlineData("identity/rose_leslie_2.jpg")]
    public async Task Process_GaussianBlurSigma3_LowersSharpnessAndFailsIsSharp(string file)
    {
        var original = await MainFaceAsync(factory, TestData.Bytes(file));
        var blurred = await MainFaceAsync(factory, ImageEdits.Png(ImageEdits.GaussianBlur(Decode(factory, file), 3)));
        Assert.True((bool)original["is_sharp"]!, $"original sharpness {original["sharpness_score"]}");
        Assert.True((double)blurred["sharpness_score"]! < (double)original["sharpness_score"]!);
        Assert.False((bool)blurred["is_sharp"]!, $"blurred sharpness {blurred["sharpness_score"]}");
    }

    [Theory]
    [InlineData(Frontal)]
    [InlineData("identity/rose_leslie_2.jpg")]
    public async Task Process_Darkened70Percent_LowersIllumination(string file)
    {
        var original = await MainFaceAsync(factory, TestData.Bytes(file));
        var dark = await MainFaceAsync(factory, ImageEdits.Png(ImageEdits.Scale(Decode(factory, file), 0.3f)));
        Assert.True((double)dark["illumination_score"]! < (double)original["illumination_score"]!,
            $"{dark["illumination_score"]} vs {original["illumination_score"]}");
        // Darkening also compresses the face's histogram.
        Assert.True((double)dark["dynamic_range_score"]! < (double)original["dynamic_range_score"]!);
    }

    [Theory]
    [InlineData(Frontal)]
    [InlineData("identity/alex_lacamoire_1.jpg")]
    public async Task Process_GaussianNoise_LowersNoiseScore(string file)
    {
        var original = await MainFaceAsync(factory, TestData.Bytes(file));
        var noisy = await MainFaceAsync(factory, ImageEdits.Png(ImageEdits.AddNoise(Decode(factory, file), 15)));
        Assert.True((double)noisy["noise_score"]! < (double)original["noise_score"]!);
        Assert.False((bool)noisy["is_not_noisy"]!, $"noisy noise_score {noisy["noise_score"]}");
    }

    [Theory]
    [InlineData("mask/with_mask_1.jpg")]
    [InlineData("mask/with_mask_2.jpg")]
    [InlineData("mask/masked_woman_aizoo.jpg")]
    public async Task Process_MaskedFace_NotMaskedIsFalse(string file)
    {
        var q = await MainFaceAsync(factory, TestData.Bytes(file));
        Assert.False((bool)q["not_masked"]!, $"not_masked_score {q["not_masked_score"]}");
    }

    [Fact]
    public async Task Process_UnmaskedFace_NotMaskedIsTrue()
    {
        var q = await MainFaceAsync(factory, TestData.Bytes("mask/without_mask_1.jpg"));
        Assert.True((bool)q["not_masked"]!, $"not_masked_score {q["not_masked_score"]}");
    }

    [Fact]
    public async Task Process_TurnedHead_LargerRotationDeviationThanFrontal()
    {
        var turned = await MainFaceAsync(factory, TestData.Bytes("edge_cases/head_turned_3divi.jpg"));
        var frontal = await MainFaceAsync(factory, TestData.Bytes(Frontal));
        // Signed (the seed answers -8): the magnitude says how rotated.
        Assert.True(Math.Abs((double)turned["max_rotation_deviation"]!) > Math.Abs((double)frontal["max_rotation_deviation"]!),
            $"turned {turned["max_rotation_deviation"]}° vs frontal {frontal["max_rotation_deviation"]}°");
        Assert.False((bool)turned["is_rotation_acceptable"]!);
        Assert.True((bool)frontal["is_rotation_acceptable"]!);
    }

    [Fact]
    public async Task Process_FaceCutByBorder_FailsMargins()
    {
        var q = await MainFaceAsync(factory, TestData.Bytes("edge_cases/partial_face_obama.jpg"));
        Assert.False((bool)q["is_margins_acceptable"]!);
        Assert.True((double)q["margin_outer_deviation"]! > 5, $"outer {q["margin_outer_deviation"]}");
    }

    [Fact]
    public async Task Process_PortraitCroppedToIcaoFrame_PassesMargins()
    {
        // Crop the frontal photo so that crown-to-chin is 75 % of the height, the eyes at 40 % from the top and the
        // face centred (ISO/IEC 19794-5 full frontal), from the fitter's own keypoints.
        var full = Decode(factory, Frontal);
        var fitted = await FitAsync(factory, TestData.Bytes(Frontal), "v2");
        var face = fitted["objects"]!.AsArray().Select(o => o!.AsObject()).MaxBy(Area)!;
        (double X, double Y) P(string name)
        {
            var p = face["keypoints"]![name]!["proj"]!.AsArray();
            return ((double)p[0]! * full.Width, (double)p[1]! * full.Height);
        }

        var (lx, ly) = P("left_eye");
        var (rx, ry) = P("right_eye");
        var (_, chinY) = P("chin");
        double ex = (lx + rx) / 2, ey = (ly + ry) / 2;
        var height = 2 * (chinY - ey) / 0.75;
        var width = height * 0.8;
        var x1 = (float)(ex - width / 2);
        var y1 = (float)(ey - 0.4 * height);
        // The photo has no room above the crown: what the frame needs beyond it is plain light grey, as a portrait
        // backdrop would be.
        var portrait = Imaging.ImageSampler.CropResize(full, x1, y1, x1 + (float)width, y1 + (float)height, (int)width, (int)height,
            Imaging.BorderMode.Constant, (230, 230, 230));

        var q = await MainFaceAsync(factory, ImageEdits.Png(portrait));
        Assert.True((bool)q["is_margins_acceptable"]!, $"inner {q["margin_inner_deviation"]}, outer {q["margin_outer_deviation"]}");
        var uncropped = await MainFaceAsync(factory, TestData.Bytes(Frontal));
        Assert.False((bool)uncropped["is_margins_acceptable"]!);
    }

    [Theory]
    [InlineData(Frontal)]
    [InlineData("group/two_people.jpg")]
    public async Task Process_V1AndV2_GiveTheSameNumbers(string file)
    {
        var v1 = await AssessAsync(factory, await FitAsync(factory, TestData.Bytes(file), "v1"));
        var v2 = await AssessAsync(factory, await FitAsync(factory, TestData.Bytes(file), "v2"));
        var faces1 = v1["objects"]!.AsArray().Select(o => o!.AsObject()).ToList();
        var faces2 = v2["objects"]!.AsArray().Select(o => o!.AsObject()).ToList();
        Assert.Equal(faces2.Count, faces1.Count);
        for (var i = 0; i < faces1.Count; i++)
        {
            var a = Fields(faces1[i], "v1");
            var b = Fields(faces2[i], "v2");
            foreach (var name in QualityObjectWriter.FieldNames)
            {
                if (a[name]!.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
                {
                    Assert.True((bool)a[name]! == (bool)b[name]!, $"face {i} {name}: v1 {a[name]} v2 {b[name]}");
                }
                else
                {
                    Assert.True(Math.Abs((double)a[name]! - (double)b[name]!) <= 0.01, $"face {i} {name}: v1 {a[name]} v2 {b[name]}");
                }
            }
        }
    }

    [Fact]
    public async Task Process_BboxOnly_FitsTheFaceItselfWithTheSameResult()
    {
        var fitted = await FitAsync(factory, TestData.Bytes(Frontal), "v2");
        var full = Fields((await AssessAsync(factory, fitted.DeepClone().AsObject()))["objects"]![0]!.AsObject(), "v2");
        foreach (var o in fitted["objects"]!.AsArray()) { o!.AsObject().Remove("keypoints"); o.AsObject().Remove("pose"); }
        var bboxOnly = Fields((await AssessAsync(factory, fitted))["objects"]![0]!.AsObject(), "v2");
        // Fitted again from the bbox (on whichever decode the request has cached), the landmarks and pose agree closely.
        foreach (var (name, tolerance) in new[] { ("eyes_distance", 2.0), ("sharpness_score", 0.05), ("max_rotation_deviation", 1.5),
                     ("margin_outer_deviation", 1.0), ("margin_inner_deviation", 1.0), ("left_eye_openness_score", 0.1) })
        {
            Assert.True(Math.Abs((double)full[name]! - (double)bboxOnly[name]!) <= tolerance, $"{name}: {full[name]} vs {bboxOnly[name]}");
        }
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("v2")]
    public async Task Process_SpecExampleRequest_HasTheResponseShape(string version)
    {
        var request = SpecExamples.Request(ServiceNames.QualityAssessmentEstimator, version, Frontal);
        var (status, body) = await factory.PostSampleAsync(ServiceNames.QualityAssessmentEstimator, request);
        Assert.Equal(200, status);
        var expected = SpecExamples.Load(ServiceNames.QualityAssessmentEstimator, version, "response");
        // The v2 example response echoes "$image"; the request (and so our echo) has "_image": compare the objects.
        if (version == "v1") SpecExamples.AssertSameShape(expected, body);
        SpecExamples.AssertSameShape(expected["objects"], body!["objects"]);
        var quality = body["objects"]![0]!["quality"]!.AsObject();
        Assert.Equal(29, (version == "v1" ? quality["qaa"]!.AsObject() : quality).Count);
    }

    [Theory]
    [InlineData(Frontal)]
    [InlineData("group/compreface_000_5.jpg")]
    [InlineData("edge_cases/partial_face_obama.jpg")]
    [InlineData("mask/with_mask_1.jpg")]
    public async Task Process_EveryFace_FieldsInRangeAndBooleansFollowDefaultThresholds(string file)
    {
        var answer = await AssessAsync(factory, await FitAsync(factory, TestData.Bytes(file), "v2"));
        var o = new QualityOptions();
        foreach (var face in answer["objects"]!.AsArray().Select(f => f!.AsObject()))
        {
            var q = Fields(face, "v2");
            double N(string n) => (double)q[n]!;
            bool B(string n) => (bool)q[n]!;
            foreach (var n in new[] { "total_score", "sharpness_score", "illumination_score", "left_eye_openness_score",
                         "right_eye_openness_score", "not_masked_score", "neutral_emotion_score", "noise_score",
                         "watermark_score", "background_uniformity_score" })
            {
                Assert.InRange(N(n), 0, 1);
            }

            Assert.InRange(N("dynamic_range_score"), 0, 8);
            Assert.InRange(N("max_rotation_deviation"), -180, 180); // signed, as the seed's -8
            Assert.True(N("eyes_distance") > 0 && N("margin_inner_deviation") >= 0 && N("margin_outer_deviation") >= 0);
            Assert.Equal(N("sharpness_score") >= o.SharpnessThreshold, B("is_sharp"));
            Assert.Equal(N("illumination_score") >= o.IlluminationThreshold, B("is_evenly_illuminated"));
            Assert.Equal(N("left_eye_openness_score") >= o.EyeOpennessThreshold, B("is_left_eye_opened"));
            Assert.Equal(N("right_eye_openness_score") >= o.EyeOpennessThreshold, B("is_right_eye_opened"));
            Assert.Equal(N("background_uniformity_score") >= o.BackgroundUniformityThreshold, B("is_background_uniform"));
            Assert.Equal(N("dynamic_range_score") >= o.MinDynamicRange, B("is_dynamic_range_acceptable"));
            Assert.Equal(N("eyes_distance") >= o.MinEyesDistance, B("is_eyes_distance_acceptable"));
            Assert.Equal(N("noise_score") >= o.NoiseThreshold, B("is_not_noisy"));
            Assert.Equal(N("margin_inner_deviation") <= o.MaxMarginInnerDeviation && N("margin_outer_deviation") <= o.MaxMarginOuterDeviation,
                B("is_margins_acceptable"));
            Assert.Equal(N("neutral_emotion_score") >= o.NeutralEmotionThreshold, B("is_neutral_emotion"));
            Assert.Equal(N("not_masked_score") >= o.NotMaskedThreshold, B("not_masked"));
            Assert.Equal(N("watermark_score") >= o.WatermarkThreshold, B("has_watermark"));
        }
    }

    [Fact]
    public async Task Process_LightLinesOverlaid_RaiseWatermarkScore()
    {
        var clean = await MainFaceAsync(factory, TestData.Bytes(Frontal));
        var marked = await MainFaceAsync(factory, ImageEdits.Png(ImageEdits.DiagonalLines(Decode(factory, Frontal))));
        Assert.False((bool)clean["has_watermark"]!);
        Assert.True((double)marked["watermark_score"]! > (double)clean["watermark_score"]!);
        Assert.True((bool)marked["has_watermark"]!, $"watermark_score {marked["watermark_score"]}");
    }

    [Fact]
    public async Task Process_BadBbox_Returns422()
    {
        var request = Body(TestData.Bytes(Frontal), "v2");
        request["objects"] = new JsonArray(new JsonObject { ["id"] = 0, ["class"] = "face", ["bbox"] = new JsonArray(0.6, 0.2, 0.3, 0.5) });
        var (status, body) = await factory.PostSampleAsync(ServiceNames.QualityAssessmentEstimator, request);
        Assert.Equal(422, status);
        Assert.NotNull(body!["detail"]);
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("v2")]
    public async Task Process_CoincidingEyeKeypoints_Returns422AtThatFacesKeypoints(string version)
    {
        var fitted = await FitAsync(factory, TestData.Bytes(Frontal), version);
        var face = fitted["objects"]!.AsArray().OfType<JsonObject>().First(o => (string?)o["class"] == "face");
        // Every keypoint on one spot: no inter-eye axis to measure along.
        if (version == "v1")
        {
            var points = face["fitter"]!["keypoints"]!.AsArray();
            for (var i = 0; i < points.Count; i++) points[i] = i % 3 == 2 ? 0 : 100;
        }
        else
        {
            foreach (var (_, point) in face["keypoints"]!.AsObject())
            {
                if (point is JsonObject { } p && p["proj"] is not null) p["proj"] = new JsonArray(0.5, 0.5);
            }
        }

        var (status, body) = await factory.PostSampleAsync(ServiceNames.QualityAssessmentEstimator, fitted, "?echo_image=false");

        Assert.Equal(422, status);
        var issue = body!["detail"]![0]!;
        var index = fitted["objects"]!.AsArray().IndexOf(face);
        JsonNode[] loc = version == "v1" ? ["body", "objects", index, "fitter", "keypoints"] : ["body", "objects", index, "keypoints"];
        Assert.Equal(new JsonArray(loc).ToJsonString(), issue["loc"]!.ToJsonString());
        Assert.Contains("eye keypoints coincide", (string)issue["msg"]!);
    }

    [Fact]
    public async Task Process_NoFaceObjects_ReturnsTheSampleUnchanged()
    {
        var request = Body(TestData.Bytes(Frontal), "v2");
        request["objects"] = new JsonArray(new JsonObject { ["id"] = 0, ["class"] = "body", ["bbox"] = new JsonArray(0.1, 0.1, 0.9, 0.9) });
        var answer = await AssessAsync(factory, request);
        Assert.Null(answer["objects"]![0]!["quality"]);
    }
}
