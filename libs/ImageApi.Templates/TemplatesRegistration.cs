using ImageApi.Faces;
using ImageApi.Pipeline;
using Microsoft.Extensions.DependencyInjection;

namespace ImageApi.Templates;

/// <summary>DI registration of template extraction and verification.</summary>
public static class TemplatesRegistration
{
    /// <summary>Registers the embedding model wrapper (warmed at start) and the template services.</summary>
    public static IServiceCollection AddFaceTemplates(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(FaceTemplateExtractor))) return services;
        services.AddFaceFitting();
        services.AddOptions<FaceTemplateOptions>().BindConfiguration(FaceTemplateOptions.SectionName);
        services.AddWarmable<FaceTemplateExtractor>();
        return services;
    }
}
