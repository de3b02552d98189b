using ImageApi.Hosting;
using System.Net.Http.Headers;
using CsCheck;
using ImageApi.Imaging;
using ImageApi.Samples;
using ImageApi.Templates;
using SkiaSharp;
using Xunit.Abstractions;

namespace ImageApi.Tests;

/// <summary>
/// Bounded property-based fuzzing (CsCheck) of what reads untrusted bytes: the image decoder, the request parser, the
/// template decoder and the multipart route. Each property runs its cases under a fixed seed (the same every run) and
/// under a fresh random seed printed to the log (rerun a failure by putting that seed in <see cref="FixedSeed"/>).
/// The only failure a component may report is an <see cref="ApiException"/> (a 4xx); over HTTP, never a 5xx.
/// </summary>
public sealed class FuzzTests(ImageApiFactory factory, ITestOutputHelper output) : IClassFixture<ImageApiFactory>
{
    private const string FixedSeed = "0000Wbau1Dn1";
    private static readonly string RandomSeed = NewSeed();

    private static readonly byte[][] ImageSeeds = MakeImageSeeds();

    [Fact]
    public void ImageDecoder_MutatedImages_DecodeOrRefuseWithApiException()
    {
        var decoder = new ImageDecoder();
        int decoded = 0, refused = 0;
        Run(Mutated(ImageSeeds), 1500, bytes =>
        {
            OnlyApiException(() => decoder.ReadHeader(bytes));
            if (OnlyApiException(() => decoder.Decode(bytes, 640))) decoded++;
            else refused++;
        });
        output.WriteLine($"decoded {decoded}, refused {refused}");
        // Both outcomes were reached: the mutations are neither all harmless nor all fatal.
        Assert.True(decoded > 0 && refused > 0, $"decoded {decoded}, refused {refused}");
    }

    [Fact]
    public void SampleParser_RandomJson_ParsesOrRefusesWithApiException()
    {
        var parser = new SampleParser(new ImageDecoder(), new SampleLimits());
        var gen = Gen.Select(Json(3), Gen.Bool, Gen.Bool);
        int parsed = 0, refused = 0;
        Run(gen, 3000, c =>
        {
            if (OnlyApiException(() => parser.Parse(c.Item1, needsImage: c.Item2, isDetector: c.Item3))) parsed++;
            else refused++;
        });
        output.WriteLine($"parsed {parsed}, refused {refused}");
        Assert.True(parsed > 0 && refused > 0, $"parsed {parsed}, refused {refused}");
    }

    [Fact]
    public async Task TemplateDecoder_MutatedTemplates_ReadOrRefuseWithApiException()
    {
        var templates = await RealTemplatesAsync();
        var gen = Gen.Select(Gen.Int[0, templates.Count - 1], Mutated([.. templates.Select(t => t.Bytes)]), Gen.Int[0, 3], Json(1));
        Run(gen, 1500, c =>
        {
            var version = templates[c.Item1].Version;
            var obj = (JsonObject)templates[c.Item1].Object.DeepClone();
            var b64 = Convert.ToBase64String(c.Item2);
            // Mutate the blob, and sometimes a neighbouring field too.
            // v1: "$template" is the base64; v2: "template" is {"<method>": {blob, format, dtype, shape}}.
            var target = version == ApiVersion.V1 ? obj : V2Inner(obj);
            target[version == ApiVersion.V1 ? FieldNames.TemplateV1 : FieldNames.Blob] = b64;
            var field = c.Item3 switch { 0 => null, 1 => FieldNames.TemplateSize, 2 => "shape", _ => "dtype" };
            if (field is not null) target[field] = c.Item4?.DeepClone();
            OnlyApiException(() => TemplateFields.Read(obj, version, 0));
        });
    }

