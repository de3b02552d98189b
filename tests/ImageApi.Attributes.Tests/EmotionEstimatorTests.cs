using ImageApi.Inference;
using Microsoft.Extensions.Options;

namespace ImageApi.Attributes.Tests;

/// <summary>Each emotion model alone, on real photos through the fitting stage, with its own crop or alignment: the
/// class-order mapping of every model (SOURCE.md orders differ) must put the labelled class on top.</summary>
public sealed class EmotionEstimatorTests(ImageApiFactory factory) : IClassFixture<ImageApiFactory>
{
    /// <summary>The photos every model reads right alone (docs/results/emotion.md, test-photo table): three classes, so
    /// a model whose HAPPY, NEUTRAL or SURPRISED index were swapped fails.</summary>
    public static TheoryData<string, string> ModelAndPhoto()
    {
        var data = new TheoryData<string, string>();
        foreach (var model in new[] { AttributeModels.EmotionFaceApi, AttributeModels.EmotionRafDb, AttributeModels.EmotionBig })
        {
            foreach (var file in new[] { "expression/fer_happy.jpg", "expression/fer_surprise.jpg", "expression/fer_neutral.jpg", "expression/lfw_happy_Larenz_Tate.jpg" })
            {
                data.Add(model, file);
            }
        }

        return data;
    }

    private static readonly Dictionary<string, string> ApiName = new()
    {
        ["happy"] = "HAPPY", ["surprise"] = "SURPRISED", ["neutral"] = "NEUTRAL",
    };

    private (ImageSource Image, FaceInput Face) Locate(string file)
    {
        var image = new ImageSource(TestData.Bytes(file), factory.Services.GetRequiredService<ImageDecoder>());
        var fitted = factory.Services.GetRequiredService<FaceFitting>().Fit(image).OrderByDescending(f => f.Box.Area).FirstOrDefault();
        // A tight crop the detector finds nothing in goes as the whole picture, as a client holding crops sends it.
        var face = fitted is null
            ? new FaceInput(0, new JsonObject(), new Box(0, 0, image.Width, image.Height), null)
            : new FaceInput(0, new JsonObject(), fitted.Box.ClampTo(image.Width, image.Height), fitted.Keypoints);
        return (image, face);
    }

    private EmotionEstimator Estimator(FaceAttributesOptions options) =>
        new(factory.Services.GetRequiredService<ModelCatalog>(), factory.Services.GetRequiredService<FaceFitting>(), Options.Create(options));

    [Theory]
    [MemberData(nameof(ModelAndPhoto))]
    public void EachModelAlone_LabelledPhoto_TopIsLabel(string model, string file)
    {
        var (image, face) = Locate(file);
        var p = Estimator(new FaceAttributesOptions { EmotionModels = [model], EmotionFlip = [] }).EstimateUncached(image, [face], CancellationToken.None)[0];
        Assert.Equal(7, p.Length);
        Assert.Equal(1f, p.Sum(), 4);
        var expected = ApiName[TestData.Label(file)!["emotion"]];
        Assert.True(EmotionEstimator.Emotions[Array.IndexOf(p, p.Max())] == expected,
            $"{model} on {file}: {string.Join(", ", EmotionEstimator.Emotions.Select((e, i) => $"{e} {p[i]:0.00}"))}");
    }

    [Fact]
    public void AlignedModel_BoxOnly_GetsPointsFromTheFitterAndAgreesWithTheDetectorsPoints()
    {
        // A request with only a bbox: the RAF-DB model's 5 points come from the fitting stage inside the box; the
        // answer must be a real reading of the face, close to the one with the detector's keypoints.
        var (image, face) = Locate("expression/lfw_happy_Larenz_Tate.jpg");
        Assert.NotNull(face.Keypoints);
        var estimator = Estimator(new FaceAttributesOptions { EmotionModels = [AttributeModels.EmotionRafDb], EmotionFlip = [] });
        var withPoints = estimator.EstimateUncached(image, [face], CancellationToken.None)[0];
        var boxOnly = estimator.EstimateUncached(image, [face with { Keypoints = null }], CancellationToken.None)[0];
        Assert.Equal("HAPPY", EmotionEstimator.Emotions[Array.IndexOf(boxOnly, boxOnly.Max())]);
        Assert.Equal(withPoints[3], boxOnly[3], 1);
    }

