using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ImageApi.Distributed.Tests;

/// <summary>A host started by <see cref="WebApplicationFactory{TEntryPoint}"/> with extra settings and test services.
/// Each host's <c>Program</c> lives in its own namespace, so several hosts run in one test process.</summary>
public sealed class HostFactory<TEntryPoint>(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? testServices = null)
    : WebApplicationFactory<TEntryPoint>, IAppHost
    where TEntryPoint : class
{
    public HttpMessageHandler CreateHandler() => Server.CreateHandler();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(settings));
        if (testServices is not null) builder.ConfigureTestServices(testServices);
    }
}
