using ImageApi.Attributes;
using ImageApi.Inference;

namespace ImageApi.Attributes.Tests;

/// <summary>Each age/gender family checks its model's layout once at load and reads the real model on real pixels.</summary>
public sealed class ModelLayoutTests(ImageApiFactory factory) : IClassFixture<ImageApiFactory>
{
    [Fact]
    public void RequireLayout_WrongInputShape_FailsNamingTheModelAndBothShapes()
    {
        var model = factory.Services.GetRequiredService<ModelCatalog>().Get(AttributeModels.GenderMini);
        var e = Assert.Throws<InvalidOperationException>(() => model.RequireLayout([3, 64, 64], "probs"));
        Assert.Contains(AttributeModels.GenderMini, e.Message);
        Assert.Contains("expected [N, 3, 64, 64]", e.Message);
        Assert.Contains("1, 64, 64]", e.Message);
    }

    [Fact]
    public void RequireLayout_MissingOutput_FailsNamingTheOutputsItHas()
    {
        var model = factory.Services.GetRequiredService<ModelCatalog>().Get(AttributeModels.FaceApiAgeGender);
        Assert.Same(model, model.RequireLayout([3, 112, 112], "age", "gender"));
        var e = Assert.Throws<InvalidOperationException>(() => model.RequireLayout([3, 112, 112], "age", "emotion"));
        Assert.Contains("no output 'emotion'", e.Message);
        Assert.Contains("'gender'", e.Message);
    }

    [Theory]
    [InlineData(AttributeModels.FaceApiAgeGender, true)]
    [InlineData(AttributeModels.InsightFaceAgeGender, true)]
    [InlineData(AttributeModels.GenderMini, false)]
    public void EveryFamily_ReadsAMaleFaceAsMale(string model, bool hasAge)
    {
        var services = factory.Services;
        var image = new ImageSource(TestData.Bytes("identity/obama_1.jpg"), services.GetRequiredService<ImageDecoder>());
        var face = services.GetRequiredService<FaceFitting>().Fit(image).Single();
        var input = new FaceInput(0, [], face.Box, null); // box only: the aligned family fits the landmarks itself
        var estimate = services.GetRequiredService<AgeGenderEstimator>().Run(model, image, [input], [1.15f], CancellationToken.None).Single();
        Assert.True(estimate.FemaleProbability < 0.5f, $"{model}: P(female) {estimate.FemaleProbability}");
        Assert.Equal(hasAge, !float.IsNaN(estimate.Age));
        if (hasAge) Assert.InRange(estimate.Age, 25, 75);
    }

    [Fact]
    public void Run_ABatchOverTheInputBudget_RunsInParts_WithTheItemsOwnOutputs()
    {
        // The 8-face photo's faces and their mirror images (16 crops of 3×112×112: 602 k floats, over the default budget):
        // one call runs in parts of as many crops as the budget takes, and every item's outputs are its own, in order,
        // as when it runs alone.
        var services = factory.Services;
        var model = services.GetRequiredService<ModelCatalog>().Get(AttributeModels.FaceApiAgeGender);
        Assert.Equal(new InferenceOptions().MaxRunInputFloats, model.MaxRunInputFloats);
        var image = new ImageSource(TestData.Bytes("group/compreface_016_8.jpg"), services.GetRequiredService<ImageDecoder>());
        var faces = services.GetRequiredService<FaceFitting>().Fit(image);
        var crops = faces.Select(f => ImageSampler.CropResize(image.Full(), f.Box.X1, f.Box.Y1, f.Box.X2, f.Box.Y2, 112, 112)).ToList();
        crops.AddRange(crops.Select(ImageSampler.MirrorHorizontal).ToList());
        const int item = 3 * 112 * 112;
        var input = new float[crops.Count * item];
        for (var i = 0; i < crops.Count; i++) TensorPacker.Pack(crops[i], PixelLayout.Raw(ChannelOrder.Rgb), input.AsSpan(i * item, item));
        Assert.True(input.Length > model.MaxRunInputFloats);

        var time = ModelTime.Begin();
        var batch = model.Run(input, [crops.Count, 3, 112, 112]);
        var perRun = Math.Max(1, model.MaxRunInputFloats / item);
        Assert.True(perRun < crops.Count);
        Assert.Equal((crops.Count + perRun - 1) / perRun, time.Runs);
        foreach (var name in new[] { "age", "gender" })
        {
            var joined = model.Output(batch, name);
            Assert.Equal(crops.Count, joined.Shape[0]);
            var width = joined.Data.Length / crops.Count;
            for (var i = 0; i < crops.Count; i++)
            {
                var alone = model.Output(model.Run(input.AsSpan(i * item, item).ToArray(), [1, 3, 112, 112]), name).Data;
                for (var k = 0; k < width; k++) Assert.Equal(alone[k], joined.Data[i * width + k], 4);
            }
        }
    }

    [Fact]
    public void Run_UnknownModel_FailsNamingTheFamilies()
    {
        var image = new ImageSource(TestData.Bytes("identity/obama_1.jpg"), factory.Services.GetRequiredService<ImageDecoder>());
        var e = Assert.Throws<InvalidOperationException>(() => factory.Services.GetRequiredService<AgeGenderEstimator>()
            .Run("no-such-model", image, [new FaceInput(0, [], new Box(0, 0, 10, 10), null)], [1f], CancellationToken.None));
        Assert.Contains(AttributeModels.FaceApiAgeGender, e.Message);
    }
}
