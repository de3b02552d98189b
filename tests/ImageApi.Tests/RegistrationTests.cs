using ImageApi.Attributes;
using ImageApi.Bodies;
using ImageApi.Faces;
using ImageApi.Identification;
using ImageApi.Liveness;
using ImageApi.Quality;
using ImageApi.Samples;
using ImageApi.Templates;
using Microsoft.Extensions.DependencyInjection;

namespace ImageApi.Tests;

/// <summary>Every area's <c>AddXxx()</c> goes through the one call-once guard: calling them again, in any order (as
/// areas that need another area do), adds nothing.</summary>
public sealed class RegistrationTests
{
    private static readonly Func<IServiceCollection, IServiceCollection>[] Areas =
    [
        s => s.AddFaceFitting(), s => s.AddFaceAttributes(), s => s.AddLiveness(), s => s.AddFaceTemplates(),
        s => s.AddQualityAssessment(), s => s.AddBodyDetection(), s => s.AddIdentification(), s => s.AddTemplateVerification(),
    ];

    [Fact]
    public void EveryArea_RegistersOnce_HoweverOftenItIsAdded()
    {
        var once = new ServiceCollection();
        foreach (var add in Areas) add(once);

        var again = new ServiceCollection();
        foreach (var add in Areas.Reverse()) add(again);
        foreach (var add in Areas) add(again);
        foreach (var add in Areas) add(again);

        Assert.Equal(Describe(once), Describe(again));
        Assert.Equal(once.Count(d => d.ServiceType == typeof(IWarmable)), again.Count(d => d.ServiceType == typeof(IWarmable)));
    }

    [Fact]
    public void RegistersFirst_IsTrueOnlyTheFirstTimePerArea()
    {
        var services = new ServiceCollection();
        Assert.True(services.RegistersFirst("a"));
        Assert.False(services.RegistersFirst("a"));
        Assert.True(services.RegistersFirst("b"));
    }

    private static List<string> Describe(IServiceCollection services) =>
        [.. services.Select(d => $"{d.ServiceType.FullName}|{d.ServiceKey}|{d.Lifetime}|{d.ImplementationType?.FullName}").Order(StringComparer.Ordinal)];
}
