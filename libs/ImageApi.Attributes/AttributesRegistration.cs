using ImageApi.Pipeline;
using Microsoft.Extensions.DependencyInjection;

namespace ImageApi.Attributes;

/// <summary>DI registration of the gender, age, emotion and mask estimators.</summary>
public static class AttributesRegistration
{
    public static IServiceCollection AddFaceAttributes(this IServiceCollection services)
    {
        services.AddOptions<FaceAttributesOptions>().BindConfiguration(FaceAttributesOptions.SectionName);
        services.AddWarmable<EmotionEstimator>();
        services.AddWarmable<MaskEstimator>();
        return services;
    }
}
