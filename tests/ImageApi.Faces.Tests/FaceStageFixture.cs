using ImageApi.Inference;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ImageApi.Faces.Tests;

/// <summary>The fitting stage as <see cref="FacesRegistration.AddFaceFitting"/> registers it, on the real models,
/// without the HTTP host (one instance shared by a test class).</summary>
public sealed class FaceStageFixture : IDisposable
{
    private readonly ServiceProvider _provider;

    public FaceStageFixture()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddLogging();
        services.AddOptions<InferenceOptions>();
        services.AddOptions<ModelOptions>();
        services.AddSingleton<ModelCatalog>();
        services.AddFaceFitting();
        _provider = services.BuildServiceProvider();
        Fitting = _provider.GetRequiredService<FaceFitting>();
        Catalog = _provider.GetRequiredService<ModelCatalog>();
        Detector = _provider.GetRequiredService<FaceDetector>();
    }

    public FaceFitting Fitting { get; }
    public FaceDetector Detector { get; }
    public ModelCatalog Catalog { get; }
    public ImageDecoder Decoder { get; } = new();

    public ImageSource Source(string testDataFile) => new(TestData.Bytes(testDataFile), Decoder);

    public ImageSource Source(byte[] bytes) => new(bytes, Decoder);

    public IReadOnlyList<FittedFace> Fit(string testDataFile) => Fitting.Fit(Source(testDataFile));

    /// <summary>A fitting stage on the same models with other detector/acceptance settings (the landmark and pose
    /// models are those of the registered stage).</summary>
    public FaceFitting With(FaceDetectorOptions detector, FaceFittingOptions fitting) =>
        new(new FaceDetector(Catalog, Microsoft.Extensions.Options.Options.Create(detector)), _provider.GetRequiredService<FaceLandmarker>(),
            _provider.GetRequiredService<HeadPoseEstimator>(), Microsoft.Extensions.Options.Options.Create(fitting));

    public void Dispose() => _provider.Dispose();
}
