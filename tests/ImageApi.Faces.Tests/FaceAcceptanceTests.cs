using K = ImageApi.Contracts.KeypointNames;

namespace ImageApi.Faces.Tests;

/// <summary>The fitting stage's acceptance rules (landmark agreement, a face inside a stronger face) on real photos:
/// masked faces are kept, the measured false detections are dropped, and each rule is shown to be what drops them.</summary>
public sealed class FaceAcceptanceTests(FaceStageFixture stage) : IClassFixture<FaceStageFixture>
{
    private static readonly string[] MaskedFiles =
        [.. TestData.Labels.Where(r => r["mask"] == "with_mask").Select(r => r["file"])
            .Append("mask/masked_woman_aizoo.jpg")
            // Its only candidate on the face scores 0.49 < the detector's 0.6 (docs/faces.md, remaining misses).
            .Where(f => f != "mask/mask_and_glasses_3divi.jpeg")];

    public static TheoryData<string> MaskedPhotos() => [.. MaskedFiles];

    [Theory]
    [MemberData(nameof(MaskedPhotos))]
    public void Fit_MaskedFace_IsFoundWithItsEyesAboveItsMouth(string file)
    {
        var face = Assert.Single(stage.Fit(file));
        var k = face.Keypoints;
        Assert.True(MathF.Max(k[K.LeftEye].Y, k[K.RightEye].Y) < k[K.Mouth].Y, $"{file}: eyes not above the mouth");
        var b = face.Box;
        Assert.True(k[K.Nose].X > b.X1 && k[K.Nose].X < b.X2 && k[K.Nose].Y > b.Y1 && k[K.Nose].Y < b.Y2,
            $"{file}: nose tip {k[K.Nose]} outside the box {b}");
    }

    [Fact]
    public void Fit_MaskedFace_LandmarksAgreeWellInsideTheLimit()
    {
        // The testdata masked faces are easy ones (0.02–0.05); the limit is set by the dev set's masked faces (≤ 0.234).
        Assert.Equal(3, MaskedFiles.Length);
        foreach (var file in MaskedFiles)
        {
            var image = stage.Source(file);
            var detected = stage.Detector.Detect(image).MaxBy(d => d.Score)!;
            var fitted = stage.Fitting.FitBoxes(image, [detected.Box])[0];
            var disagreement = FaceFitting.LandmarkDisagreement(detected.Landmarks, fitted.FivePoints, detected.Box);
            Assert.True(disagreement < stage.Fitting.Options.MaxLandmarkDisagreement / 2, $"{file}: {disagreement:F3}");
        }
    }

    [Fact]
    public void Fit_BackOfHeadBehindLeaves_IsDroppedByTheLandmarkRule()
    {
        // identity/compreface_A_002: the one false detection ≥ 0.6 in testdata (score 0.69, disagreement 0.31).
        const string file = "identity/compreface_A_002.jpg";
        Assert.Single(stage.Fit(file));
        var withoutRule = stage.With(stage.Detector.Options, Copy(stage.Fitting.Options, maxLandmarkDisagreement: 0));
        Assert.Equal(2, withoutRule.Fit(stage.Source(file)).Count);
    }

    [Fact]
    public void Fit_EyeInsideAStrongerFace_IsDroppedByTheContainmentRule()
    {
        // The tight LFW crop has a second candidate on the image-right eye at 0.54, whose points agree with PFLD's
        // (0.06): the landmark rule cannot catch it, the containment rule does. A 0.5 threshold admits the candidate.
        const string file = "expression/lfw_surprise_Elaine_Stritch.jpg";
        var lowThreshold = stage.Detector.Options with { ScoreThreshold = 0.5f };
        Assert.Single(stage.With(lowThreshold, stage.Fitting.Options).Fit(stage.Source(file)));
        var withoutRule = stage.With(lowThreshold, Copy(stage.Fitting.Options, maxInsideStrongerFace: 1));
        var faces = withoutRule.Fit(stage.Source(file));
        Assert.Equal(2, faces.Count);
        Assert.True(FaceFitting.InsideFraction(faces[1].Box, faces[0].Box) > 0.9f);
    }

    [Fact]
    public void InsideFraction_IsTheShareOfTheBoxInsideTheOther()
    {
        var face = new Box(0, 0, 100, 100);
        Assert.Equal(1f, FaceFitting.InsideFraction(new Box(10, 10, 30, 30), face));
        Assert.Equal(0.5f, FaceFitting.InsideFraction(new Box(90, 0, 110, 20), face));
        Assert.Equal(0f, FaceFitting.InsideFraction(new Box(200, 200, 220, 220), face));
        // Not symmetric: the large box is mostly outside the small one.
        Assert.Equal(0.04f, FaceFitting.InsideFraction(face, new Box(10, 10, 30, 30)), 5);
    }

    private static FaceFittingOptions Copy(FaceFittingOptions o, float? maxLandmarkDisagreement = null, float? maxInsideStrongerFace = null) =>
        o with
        {
            MaxLandmarkDisagreement = maxLandmarkDisagreement ?? o.MaxLandmarkDisagreement,
            MaxInsideStrongerFace = maxInsideStrongerFace ?? o.MaxInsideStrongerFace,
        };
}
