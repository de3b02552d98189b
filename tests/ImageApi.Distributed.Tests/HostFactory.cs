using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ImageApi.Distributed.Tests;

/// <summary>One app of the distributed mode, in-process.</summary>
public interface IAppHost : IDisposable
{
    /// <summary>A handler into the app (what its sidecar calls).</summary>
    HttpMessageHandler CreateHandler();

    /// <summary>A client calling the app directly (like a client through the ingress, or a probe).</summary>
    HttpClient CreateClient();
}

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
