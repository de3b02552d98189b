using ImageApi.Imaging;
using ImageApi.Inference;
using ImageApi.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ImageApi.Hosting.DemoPage;

namespace ImageApi.Hosting;

/// <summary>The shared service defaults every host calls: options, limits, models, errors, health, OpenAPI.</summary>
public static class ImageApiDefaults
{
    public static WebApplicationBuilder AddImageApiDefaults(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<InferenceOptions>().BindConfiguration(InferenceOptions.SectionName).ValidateOnStart();
        services.AddOptions<ModelOptions>().BindConfiguration(ModelOptions.SectionName);
        services.AddOptions<SampleLimits>().BindConfiguration(SampleLimits.SectionName);
        services.AddOptions<DecoderOptions>().BindConfiguration(DecoderOptions.SectionName);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<SampleLimits>>().Value);
        services.AddSingleton(sp => new ImageDecoder(sp.GetRequiredService<IOptions<DecoderOptions>>().Value));
        services.AddSingleton<SampleParser>();
        services.AddSingleton<ModelCatalog>();
        services.AddSingleton<ReadinessState>();
        services.AddSingleton<HostedServices>();
        services.AddHostedService<ModelWarmup>();
        services.AddOpenApi(o => o.AddImageApiReference()); // descriptions and runnable examples (DemoPage/ApiReference.cs)

        var maxBody = builder.Configuration.GetValue<long?>($"{SampleLimits.SectionName}:{nameof(SampleLimits.MaxRequestBytes)}")
                      ?? new SampleLimits().MaxRequestBytes;
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = maxBody;
            // Slow-loris protection: a client must keep sending.
            k.Limits.MinRequestBodyDataRate = new Microsoft.AspNetCore.Server.Kestrel.Core.MinDataRate(240, TimeSpan.FromSeconds(10));
        });
        services.Configure<Microsoft.AspNetCore.Http.Features.FormOptions>(f => f.MultipartBodyLengthLimit = maxBody);
        builder.Services.AddImageApiTelemetry(builder.Configuration, builder.Environment.ApplicationName);
        return builder;
    }

    public static WebApplication MapImageApiDefaults(this WebApplication app)
    {
        app.UseMiddleware<ErrorHandlingMiddleware>();
        app.MapGet("/health/live", () => Results.Text("Healthy")).WithTags("health").ExcludeFromDescription();
        app.MapGet("/health/ready", (ReadinessState state) => state.IsReady
                ? Results.Text("Healthy")
                : Results.Text(state.Failure is null ? "Loading models" : "Unhealthy: " + state.Failure, statusCode: 503))
            .WithTags("health").ExcludeFromDescription();
        app.MapGet("/info", InfoEndpoint.HandleAsync).WithTags("info");
        app.MapOpenApi();
        app.MapImageApiReference(); // GET /docs
        app.MapDemoPage();          // GET /: drop a photo, see the answers drawn (docs/demo.md)
        return app;
    }
}
