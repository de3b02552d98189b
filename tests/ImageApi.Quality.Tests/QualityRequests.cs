using Microsoft.Extensions.DependencyInjection;

namespace ImageApi.Quality.Tests;

/// <summary>The pipeline a client runs: face-detector-face-fitter, then quality-assessment-estimator on its answer.</summary>
internal static class QualityRequests
{
    public static JsonObject Body(byte[] image, string version) => version == "v1"
        ? new JsonObject { ["$image"] = Convert.ToBase64String(image) }
        : new JsonObject { ["_image"] = new JsonObject { ["blob"] = Convert.ToBase64String(image), ["format"] = "IMAGE" } };

    /// <summary>The fitter's answer (image echoed, faces with bbox + keypoints + pose).</summary>
    public static async Task<JsonObject> FitAsync(ImageApiFactory factory, byte[] image, string version)
    {
        var (status, body) = await factory.PostSampleAsync(ServiceNames.FaceDetectorFaceFitter, Body(image, version));
        Assert.Equal(200, status);
        Assert.NotEmpty(body!["objects"]!.AsArray());
        return body.AsObject();
    }

    public static async Task<JsonObject> AssessAsync(ImageApiFactory factory, JsonObject request)
    {
        var (status, body) = await factory.PostSampleAsync(ServiceNames.QualityAssessmentEstimator, request, "?echo_image=false");
        Assert.True(status == 200, $"status {status}: {body?.ToJsonString()}");
        return body!.AsObject();
    }

    /// <summary>Fitter → quality; the quality fields (v2 names, whatever the version) of the largest face.</summary>
    public static async Task<Dictionary<string, JsonNode?>> MainFaceAsync(ImageApiFactory factory, byte[] image, string version = "v2")
    {
        var answer = await AssessAsync(factory, await FitAsync(factory, image, version));
        var face = answer["objects"]!.AsArray().Select(o => o!.AsObject()).MaxBy(Area)!;
        return Fields(face, version);
    }

    /// <summary>The 29 quality fields of a face object keyed by their v2 names.</summary>
    public static Dictionary<string, JsonNode?> Fields(JsonObject face, string version)
    {
        var quality = face["quality"]!.AsObject();
        if (version == "v1") quality = quality["qaa"]!.AsObject();
        return QualityObjectWriter.FieldNames.ToDictionary(n => n,
            n => quality[version == "v1" ? QualityObjectWriter.CamelCase(n) : n]);
    }

    public static double Area(JsonObject face)
    {
        var b = face["bbox"]!.AsArray().Select(v => (double)v!).ToArray();
        return (b[2] - b[0]) * (b[3] - b[1]);
    }

    /// <summary>The photo at full size (EXIF applied).</summary>
    public static RgbImage Decode(ImageApiFactory factory, string file) =>
        factory.Services.GetRequiredService<ImageDecoder>().Decode(TestData.Bytes(file));
}
