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
        services.AddOptions<BodyDetectorOptions>().BindConfiguration(BodyDetectorOptions.SectionName)
            .Validate(o => BodyModels.IsKnown(o.Model), "BodyDetector:Model must be body-detector-yolox-nano or body-detector-nanodet-m-416")
            .Validate(o => o.ScoreThreshold is null or (>= 0 and <= 1) && o.NmsIou is null or (> 0 and <= 1),
                "BodyDetector:ScoreThreshold and NmsIou must lie in [0, 1]")
            .ValidateOnStart();
        services.AddWarmable<BodyDetector>();
        services.AddImageApiService<BodyDetectorService>(ServiceNames.BodyDetector);
        return services;
    }
}
