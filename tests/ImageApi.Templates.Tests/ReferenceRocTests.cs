using System.Text.Json.Nodes;
using ImageApi.Inference;
using ImageApi.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace ImageApi.Templates.Tests;

public sealed class ReferenceRocTests(ImageApiFactory factory) : IClassFixture<ImageApiFactory>
{
    private ReferenceRoc Create(FaceTemplateOptions options) =>
        new(Options.Create(options), factory.Services.GetRequiredService<ModelCatalog>());

    [Fact]
    public void WarmUp_DefaultOptions_LoadsBuiltInTable()
    {
        var roc = Create(new FaceTemplateOptions());
        roc.WarmUp();
        Assert.Equal(FaceTemplate.MethodName, roc.Table.Method);
    }

    [Fact]
    public void WarmUp_FlipOnWithTableBuiltWithout_Throws()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Create(new FaceTemplateOptions { FlipAugmentation = true }).WarmUp());
        Assert.Contains("flip", e.Message);
    }

    [Fact]
    public void WarmUp_TableOfAnotherModel_Throws()
    {
        var path = Path.Combine(Path.GetTempPath(), $"roc-other-model-{Guid.NewGuid():N}.json");
        using (var stream = typeof(RocTable).Assembly.GetManifestResourceStream(RocTable.BuiltInResource)!)
        {
            var root = JsonNode.Parse(stream)!.AsObject();
            root["model_sha256"] = new string('0', 64);
            File.WriteAllText(path, root.ToJsonString());
        }

        try
        {
            var e = Assert.Throws<InvalidOperationException>(() => Create(new FaceTemplateOptions { RocTablePath = path }).WarmUp());
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
        Assert.Equal(FaceTemplate.MethodName, templates["method"]!.GetValue<string>());
        Assert.Equal(FaceTemplate.BlobSize(TemplateElementType.Float32), templates["template_bytes"]!.GetValue<int>());
        var roc = templates["reference_roc"]!;
        Assert.True(roc["impostor_pairs"]!.GetValue<long>() > 30_000_000);
        Assert.Equal(3, roc["thresholds"]!.AsArray().Count);
        Assert.Null(roc["far"]); // the rate arrays stay out of /info
    }
}
