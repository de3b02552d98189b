using ImageApi.Attributes;
using ImageApi.Contracts;
using ImageApi.Faces;
using ImageApi.Samples;
using Microsoft.Extensions.DependencyInjection;

namespace ImageApi.Quality;

/// <summary>DI registration of the quality assessment.</summary>
public static class QualityRegistration
{
    /// <summary>Registers the <see cref="QualityAssessor"/> and the quality-assessment-estimator service, with the fitting
    /// stage and the attribute models it uses. Safe to call more than once.</summary>
    public static IServiceCollection AddQualityAssessment(this IServiceCollection services)
    {
        if (!services.RegistersFirst(nameof(AddQualityAssessment))) return services;
        services.AddFaceFitting();
        services.AddFaceAttributes();
        services.AddOptions<QualityOptions>().BindConfiguration(QualityOptions.SectionName).ValidateOnStart(new QualityOptionsValidator());
        services.AddSingleton<QualityAssessor>();
        services.AddImageApiService<QualityAssessmentService>(ServiceNames.QualityAssessmentEstimator);
        return services;
    }
}
