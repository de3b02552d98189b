using ImageApi.Contracts;
using ImageApi.Faces;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ImageApi.Attributes;

/// <summary>DI registration of the gender, age, emotion and mask estimators and their four services.</summary>
public static class AttributesRegistration
{
    /// <summary>Registers <see cref="AgeGenderEstimator"/>, <see cref="EmotionEstimator"/>, <see cref="MaskEstimator"/>
    /// (singletons, warmed at start) and the gender/age/emotion/mask-estimator services. Safe to call more than once.</summary>
    public static IServiceCollection AddFaceAttributes(this IServiceCollection services)
    {
        if (!services.RegistersFirst(nameof(AddFaceAttributes))) return services;
        // The insightface model needs 5 points for faces that come with only a bbox: the fitting stage finds them.
        services.AddFaceFitting();
        services.AddOptions<FaceAttributesOptions>()
            .Configure<IConfiguration>(FaceAttributesOptions.ClearConfiguredLists)
            .BindConfiguration(FaceAttributesOptions.SectionName)
            .ValidateOnStart(new FaceAttributesOptionsValidator());
        services.AddWarmable<AgeGenderEstimator>();
        services.AddWarmable<EmotionEstimator>();
        services.AddWarmable<MaskEstimator>();
        services.AddImageApiService<GenderEstimatorService>(ServiceNames.GenderEstimator);
        services.AddImageApiService<AgeEstimatorService>(ServiceNames.AgeEstimator);
        services.AddImageApiService<EmotionEstimatorService>(ServiceNames.EmotionEstimator);
        services.AddImageApiService<MaskEstimatorService>(ServiceNames.MaskEstimator);
        return services;
    }
}
