using Microsoft.Extensions.DependencyInjection;

namespace ImageApi.Quality;

/// <summary>DI registration of the quality assessment.</summary>
public static class QualityRegistration
{
    public static IServiceCollection AddQualityAssessment(this IServiceCollection services) => services;
}
