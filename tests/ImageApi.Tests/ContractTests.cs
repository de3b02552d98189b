using ImageApi.Hosting;
using ImageApi.Samples;
using Microsoft.Extensions.DependencyInjection;

namespace ImageApi.Tests;

/// <summary>
/// For every service and both versions, the spec's example request (real image substituted) is answered with the
/// structure of the spec's example response. Every service of the contract is registered in the embedded host.
/// </summary>
public sealed class ContractTests(ImageApiFactory factory) : IClassFixture<ImageApiFactory>
{
    /// <summary>A real photo for each service's example (one face, matching the example's single face object).</summary>
    private static string ImageFor(string service) => service switch
    {
        ServiceNames.BodyDetector => "group/body_two_runners.jpg",
        _ => "identity/obama_1.jpg",
    };

    [Fact]
    public void EveryServiceOfTheContract_IsRegisteredInTheEmbeddedHost()
    {
        foreach (var service in ServiceNames.All)
        {
            Assert.NotNull(factory.Services.GetKeyedService<IImageApiService>(service));
            Assert.Same(factory.Services.GetKeyedService<IImageApiService>(service), SampleRequest.Resolve(factory.Services, service));
        }

        Assert.Throws<ArgumentException>(() => SampleRequest.Resolve(factory.Services, "no-such-service"));
    }

    public static TheoryData<string, string> Cases() => SpecExamples.ServiceVersions(ServiceNames.All);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task SpecExample_WithRealImage_AnswersWithTheSpecShape(string service, string version)
    {
        var request = await RealRequestAsync(service, version);
        var (status, body) = await factory.PostSampleAsync(service, request);
        Assert.True(status == 200, $"{service} {version}: {status} {body?.ToJsonString()}");
        var expected = Normalise(SpecExamples.Load(service, version, "response"), body!.AsObject());
        SpecExamples.AssertSameShape(expected, body);
        // The request's image is echoed under the key it was sent with.
        var imageKey = request.ContainsKey("$image") ? "$image" : request.ContainsKey("_image") ? "_image" : null;
        if (imageKey is not null) Assert.True(body.AsObject().ContainsKey(imageKey), $"{imageKey} not echoed");
    }

    /// <summary>
    /// Two deliberate differences from the vendor's examples: the image is echoed under the key the request used (the
    /// vendor's v2 quality example answers a <c>_image</c> request with <c>$image</c>), and the v2 template key names
    /// our method (<c>_face_template_extractor_&lt;method&gt;</c>) instead of the vendor's <c>1000_12</c>.
    /// </summary>
    private static JsonObject Normalise(JsonObject expected, JsonObject actual)
    {
        expected.Remove("$image");
        expected.Remove("_image");
        if (expected["objects"] is JsonArray eo && actual["objects"] is JsonArray ao)
        {
            for (var i = 0; i < Math.Min(eo.Count, ao.Count); i++)
            {
                if (eo[i]?["template"] is not JsonObject et || ao[i]?["template"] is not JsonObject at) continue;
                var vendorKey = et.Select(kv => kv.Key).FirstOrDefault(k => k.StartsWith("_face_template_extractor_", StringComparison.Ordinal));
                var ourKey = at.Select(kv => kv.Key).FirstOrDefault(k => k.StartsWith("_face_template_extractor_", StringComparison.Ordinal));
                if (vendorKey is null || ourKey is null || vendorKey == ourKey) continue;
                var value = et[vendorKey]!.DeepClone();
                et.Remove(vendorKey);
                et[ourKey] = value;
            }
        }

        return expected;
    }

    [Fact]
    public async Task UnknownFields_AndOtherClassObjects_PassBackUntouched()
    {
        var request = new JsonObject
        {
            ["$image"] = TestData.Base64("identity/obama_1.jpg"),
            ["client_ref"] = new JsonObject { ["order"] = 42, ["tags"] = new JsonArray("a", "b") },
            ["objects"] = new JsonArray(new JsonObject { ["id"] = 7, ["class"] = "body", ["bbox"] = new JsonArray(0.1, 0.1, 0.9, 0.9), ["note"] = "keep" }),
        };
        var (status, body) = await factory.PostSampleAsync(ServiceNames.FaceDetectorFaceFitter, request);
        Assert.Equal(200, status);
        Assert.True(JsonNode.DeepEquals(request["client_ref"], body!["client_ref"]));
        var bodyObject = body["objects"]!.AsArray().Single(o => o!["class"]!.GetValue<string>() == "body");
        Assert.True(JsonNode.DeepEquals(request["objects"]![0], bodyObject));
        Assert.Equal(request["$image"]!.GetValue<string>(), body["$image"]!.GetValue<string>());
    }

