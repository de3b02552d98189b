using ImageApi.Contracts;
using Microsoft.Extensions.DependencyInjection;

namespace ImageApi.Faces;

/// <summary>DI registration of the face detection and fitting stage and its service.</summary>
public static class FacesRegistration
{
    /// <summary>Registers <see cref="FaceDetector"/>, <see cref="FaceLandmarker"/>, <see cref="HeadPoseEstimator"/> (warmed at
    /// start), the <see cref="FaceFitting"/> stage and the face-detector-face-fitter service. Safe to call more than once.</summary>
    public static IServiceCollection AddFaceFitting(this IServiceCollection services)
    {
        if (!services.RegistersFirst(nameof(AddFaceFitting))) return services;
        services.AddOptions<FaceDetectorOptions>().BindConfiguration(FaceDetectorOptions.SectionName).ValidateOnStart(new FaceDetectorOptionsValidator());
        services.AddOptions<FaceFittingOptions>().BindConfiguration(FaceFittingOptions.SectionName).ValidateOnStart(new FaceFittingOptionsValidator());
        services.AddWarmable<FaceDetector>();
        services.AddWarmable<FaceLandmarker>();
        services.AddWarmable<HeadPoseEstimator>();
        services.AddSingleton<FaceFitting>();
        services.AddImageApiService<FaceFitterService>(ServiceNames.FaceDetectorFaceFitter);
        return services;
    }
}