    [Fact]
    public async Task MultipartRoute_MutatedBodies_NeverAnswer5xx()
    {
        var jpeg = HostileImages.Jpeg(64, 48);
        var head = "--b0undary\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n";
        byte[] valid = [.. Encoding.ASCII.GetBytes(head), .. jpeg, .. "\r\n--b0undary--\r\n"u8.ToArray()];
        using var client = factory.CreateClient();
        var statuses = new List<int>();
        Run(Mutated([valid]), 150, body =>
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b0undary");
            using var response = client.PostAsync($"/{ServiceNames.FaceDetectorFaceFitter}/process/image", content).GetAwaiter().GetResult();
            statuses.Add((int)response.StatusCode);
            Assert.InRange((int)response.StatusCode, 200, 499);
        });
        output.WriteLine("multipart statuses: " + string.Join(", ", statuses.CountBy(s => s).OrderBy(p => p.Key).Select(p => $"{p.Key}×{p.Value}")));
    }

    /// <summary>Runs <paramref name="cases"/> generated cases as one sample per seed, so a seed fixes every case.</summary>
    private void Run<T>(Gen<T> gen, int cases, Action<T> property)
    {
        foreach (var seed in new[] { FixedSeed, RandomSeed })
        {
            var line = $"fuzz seed {seed}: {cases} cases";
            output.WriteLine(line);
            Console.WriteLine(line);
            gen.Array[cases].Sample(all =>
            {
                foreach (var c in all) property(c);
            }, seed: seed, iter: 1, threads: 1, writeLine: output.WriteLine);
        }
    }

    /// <summary>True when <paramref name="action"/> succeeded, false when it refused with an error the hosting layer
    /// answers with a 4xx (<see cref="ApiErrors"/>); any other exception fails the property.</summary>
    private static bool OnlyApiException(Action action)
    {
        try
        {
            action();
            return true;
        }
        catch (Exception e) when (ApiErrors.From(e) is { } refusal)
        {
            Assert.InRange(refusal.StatusCode, 400, 499);
            return false;
        }
    }

    private static string NewSeed()
    {
        var pcg = PCG.ThreadPCG;
        return pcg.ToString(pcg.Seed);
    }

    /// <summary>A seed input with up to 8 bytes overwritten, then sometimes cut short.</summary>
    private static Gen<byte[]> Mutated(byte[][] seeds) =>
        Gen.Select(Gen.Int[0, seeds.Length - 1], Gen.Select(Gen.Int[0, int.MaxValue], Gen.Byte).Array[0, 8], Gen.Int[0, 200],
            (s, edits, keep) =>
            {
                var bytes = (byte[])seeds[s].Clone();
                foreach (var (at, value) in edits) bytes[at % bytes.Length] = value;
                return keep >= 100 ? bytes : bytes[..(bytes.Length * keep / 100)];
            });

    private static readonly string[] Keys =
    [
        FieldNames.ImageV1, FieldNames.ImageV2, FieldNames.Blob, FieldNames.Format, FieldNames.Objects, "id", "class", "bbox",
        FieldNames.TemplateV1, FieldNames.TemplateV2, FieldNames.TemplateSize, "keypoints", "x",
    ];

    /// <summary>JSON made of the contract's own keys and awkward values, <paramref name="depth"/> levels deep.</summary>
    private static Gen<JsonNode?> Json(int depth)
    {
        var tinyPng = Convert.ToBase64String(HostileImages.Png(8, 8));
        Gen<JsonNode?> leaf = Gen.OneOf(
            Gen.Const<JsonNode?>(() => null),
            Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b)),
            Gen.Int.Select(i => (JsonNode?)JsonValue.Create(i)),
            Gen.Double.Select(d => (JsonNode?)JsonValue.Create(double.IsFinite(d) ? d : 1e308)),
            Gen.Double[-0.5, 1.5].Select(d => (JsonNode?)JsonValue.Create(d)),
            Gen.String[0, 20].Select(s => (JsonNode?)JsonValue.Create(s)),
            Gen.OneOf(tinyPng, "", "IMAGE", "face", "NDARRAY", "uint8", "data:image/png;base64," + tinyPng, "@@")
                .Select(s => (JsonNode?)JsonValue.Create(s)));
        if (depth == 0) return leaf;
        var inner = Json(depth - 1);
        var array = inner.Array[0, 5].Select(items => (JsonNode?)new JsonArray([.. items.Select(i => i?.DeepClone())]));
        var obj = Gen.Select(Gen.OneOf(Keys).Array[0, 6], inner.Array[6], (keys, values) =>
        {
            var o = new JsonObject();
            for (var i = 0; i < keys.Length; i++) o[keys[i]] = values[i]?.DeepClone();
            return (JsonNode?)o;
        });
        return Gen.Frequency<JsonNode?>((2, leaf), (1, array), (2, obj));
    }

    private static byte[][] MakeImageSeeds()
    {
        using var picture = HostileImages.Picture(64, 48);
        return
        [
            HostileImages.Encode(picture, SKEncodedImageFormat.Jpeg), HostileImages.Encode(picture, SKEncodedImageFormat.Png),
            HostileImages.Encode(picture, SKEncodedImageFormat.Webp), HostileImages.AnimatedGif(), HostileImages.AnimatedWebp(),
            HostileImages.CmykJpeg(), HostileImages.ProgressiveJpeg(), Fixture.PngHeader(4000, 3000),
        ];
    }

    private static JsonObject V2Inner(JsonObject face) => face[FieldNames.TemplateV2]!.AsObject().Single().Value!.AsObject();

    /// <summary>Real templates (v1 and v2) from the template extractor, as the objects that carry them.</summary>
    private async Task<List<(ApiVersion Version, JsonObject Object, byte[] Bytes)>> RealTemplatesAsync()
    {
        var list = new List<(ApiVersion, JsonObject, byte[])>();
        foreach (var version in new[] { "v1", "v2" })
        {
            var (status, body) = await factory.PostSampleAsync(ServiceNames.FaceDetectorTemplateExtractor,
                SpecExamples.Request(ServiceNames.FaceDetectorTemplateExtractor, version, "identity/biden_1.jpg"));
            Assert.Equal(200, status);
            var face = body!["objects"]!.AsArray().First(o => o!["class"]!.GetValue<string>() == "face")!.AsObject();
            var v = version == "v1" ? ApiVersion.V1 : ApiVersion.V2;
            var b64 = v == ApiVersion.V1 ? face[FieldNames.TemplateV1]!.GetValue<string>() : V2Inner(face)[FieldNames.Blob]!.GetValue<string>();
            list.Add((v, face, Convert.FromBase64String(b64)));
        }

        return list;
    }
}
