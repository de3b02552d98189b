using ImageApi.Attributes;
using ImageApi.Faces;
using ImageApi.Samples;
using Microsoft.Extensions.DependencyInjection;

namespace ImageApi.Quality.Tests;

/// <summary>The assessor used directly: settings, and the inputs the route cannot express.</summary>
public sealed class QualityAssessorTests(ImageApiFactory factory) : IClassFixture<ImageApiFactory>
{
    private QualityAssessor Assessor(QualityOptions options) => new(
        factory.Services.GetRequiredService<FaceFitting>(), factory.Services.GetRequiredService<EmotionEstimator>(),
        factory.Services.GetRequiredService<MaskEstimator>(), Microsoft.Extensions.Options.Options.Create(options));

    private (ImageSource Source, List<FaceInput> Faces) Faces(string file)
    {
        var source = new ImageSource(TestData.Bytes(file), factory.Services.GetRequiredService<ImageDecoder>());
        var fitted = factory.Services.GetRequiredService<FaceFitting>().Fit(source);
        return (source, [.. fitted.Select((f, i) => new FaceInput(i, new JsonObject(), f.Box, f.Keypoints))]);
    }

    [Fact]
    public void Assess_ThresholdSettings_DecideTheBooleans()
    {
        var (source, faces) = Faces("identity/obama_1.jpg");
        var lenient = Assessor(new QualityOptions { MinEyesDistance = 10, MaxYaw = 90, MaxPitch = 90, MaxRoll = 90 }).Assess(source, faces, default)[0];
        var strict = Assessor(new QualityOptions { SharpnessThreshold = 1.01f, MinEyesDistance = 1000, MaxYaw = 0.01f })
            .Assess(source, faces, default)[0];
        Assert.Equal(lenient.SharpnessScore, strict.SharpnessScore);
        Assert.True(lenient.IsSharp);
        Assert.False(strict.IsSharp);
        Assert.True(lenient.IsEyesDistanceAcceptable);
        Assert.False(strict.IsEyesDistanceAcceptable);
        Assert.True(lenient.IsRotationAcceptable);
        Assert.False(strict.IsRotationAcceptable);
    }

    [Fact]
    public void Assess_CoincidingEyeKeypoints_RefusesThatFace()
    {
        var (source, faces) = Faces("identity/obama_1.jpg");
        var broken = faces[0] with { Keypoints = new System.Numerics.Vector2[KeypointNames.Count] };
        var e = Assert.Throws<FaceGeometryException>(() => Assessor(new QualityOptions()).Assess(source, [broken], default));
        Assert.Equal(faces[0].Index, e.FaceIndex);
        Assert.Contains("eye keypoints coincide", e.Message);
    }

    [Fact]
    public void Assess_SameFaceTwice_GivesIdenticalResults()
    {
        var (source, faces) = Faces("group/two_people.jpg");
        var assessor = Assessor(new QualityOptions());
        var first = assessor.Assess(source, faces, default);
        var second = assessor.Assess(source, [faces[1], faces[0]], default);
        Assert.Equal(first[0].TotalScore, second[1].TotalScore, 4);
        Assert.Equal(first[0].SharpnessScore, second[1].SharpnessScore, 4);
        Assert.Equal(first[1].EyesDistance, second[0].EyesDistance, 3);
        Assert.Equal(first[1].NoiseScore, second[0].NoiseScore, 4);
    }

    [Theory]
    [InlineData(3f, -8f, 5f, -8f)]   // roll wins, sign kept (the seed's -8)
    [InlineData(10f, -8f, 5f, 10f)]  // yaw wins
    [InlineData(-2f, 1f, -3f, -3f)]  // pitch wins, negative
    [InlineData(4f, 4f, -4f, 4f)]    // ties go yaw, pitch, roll
    public void LargestRotation_KeepsTheSignOfTheLargestAngle(float yaw, float roll, float pitch, float expected)
    {
        Assert.Equal(expected, QualityAssessor.LargestRotation(new HeadPose(yaw, roll, pitch)));
    }
}
