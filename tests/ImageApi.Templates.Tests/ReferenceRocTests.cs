using ImageApi.Inference;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ImageApi.Templates.Tests;

public sealed class ReferenceRocTests(ImageApiFactory factory) : IClassFixture<ImageApiFactory>
{
    private ReferenceRoc Create(FaceTemplateOptions options) =>
        new(Options.Create(options), factory.Services.GetRequiredService<ModelCatalog>());

    [Fact]
    public void WarmUp_DefaultOptions_LoadsBuiltInTableOfEveryMethod()
    {
        var roc = Create(new FaceTemplateOptions());
        roc.WarmUp();
        Assert.Equal(new FaceTemplateOptions().ResolveMethod().Name, roc.Table.Method);
        foreach (var m in TemplateMethod.All) Assert.Equal(m.Name, roc.For(m).Method);
    }

    [Fact]
    public void WarmUp_UnknownMethod_Throws()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Create(new FaceTemplateOptions { Method = "arcface_9" }).WarmUp());
        Assert.Contains("arcface_9", e.Message);
    }

    [Fact]
    public void WarmUp_FlipOnWithTableBuiltWithout_Throws()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Create(new FaceTemplateOptions { FlipAugmentation = true }).WarmUp());
        Assert.Contains("flip", e.Message);
    }

    [Theory]
    [InlineData("mobilefacenet_1")]
    [InlineData("omz_reid_0095_1")]
    public void WarmUp_TableOfAnotherModel_Throws(string name)
    {
        var path = Path.Combine(Path.GetTempPath(), $"roc-other-model-{Guid.NewGuid():N}.json");
        using (var stream = typeof(RocTable).Assembly.GetManifestResourceStream(RocTable.BuiltInResource(TemplateMethod.Named(name)!))!)
        {
            var root = JsonNode.Parse(stream)!.AsObject();
            root["model_sha256"] = new string('0', 64);
            File.WriteAllText(path, root.ToJsonString());
        }

        try
        {
            var e = Assert.Throws<InvalidOperationException>(() => Create(new FaceTemplateOptions { RocTablePath = [path] }).WarmUp());
            Assert.Contains("sha256", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Info_TemplatesSection_PublishesThresholdsAndPairs()
    {
        using var client = factory.CreateClient();
        var info = JsonNode.Parse(await client.GetStringAsync("/info"))!;
        var templates = info["templates"]!;
        var method = new FaceTemplateOptions().ResolveMethod();
        Assert.Equal(method.Name, templates["method"]!.GetValue<string>());
        Assert.Equal(FaceTemplate.BlobSize(TemplateElementType.Float32, method), templates["template_bytes"]!.GetValue<int>());
        var roc = templates["reference_roc"]!;
        Assert.Equal(method.Name, roc["method"]!.GetValue<string>());
        Assert.True(roc["impostor_pairs"]!.GetValue<long>() > 30_000_000);
        Assert.Equal(3, roc["thresholds"]!.AsArray().Count);
        Assert.Null(roc["far"]); // the rate arrays stay out of /info
    }

    [Fact]
    public async Task Info_TemplatesSection_PublishesEachMethodsOwnTable()
    {
        using var client = factory.CreateClient();
        var methods = JsonNode.Parse(await client.GetStringAsync("/info"))!["templates"]!["methods"]!.AsArray();
        Assert.Equal(TemplateMethod.All.Select(m => m.Name), methods.Select(m => m!["method"]!.GetValue<string>()));
        Assert.Single(methods, m => m!["default"]!.GetValue<bool>());
        var midpoints = new List<double>();
        foreach (var entry in methods)
        {
            var method = TemplateMethod.Named(entry!["method"]!.GetValue<string>())!;
            var table = RocTable.LoadBuiltIn(method);
            Assert.Equal(method.Id, entry["method_id"]!.GetValue<int>());
            Assert.Equal(method.Version, entry["method_version"]!.GetValue<int>());
            Assert.Equal(FaceTemplate.BlobSize(TemplateElementType.Float32, method), entry["template_bytes"]!.GetValue<int>());
            var roc = entry["reference_roc"]!;
            Assert.Equal(method.Name, roc["method"]!.GetValue<string>());
            Assert.Equal(table.Eer, roc["eer"]!.GetValue<double>(), 9);
            // TAR at FAR 1e-2/1e-3/1e-4, each threshold as distance and as this method's calibrated score.
            var thresholds = roc["thresholds"]!.AsArray();
            Assert.Equal([0.01, 0.001, 0.0001], thresholds.Select(t => t!["target_far"]!.GetValue<double>()));
            foreach (var t in thresholds)
            {
                var d = t!["distance"]!.GetValue<double>();
                Assert.Equal(table.ScoreAt(d), t["score"]!.GetValue<double>(), 4);
                Assert.InRange(t["tar"]!.GetValue<double>(), 0.9, 1);
            }

            Assert.Equal(0.5, thresholds[1]!["score"]!.GetValue<double>(), 9);
            midpoints.Add(roc["score"]!["midpoint_distance"]!.GetValue<double>());
        }

        Assert.NotEqual(midpoints[0], midpoints[1]);
    }
}
