using Microsoft.Extensions.DependencyInjection;

namespace ImageApi.Templates;

/// <summary>DI registration of template extraction and verification.</summary>
public static class TemplatesRegistration
{
    public static IServiceCollection AddFaceTemplates(this IServiceCollection services) => services;
}
