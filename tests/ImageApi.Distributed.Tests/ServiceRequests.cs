using System.Collections.Concurrent;

namespace ImageApi.Distributed.Tests;

/// <summary>
/// Real requests for every service: the vendor's example with a real photo; estimators get the objects the embedded
/// fitter finds on that photo (real keypoints) and verify-matcher two real templates, once those services answer —
/// until then the example's own objects (so the comparison covers real answers as soon as the areas land).
/// </summary>
public static class ServiceRequests
{
    public const string FaceImage = "identity/biden_1.jpg";
    public const string SecondFaceImage = "identity/biden_2.jpg";
    public const string BodyImage = "group/body_two_runners.jpg";

    private static readonly ConcurrentDictionary<string, Lazy<Task<JsonArray?>>> Fitted = new();

    public static TheoryData<string, string> AllServicesBothVersions => SpecExamples.ServiceVersions(ServiceNames.All);

    public static IEnumerable<object[]> Detectors => ServiceNames.Detectors.Order(StringComparer.Ordinal).Select(s => new object[] { s });

    public static async Task<JsonObject> BuildAsync(string service, string version, ImageApiFactory embedded)
    {
        if (service == ServiceNames.VerifyMatcher) return await VerifyRequestAsync(version, embedded);
        var image = service == ServiceNames.BodyDetector ? BodyImage : FaceImage;
        var request = SpecExamples.Request(service, version, image);
        if (!ServiceNames.Detectors.Contains(service) && await ObjectsAsync(ServiceNames.FaceDetectorFaceFitter, version, image, embedded) is { } objects)
        {
            request[FieldNames.Objects] = objects;
        }

        return request;
    }

    /// <summary>The objects <paramref name="service"/> (a detector) answers on the image, or null when it does not
    /// answer 200 in this build.</summary>
    public static async Task<JsonArray?> ObjectsAsync(string service, string version, string image, ImageApiFactory embedded)
    {
        var found = await Fitted.GetOrAdd($"{service}|{version}|{image}", _ => new Lazy<Task<JsonArray?>>(async () =>
        {
            var (status, body) = await embedded.PostSampleAsync(service, SpecExamples.Request(service, version, image), "?echo_image=false");
            return status == 200 && body?[FieldNames.Objects] is JsonArray a && a.Count > 0 ? a : null;
        })).Value;
        return found?.DeepClone().AsArray();
    }

    private static async Task<JsonObject> VerifyRequestAsync(string version, ImageApiFactory embedded)
    {
        var first = await ObjectsAsync(ServiceNames.FaceDetectorTemplateExtractor, version, FaceImage, embedded);
        var second = await ObjectsAsync(ServiceNames.FaceDetectorTemplateExtractor, version, SecondFaceImage, embedded);
        if (first is null || second is null) return SpecExamples.Load(ServiceNames.VerifyMatcher, version, "request");
        return new JsonObject { [FieldNames.Objects] = new JsonArray(first[0]!.DeepClone(), second[0]!.DeepClone()) };
    }
}
