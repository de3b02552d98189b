using ImageApi.Contracts;
using ImageApi.Faces;
using ImageApi.Samples;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ImageApi.Templates;

/// <summary>DI registration of template extraction and verification.</summary>
public static class TemplatesRegistration
{
    /// <summary>Registers the embedders of every template method (the configured one loaded at start-up), the reference
    /// ROC tables (all loaded at start-up), and the
    /// face-detector-template-extractor, template-extractor and verify-matcher services. Safe to call more than once.</summary>
    public static IServiceCollection AddFaceTemplates(this IServiceCollection services)
    {
        if (!services.RegistersFirst(nameof(AddFaceTemplates))) return services;
        services.AddFaceFitting();
        services.AddOptions<FaceTemplateOptions>().BindConfiguration(FaceTemplateOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<FaceTemplateOptions>, FaceTemplateOptionsValidator>();
        // One embedder per model family; the extractor composes them and warms only the configured method's model.
        services.AddSingleton<IFaceEmbedder, MobileFaceNetEmbedder>();
        services.AddSingleton<IFaceEmbedder, OmzReidEmbedder>();
        services.AddWarmable<FaceTemplateExtractor>();
        services.AddWarmable<ReferenceRoc>();
        services.AddSingleton<IInfoContributor, TemplatesInfoContributor>();
        services.AddImageApiService<FaceDetectorTemplateExtractorService>(ServiceNames.FaceDetectorTemplateExtractor);
        services.AddImageApiService<TemplateExtractorService>(ServiceNames.TemplateExtractor);
        services.AddImageApiService<VerifyMatcherService>(ServiceNames.VerifyMatcher);
        return services;
    }
}