    [Fact]
    public void Calibration_Setting_ChangesTheAnswerAsTheOffsetsSay()
    {
        var (image, face) = Locate("expression/lfw_happy_Larenz_Tate.jpg");
        var plain = Estimator(new FaceAttributesOptions()).EstimateUncached(image, [face], CancellationToken.None)[0];
        var shifted = Estimator(new FaceAttributesOptions { EmotionCalibration = ["SAD:1", "HAPPY:-1"] }).EstimateUncached(image, [face], CancellationToken.None)[0];
        var expected = (float[])plain.Clone();
        EmotionCalibration.Parse(["SAD:1", "HAPPY:-1"]).Apply(expected);
        for (var e = 0; e < 7; e++) Assert.Equal(expected[e], shifted[e], 4);
        Assert.True(shifted[5] > plain[5] && shifted[3] < plain[3]);
    }

    [Fact]
    public void Default_IsTheAverageOfBigAt12AndFaceApiAt12WithItsMirror()
    {
        // The shipped setting (docs/attributes.md, "Emotion"): big-Xception's 1.2× crop, face-api's 1.2× crop averaged
        // with its mirror image, the two models' distributions averaged with equal weight. On a face the models are unsure
        // of (face-api alone reads it surprise, its mirror image fear: docs/results/emotion.md), so the mirror matters.
        var (image, face) = Locate("expression/lfw_surprise_Elaine_Stritch.jpg");
        var shipped = Estimator(new FaceAttributesOptions());
        Assert.Equal(new[] { AttributeModels.EmotionBig, AttributeModels.EmotionFaceApi }, shipped.Models);
        Assert.Equal(new[] { AttributeModels.EmotionFaceApi }, shipped.FlippedModels);
        var p = shipped.EstimateUncached(image, [face], CancellationToken.None)[0];
        var big = Estimator(new FaceAttributesOptions { EmotionModels = [AttributeModels.EmotionBig], EmotionCropScale = 1.2f, EmotionFlip = [] })
            .EstimateUncached(image, [face], CancellationToken.None)[0];
        var faceApi = Estimator(new FaceAttributesOptions { EmotionModels = [AttributeModels.EmotionFaceApi], EmotionFaceApiCropScale = 1.2f, EmotionFlip = [AttributeModels.EmotionFaceApi] })
            .EstimateUncached(image, [face], CancellationToken.None)[0];
        var faceApiUnmirrored = Estimator(new FaceAttributesOptions { EmotionModels = [AttributeModels.EmotionFaceApi], EmotionFaceApiCropScale = 1.2f, EmotionFlip = [] })
            .EstimateUncached(image, [face], CancellationToken.None)[0];
        for (var e = 0; e < 7; e++) Assert.Equal((big[e] + faceApi[e]) / 2, p[e], 4);
        // The mirror view changes face-api's answer, so the check above can tell a mirrored face-api from a plain one.
        Assert.Contains(Enumerable.Range(0, 7), e => MathF.Abs(faceApi[e] - faceApiUnmirrored[e]) > 0.05f);
    }

    [Theory]
    [InlineData(new string[0], 0)]
    [InlineData(new[] { "emotion-faceapi-densenet" }, 1)]
    [InlineData(new[] { "emotion-mobilefacenet-rafdb-int8" }, 0)] // named but not averaged: nothing to mirror
    [InlineData(new[] { "emotion-big-xception-fer2013", "emotion-faceapi-densenet" }, 2)]
    public void FlipSetting_NamesTheMirroredModels(string[] setting, int mirrored)
    {
        string[] models = [AttributeModels.EmotionBig, AttributeModels.EmotionFaceApi];
        Assert.Equal(mirrored, EmotionEstimator.FlippedModelsOf(setting, models).Count);
    }

    [Fact]
    public void FlipSetting_UnknownName_FailsWithTheNamesToUse()
    {
        var e = Assert.Throws<InvalidOperationException>(() => EmotionEstimator.FlippedModelsOf(["yes"], [AttributeModels.EmotionFaceApi]));
        Assert.Contains(AttributeModels.EmotionFaceApi, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownModel_FailsWithTheNamesToUse()
    {
        var (image, face) = Locate("expression/lfw_happy_Larenz_Tate.jpg");
        var e = Assert.Throws<InvalidOperationException>(() =>
            Estimator(new FaceAttributesOptions { EmotionModels = ["emotion-nope"] }).EstimateUncached(image, [face], CancellationToken.None));
        Assert.Contains(AttributeModels.EmotionFaceApi, e.Message, StringComparison.Ordinal);
    }
}
