using System.Globalization;
using ImageApi.Inference;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ImageApi.Tests;

/// <summary>
/// Which model runs a request performs, read from the <c>Server-Timing</c> header every answer carries (counts, never
/// timings): a pipeline runs each model once per face, and the fast profile runs fewer.
/// </summary>
public sealed class ModelRunTests(ImageApiFactory factory) : IClassFixture<ImageApiFactory>
{
    private const string Fitter = ServiceNames.FaceDetectorFaceFitter;

    private static async Task<(int Status, double ModelMs, int Runs, string Header)> PostAsync(WebApplicationFactory<Program> host, string path, string file)
    {
        using var client = host.CreateClient();
        var body = new JsonObject { ["_image"] = new JsonObject { ["blob"] = TestData.Base64(file), ["format"] = "IMAGE" } };
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(path, content);
        var header = response.Headers.TryGetValues("Server-Timing", out var v) ? string.Join(",", v) : "";
        var model = header.Split(',').Select(m => m.Trim()).FirstOrDefault(m => m.StartsWith("model;", StringComparison.Ordinal)) ?? "";
        var dur = model.Split(';').FirstOrDefault(p => p.StartsWith("dur=", StringComparison.Ordinal));
        var desc = model.Split(';').FirstOrDefault(p => p.StartsWith("desc=", StringComparison.Ordinal));
        return ((int)response.StatusCode,
            dur is null ? double.NaN : double.Parse(dur[4..], CultureInfo.InvariantCulture),
            desc is null ? -1 : int.Parse(desc[5..].Trim('"').Split(' ')[0], CultureInfo.InvariantCulture),
            header);
    }

    private static string Pipeline(params string[] services) => "/pipeline/process/sample?echo_image=false&services=" + string.Join(',', services);

    [Fact]
    public async Task ServerTiming_ReportsAppAndModelTime()
    {
        var (status, model, runs, header) = await PostAsync(factory, $"/{Fitter}/process/sample?echo_image=false", "identity/obama_1.jpg");
        Assert.Equal(200, status);
        Assert.Contains("app;dur=", header, StringComparison.Ordinal);
        Assert.True(model > 0 && runs >= 3, header); // detector, landmarks, pose at least
    }

    [Fact]
    public async Task TemplateExtractor_BoxOnlyFace_RunsTheLandmarkModelButNoPoseModel()
    {
        // A template needs the 5 alignment points only: a box-only face gets the landmark passes and one embedding
        // run, never the pose models the fitter adds (FaceFitting.FivePointsOf).
        using var client = factory.CreateClient();
        var fitted = await PostAsync(factory, $"/{Fitter}/process/sample?echo_image=false", "identity/obama_1.jpg");
        Assert.Equal(200, fitted.Status);
        var body = new JsonObject
        {
            ["_image"] = new JsonObject { ["blob"] = TestData.Base64("identity/obama_1.jpg"), ["format"] = "IMAGE" },
            ["objects"] = new JsonArray(new JsonObject { ["id"] = 0, ["class"] = "face", ["bbox"] = new JsonArray(0.25, 0.2, 0.75, 0.7) }),
        };
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await client.PostAsync($"/{ServiceNames.TemplateExtractor}/process/sample?echo_image=false", content);
        Assert.Equal(200, (int)response.StatusCode);
        var header = string.Join(",", response.Headers.GetValues("Server-Timing"));
        var runs = int.Parse(header.Split("desc=\"")[1].Split(' ')[0], CultureInfo.InvariantCulture);
        // Landmark passes (1 or 2, FaceFitting:LandmarkSecondPass) + 1 embedding; the fitter alone runs more than that
        // (detector + landmarks + pose).
        Assert.InRange(runs, 2, 3);
        Assert.True(fitted.Runs > runs + 1, $"fitter {fitted.Runs} runs, box-only template {runs}");
    }

    [Theory]
    [InlineData("identity/obama_1.jpg")]
    [InlineData("group/compreface_016_8.jpg")]
    public async Task Pipeline_Quality_RunsNoModelTheEarlierStagesRan(string file)
    {
        // Quality needs landmarks + pose, emotion and the mask detector for every face: after the fitter, emotion and
        // mask stages it must find them all on the image, not run them again.
        var before = await PostAsync(factory, Pipeline(Fitter, ServiceNames.EmotionEstimator, ServiceNames.MaskEstimator), file);
        var with = await PostAsync(factory, Pipeline(Fitter, ServiceNames.EmotionEstimator, ServiceNames.MaskEstimator, ServiceNames.QualityAssessmentEstimator), file);
        Assert.Equal(200, before.Status);
        Assert.Equal(200, with.Status);
        Assert.Equal(before.Runs, with.Runs);

        // Called alone, quality runs those models itself (it has only the fitter's JSON).
        var alone = await PostAsync(factory, Pipeline(Fitter), file);
        Assert.True(with.Runs > alone.Runs, $"{with.Runs} vs {alone.Runs}");
    }

    [Fact]
    public async Task FastProfile_RunsFewerModels_AndSaysSoInInfo()
    {
        await using var fast = factory.WithWebHostBuilder(b => b.UseSetting("Profile", "fast"));
        var fastRuns = await PostAsync(fast, $"/{Fitter}/process/sample?echo_image=false", "identity/obama_1.jpg");
        var defaultRuns = await PostAsync(factory, $"/{Fitter}/process/sample?echo_image=false", "identity/obama_1.jpg");
        Assert.Equal(200, fastRuns.Status);
        // Default: detector pass(es) + 2 landmark passes + 2 pose models × (crop, mirror) = detector + 6;
        // fast: detector pass(es) + 1 landmark pass + 1 pose run = detector + 2.
        Assert.Equal(defaultRuns.Runs - 4, fastRuns.Runs);

        using var client = fast.CreateClient();
        var info = JsonNode.Parse(await client.GetStringAsync("/info"))!;
        Assert.Equal("fast", info["profile"]!.GetValue<string>());
    }

    [Fact]
    public async Task FastProfile_Emotion_RunsOneModelInsteadOfTwo()
    {
        await using var fast = factory.WithWebHostBuilder(b => b.UseSetting("Profile", "fast"));
        var path = Pipeline(Fitter, ServiceNames.EmotionEstimator);
        var fastRuns = await PostAsync(fast, path, "identity/obama_1.jpg");
        var defaultRuns = await PostAsync(factory, path, "identity/obama_1.jpg");
        Assert.Equal(200, fastRuns.Status);
        // The fitter runs 4 fewer (test above). Emotion: the default averages big-Xception (one run) and face-api (the
        // crop and its mirror in one batch: one run where 2 × 3 × 112 × 112 floats fit Inference:MaxRunInputFloats, two
        // where they do not); fast runs face-api alone without the mirror.
        var faceApiRuns = 2 * 3 * 112 * 112 <= new InferenceOptions().MaxRunInputFloats ? 1 : 2;
        Assert.Equal(defaultRuns.Runs - 4 - faceApiRuns, fastRuns.Runs);
    }
}
