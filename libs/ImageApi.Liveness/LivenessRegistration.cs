using ImageApi.Contracts;
using ImageApi.Faces;
using Microsoft.Extensions.DependencyInjection;

namespace ImageApi.Liveness;

/// <summary>DI registration of the liveness services.</summary>
public static class LivenessRegistration
{
    /// <summary>Registers the liveness models (warmed at start), the estimator and the liveness-estimator and
    /// face-detector-liveness-estimator services, with the fitting stage. Safe to call more than once.</summary>
    public static IServiceCollection AddLiveness(this IServiceCollection services)
    {
        if (!services.RegistersFirst(nameof(AddLiveness))) return services;
        services.AddOptions<LivenessOptions>().BindConfiguration(LivenessOptions.SectionName).ValidateOnStart(new LivenessOptionsValidator());
        services.AddFaceFitting(); // idempotent: the detector + fitting stage the face-detector service runs
        services.AddWarmable<CelebaSpoofLivenessModel>();
        services.AddWarmable<SilentFaceLivenessModels>();
        services.AddSingleton<LivenessEstimator>();
        services.AddSingleton<IInfoContributor, LivenessInfoContributor>();
        services.AddImageApiService<FaceDetectorLivenessService>(ServiceNames.FaceDetectorLivenessEstimator);
        services.AddImageApiService<LivenessEstimatorService>(ServiceNames.LivenessEstimator);
        return services;
    }
}
