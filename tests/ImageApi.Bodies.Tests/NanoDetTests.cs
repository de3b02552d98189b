using Microsoft.Extensions.DependencyInjection;

namespace ImageApi.Bodies.Tests;

/// <summary>The selectable NanoDet-m model meets the same acceptance as the default.</summary>
public sealed class NanoDetTests(NanoDetFactory factory) : IClassFixture<NanoDetFactory>
{
    public static TheoryData<string> CompreFaceGroups => [.. GroupPhotos.CompreFace];

    [Fact]
    public void Options_ModelSetting_SelectsNanoDet()
    {
        var detector = factory.Services.GetRequiredService<BodyDetector>();
        Assert.Equal(BodyModels.NanoDetM416, detector.ModelName);
        Assert.Equal(0.35f, detector.ScoreThreshold);
        Assert.Equal(0.6f, detector.NmsIou);
    }

    [Fact]
    public async Task Process_TwoRunners_FindsTwoBodies()
    {
        Assert.Equal(2, (await BodyDetectorServiceTests.DetectAsync(factory, "group/body_two_runners.jpg")).Count);
    }

    [Theory]
    [MemberData(nameof(CompreFaceGroups))]
    public async Task Process_CompreFaceGroup_FindsNMinus1ToNPlus2Bodies(string file)
    {
        var n = GroupPhotos.PeopleIn(file);
        Assert.InRange((await BodyDetectorServiceTests.DetectAsync(factory, file)).Count, n - 1, n + 2);
    }

    [Theory]
    [InlineData("no_face/landscape_compreface_017_0.jpg")]
    [InlineData("no_face/cat.jpg")]
    [InlineData("no_face/dog.jpeg")]
    public async Task Process_NoPerson_FindsNoBody(string file)
    {
        Assert.Empty(await BodyDetectorServiceTests.DetectAsync(factory, file));
    }
}
