using ImageApi.Contracts;
using ImageApi.Faces;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ImageApi.Templates;

/// <summary>DI registration of template extraction and verification.</summary>
public static class TemplatesRegistration
{
    /// <summary>Registers the embedders of every template method (the configured one loaded at start-up) and the
    /// face-detector-template-extractor and template-extractor services, with the fitting stage and everything
    /// <see cref="AddTemplateVerification"/> registers. Safe to call more than once.</summary>
    public static IServiceCollection AddFaceTemplates(this IServiceCollection services)
    {
        if (!services.RegistersFirst(nameof(AddFaceTemplates))) return services;
        services.AddFaceFitting();
        services.AddTemplateVerification();
        // One embedder per model family; the extractor composes them and warms only the configured method's model.
        services.AddSingleton<IFaceEmbedder, MobileFaceNetEmbedder>();
        services.AddSingleton<IFaceEmbedder, OmzReidEmbedder>();
        services.AddWarmable<FaceTemplateExtractor>();
        services.AddImageApiService<FaceDetectorTemplateExtractorService>(ServiceNames.FaceDetectorTemplateExtractor);
        services.AddImageApiService<TemplateExtractorService>(ServiceNames.TemplateExtractor);
        return services;
    }

    /// <summary>Registers what comparing templates needs and nothing that makes them: the template settings, the
    /// reference ROC tables (all loaded at start-up) and the verify-matcher service. No model is opened — the
    /// verify-matcher app and its image carry none. Safe to call more than once.</summary>
    public static IServiceCollection AddTemplateVerification(this IServiceCollection services)
    {
        if (!services.RegistersFirst(nameof(AddTemplateVerification))) return services;
        services.AddOptions<FaceTemplateOptions>()
            .Configure<IConfiguration>(FaceTemplateOptions.ClearConfiguredLists)
            .BindConfiguration(FaceTemplateOptions.SectionName)
            .ValidateOnStart(new FaceTemplateOptionsValidator());
        services.AddWarmable<ReferenceRoc>();
        services.AddSingleton<IInfoContributor, TemplatesInfoContributor>();
        services.AddImageApiService<VerifyMatcherService>(ServiceNames.VerifyMatcher);
        return services;
    }
}
