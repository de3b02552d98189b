using ImageApi.Contracts;
using ImageApi.Samples;
using Microsoft.Extensions.DependencyInjection;

namespace ImageApi.Bodies;

/// <summary>DI registration of the body detector.</summary>
public static class BodiesRegistration
{
    /// <summary>Registers the body detector (warmed at start) and the body-detector service. Safe to call more than once.</summary>
    public static IServiceCollection AddBodyDetection(this IServiceCollection services)
    {
        if (!services.RegistersFirst(nameof(AddBodyDetection))) return services;
        services.AddOptions<BodyDetectorOptions>().BindConfiguration(BodyDetectorOptions.SectionName).ValidateOnStart(new BodyDetectorOptionsValidator());
        services.AddWarmable<BodyDetector>();
        services.AddImageApiService<BodyDetectorService>(ServiceNames.BodyDetector);
        return services;
    }
}
