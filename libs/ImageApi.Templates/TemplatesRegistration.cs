using ImageApi.Contracts;
using ImageApi.Faces;
using ImageApi.Samples;
using Microsoft.Extensions.DependencyInjection;

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
        services.AddOptions<FaceTemplateOptions>().BindConfiguration(FaceTemplateOptions.SectionName)
            .Validate(o => string.IsNullOrWhiteSpace(o.V2TemplateKey)
                           || (o.V2TemplateKey.StartsWith(FaceTemplate.V2KeyPrefix, StringComparison.Ordinal) && o.V2TemplateKey.Length > FaceTemplate.V2KeyPrefix.Length),
                $"{FaceTemplateOptions.SectionName}:{nameof(FaceTemplateOptions.V2TemplateKey)} must be empty or start with '{FaceTemplate.V2KeyPrefix}'")
            .Validate(o => TemplateMethod.Named(o.Method) is not null,
                $"{FaceTemplateOptions.SectionName}:{nameof(FaceTemplateOptions.Method)} must name a template method: " +
                string.Join(", ", TemplateMethod.All.Select(m => m.Name)))
            .ValidateOnStart();
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
