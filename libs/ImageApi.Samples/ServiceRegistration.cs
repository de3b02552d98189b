using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

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

    /// <summary>
    /// The one call-once guard of the areas' <c>AddXxx()</c> extensions: true the first time <paramref name="area"/> is
    /// registered in <paramref name="services"/>, false after. Areas that need another area (liveness needs the
    /// fitting stage) call its <c>AddXxx()</c> freely; options, validators and services are added once.
    /// </summary>
    public static bool RegistersFirst(this IServiceCollection services, string area)
    {
        ArgumentException.ThrowIfNullOrEmpty(area);
        if (services.Any(d => d.IsKeyedService && d.ServiceType == typeof(RegisteredArea) && Equals(d.ServiceKey, area))) return false;
        services.AddKeyedSingleton(area, new RegisteredArea());
        return true;
    }

    /// <summary>Marks an area as registered (<see cref="RegistersFirst"/>); nothing resolves it.</summary>
    public sealed class RegisteredArea;

    /// <summary>
    /// The one way options are checked: by their source-generated <paramref name="validator"/> (<c>[OptionsValidator]</c>:
    /// the DataAnnotations attributes and <c>IValidatableObject</c>) when the host starts, so a bad setting fails the
    /// start with a message naming it instead of the first request.
    /// </summary>
    public static OptionsBuilder<TOptions> ValidateOnStart<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>(
        this OptionsBuilder<TOptions> options, IValidateOptions<TOptions> validator)
        where TOptions : class
    {
        options.Services.AddSingleton(validator);
        return options.ValidateOnStart();
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
