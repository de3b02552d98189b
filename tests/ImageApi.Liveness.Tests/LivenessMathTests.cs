using ImageApi.Imaging;
using Microsoft.Extensions.Options;

namespace ImageApi.Liveness.Tests;

/// <summary>The pure parts: Silent-Face's box rule, Platt fitting, score fusion, the answer's confidence, /info.</summary>
public sealed class LivenessMathTests
{
    [Theory]
    // Room on every side: 2.7× about the centre.
    [InlineData(100, 100, 200, 200, 2.7f, 15, 15, 285, 285)]
    // Top-left corner: shifted inside, not padded.
    [InlineData(0, 0, 100, 100, 2.7f, 0, 0, 270, 270)]
    // Bottom-right corner of a 640×480 photo: shifted back by the overshoot.
    [InlineData(600, 400, 640, 480, 2.7f, 531, 263, 639, 479)]
    // A box as tall as the photo: the scale is capped at (H−1)/h, so no context is added.
    [InlineData(200, 0, 400, 480, 4.0f, 200, 0, 399, 479)]
    public void SilentFaceBox_KnownBoxes_MatchUpstreamRule(float x1, float y1, float x2, float y2, float scale,
        int left, int top, int right, int bottom)
    {
        var box = LivenessCrops.SilentFaceBox(640, 480, new Box(x1, y1, x2, y2), scale);
        Assert.Equal((left, top, right, bottom), box);
    }

    [Fact]
    public void PlattFit_LabelsDrawnFromKnownSigmoid_RecoversParameters()
    {
        var scores = new List<float>();
        var labels = new List<bool>();
        for (var s = -3f; s <= 3f; s += 0.25f)
        {
            // 200 faces at score s, of which round(200·σ(2s − 1)) are real.
            var real = (int)Math.Round(200 / (1 + Math.Exp(-(2 * s - 1))));
            for (var i = 0; i < 200; i++)
            {
                scores.Add(s);
                labels.Add(i < real);
            }
        }

        var fit = PlattCalibration.Fit(scores, labels);
        Assert.Equal(2.0, fit.Slope, 0.1);
        Assert.Equal(-1.0, fit.Intercept, 0.1);
    }

    [Fact]
    public void PlattFit_SeparableLabels_StaysFinite()
    {
        var fit = PlattCalibration.Fit([-2f, -1f, 1f, 2f], [false, false, true, true]);
        Assert.True(float.IsFinite(fit.Slope) && float.IsFinite(fit.Intercept) && fit.Slope > 0);
        Assert.InRange(fit.Probability(2), 0.5, 0.99);
    }

    [Fact]
    public void Score_All_IsMeanOfCelebaSpoofAndSilentFaceLogOdds()
    {
        var s = new LivenessScores(4f, 0.9f, 0.7f);
        var silentFace = MathF.Log(0.8f / 0.2f);
        Assert.Equal(silentFace, s.Score(LivenessMethod.SilentFace), 4);
        Assert.Equal((4f + silentFace) / 2, s.Score(LivenessMethod.All), 4);
        Assert.Equal(4f, s.Score(LivenessMethod.MiniFasCelebaSpoof), 4);
        Assert.Throws<InvalidOperationException>(() => new LivenessScores(4f, null, null).Score(LivenessMethod.All));
    }

    [Fact]
    public void Confidence_IsProbabilityOfTheReturnedValue()
    {
        Assert.Equal(0.8f, new LivenessDecision(true, 0.8f, 0).Confidence, 5);
        Assert.Equal(0.7f, new LivenessDecision(false, 0.3f, 0).Confidence, 5);
    }

    [Fact]
    public void ExposureNormalisation_DimCrop_ScaledToMeanLuma128WithColourKept()
    {
        // A dim, reddish crop (the lestari15 / apfol-real situation): one gain for all channels.
        var crop = RgbImage.Blank(8, 8, 60, 30, 20);
        var luma = 0.299 * 60 + 0.587 * 30 + 0.114 * 20;
        var gain = 128 / luma;
        var px = ExposureNormalisation.Apply(crop).Pixels;
        Assert.Equal((int)Math.Round(60 * gain), px[0]);
        Assert.Equal((int)Math.Round(30 * gain), px[1]);
        Assert.Equal((int)Math.Round(20 * gain), px[2]);
        Assert.Equal(60, crop.Pixels[0]); // the input is not modified
    }

    [Fact]
    public void ExposureNormalisation_NearBlackCropGainCapped_WhiteCropDarkened()
    {
        Assert.Equal(4 * 5, ExposureNormalisation.Apply(RgbImage.Blank(4, 4, 5, 5, 5)).Pixels[0]);
        Assert.Equal(128, ExposureNormalisation.Apply(RgbImage.Blank(4, 4, 255, 255, 255)).Pixels[0]);
    }

    [Fact]
    public void Info_SettingsDifferFromDefault_DoesNotClaimMeasuredRates()
    {
        var info = new LivenessInfoContributor(Options.Create(new LivenessOptions { Threshold = 0.9f })).Describe();
        Assert.Null(info["measured"]);
        var noExposure = new LivenessInfoContributor(Options.Create(new LivenessOptions { NormaliseExposure = false })).Describe();
        Assert.Null(noExposure["measured"]);
        Assert.False((bool)noExposure["normalise_exposure"]!);
        var shipped = new LivenessInfoContributor(Options.Create(new LivenessOptions())).Describe();
        Assert.NotNull(shipped["measured"]);
        Assert.Contains("4 subjects, replay attacks only", (string)shipped["note"]!);
    }
}
