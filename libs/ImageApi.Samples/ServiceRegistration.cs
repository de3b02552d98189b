using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;

namespace ImageApi.Samples;

/// <summary>Registration helpers used by the area libraries' <c>AddXxx()</c> extensions.</summary>
public static class ServiceRegistration
{
    /// <summary>Registers <typeparamref name="T"/> as the keyed <see cref="IImageApiService"/> for <paramref name="name"/>.</summary>
    public static IServiceCollection AddImageApiService<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] T>(this IServiceCollection services, string name)
        where T : class, IImageApiService
    {
        services.AddSingleton<T>();
        services.AddKeyedSingleton<IImageApiService>(name, (sp, _) => sp.GetRequiredService<T>());
        return services;
    }

    /// <summary>Registers a model-family wrapper as a singleton that is warmed up at start-up.</summary>
    public static IServiceCollection AddWarmable<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] T>(this IServiceCollection services)
        where T : class, IWarmable
    {
        if (services.Any(d => d.ServiceType == typeof(T))) return services;
        services.AddSingleton<T>();
        services.AddSingleton<IWarmable>(sp => sp.GetRequiredService<T>());
        return services;
    }
}