    public static TheoryData<string> Detectors => new(ServiceNames.Detectors);

    [Theory]
    [MemberData(nameof(Detectors))]
    public async Task Detector_ReplacesTheClientsObjectsOfItsClass_KeepsOtherClasses(string service)
    {
        // One stale object of the detector's own class and one of another class, both with a marker field.
        var own = service == ServiceNames.BodyDetector ? "body" : "face";
        var other = own == "face" ? "body" : "face";
        var request = new JsonObject
        {
            ["$image"] = TestData.Base64("identity/obama_1.jpg"),
            ["objects"] = new JsonArray(
                new JsonObject { ["id"] = 9, ["class"] = own, ["bbox"] = new JsonArray(0.0, 0.0, 0.05, 0.05), ["note"] = "stale" },
                new JsonObject { ["id"] = 5, ["class"] = other, ["bbox"] = new JsonArray(0.2, 0.2, 0.8, 0.9), ["note"] = "keep" }),
        };
        var (status, body) = await factory.PostSampleAsync(service, request, "?echo_image=false");
        Assert.Equal(200, status);
        var objects = body!["objects"]!.AsArray();
        Assert.DoesNotContain(objects, o => o!["note"]?.GetValue<string>() == "stale");
        Assert.True(JsonNode.DeepEquals(request["objects"]![1], objects.Single(o => o!["class"]!.GetValue<string>() == other)));
        var detected = objects.Where(o => o!["class"]!.GetValue<string>() == own).ToList();
        Assert.NotEmpty(detected); // obama_1 has one face and one person
        // New ids start above the ids kept in the request (5); the replaced stale object's 9 is free again.
        Assert.Equal(Enumerable.Range(6, detected.Count), detected.Select(o => o!["id"]!.GetValue<int>()));
    }

    [Fact]
    public async Task EchoImageFalse_LeavesTheImageOut()
    {
        var (status, body) = await factory.PostSampleAsync(ServiceNames.FaceDetectorFaceFitter,
            new JsonObject { ["$image"] = TestData.Base64("identity/obama_1.jpg") }, "?echo_image=false");
        Assert.Equal(200, status);
        Assert.False(body!.AsObject().ContainsKey("$image"));
        Assert.NotEmpty(body["objects"]!.AsArray());
    }

    /// <summary>The spec example with a real image; for estimators, the objects are the fitter's real answer for it,
    /// and for verify-matcher the two objects carry real templates.</summary>
    private async Task<JsonObject> RealRequestAsync(string service, string version)
    {
        var request = SpecExamples.Request(service, version, ImageFor(service));
        if (ServiceNames.Detectors.Contains(service)) return request;
        if (service == ServiceNames.VerifyMatcher)
        {
            var extracted = new List<JsonNode>();
            foreach (var file in new[] { "identity/obama_1.jpg", "identity/obama_2.jpg" })
            {
                var (s, b) = await factory.PostSampleAsync(ServiceNames.FaceDetectorTemplateExtractor,
                    SpecExamples.Request(ServiceNames.FaceDetectorTemplateExtractor, version, file), "?echo_image=false");
                Assert.Equal(200, s);
                extracted.Add(b!["objects"]![0]!.DeepClone());
            }

            return new JsonObject { ["objects"] = new JsonArray([.. extracted]) };
        }

        var (status, fitted) = await factory.PostSampleAsync(ServiceNames.FaceDetectorFaceFitter,
            SpecExamples.Request(ServiceNames.FaceDetectorFaceFitter, version, ImageFor(service)), "?echo_image=false");
        Assert.Equal(200, status);
        request["objects"] = fitted!["objects"]!.DeepClone();
        return request;
    }
}
