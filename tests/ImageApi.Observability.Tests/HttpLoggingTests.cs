using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace ImageApi.Observability.Tests;

/// <summary>ASP.NET Core's HTTP-logging middleware is the one component that can log request bodies: it stays off
/// even when the configuration asks for it.</summary>
public sealed class HttpLoggingTests
{
    [Fact]
    public async Task HttpLoggingCategory_ConfiguredAtTrace_StaysOff()
    {
        await using var root = new ImageApiFactory();
        await using var factory = root.WithWebHostBuilder(b => b
            .UseSetting("Logging:LogLevel:Microsoft.AspNetCore.HttpLogging", "Trace")
            .UseSetting("Logging:LogLevel:Microsoft.AspNetCore.HttpLogging.HttpLoggingMiddleware", "Trace")
            .UseSetting("Logging:LogLevel:Microsoft.AspNetCore.Routing", "Trace"));
        var loggers = factory.Services.GetRequiredService<ILoggerFactory>();

        Assert.False(loggers.CreateLogger("Microsoft.AspNetCore.HttpLogging.HttpLoggingMiddleware").IsEnabled(LogLevel.Critical));
        // Positive control: the same kind of setting does switch a neighbouring ASP.NET category to Trace.
        Assert.True(loggers.CreateLogger("Microsoft.AspNetCore.Routing.EndpointMiddleware").IsEnabled(LogLevel.Trace));
    }
}
