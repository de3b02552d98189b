using ImageApi.Pipeline;
using Microsoft.Extensions.DependencyInjection;

namespace ImageApi.Faces;

/// <summary>DI registration of the face detection and fitting stage and its service.</summary>
public static class FacesRegistration
{
    public static IServiceCollection AddFaceFitting(this IServiceCollection services)
    {
        services.AddOptions<FaceDetectorOptions>().BindConfiguration(FaceDetectorOptions.SectionName);
        services.AddWarmable<FaceDetector>();
        return services;
    }
}
