using ImageApi.Imaging;
using ImageApi.Inference;
using Microsoft.Extensions.Options;
using ImageApi.Hosting.DemoPage;
using System.Threading.RateLimiting;

namespace ImageApi.Hosting;

/// <summary>The shared service defaults every host calls: options, limits, models, errors, health, OpenAPI.</summary>
public static class ImageApiDefaults
{
    public static WebApplicationBuilder AddImageApiDefaults(this WebApplicationBuilder builder)
    {
        PerformanceProfile.Apply(builder.Configuration, builder.Configuration);
        var services = builder.Services;
        services.AddOptions<InferenceOptions>().BindConfiguration(InferenceOptions.SectionName).ValidateOnStart(new InferenceOptionsValidator());
        // No rule to check: the folder is resolved (and its absence reported) when the catalog loads.
        services.AddOptions<ModelOptions>().BindConfiguration(ModelOptions.SectionName);
        services.AddOptions<SampleLimits>().BindConfiguration(SampleLimits.SectionName).ValidateOnStart(new SampleLimitsValidator());
        services.AddOptions<DecoderOptions>().BindConfiguration(DecoderOptions.SectionName).ValidateOnStart(new DecoderOptionsValidator());
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<SampleLimits>>().Value);
        services.AddSingleton(sp => new ImageDecoder(sp.GetRequiredService<IOptions<DecoderOptions>>().Value));
        services.AddSingleton<SampleParser>();
        services.AddSingleton<ModelCatalog>();
        services.AddSingleton<ReadinessState>();
        services.AddSingleton<HostedServices>();
        services.AddHostedService<ModelWarmup>();
        services.AddOpenApi(o => o.AddImageApiReference()); // descriptions and runnable examples (DemoPage/ApiReference.cs)
        services.AddOptions<ReliabilityOptions>().BindConfiguration(ReliabilityOptions.SectionName).ValidateOnStart(new ReliabilityOptionsValidator());
        services.AddOptions<ApiKeyOptions>()
            .Configure<IConfiguration>(ApiKeyOptions.ClearConfiguredLists)
            .BindConfiguration(ApiKeyOptions.SectionName)
            .ValidateOnStart(new ApiKeyOptionsValidator());
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<ReliabilityOptions>>().Value;
            return new ConcurrencyLimiter(new ConcurrencyLimiterOptions
            {
                PermitLimit = o.ConcurrencyLimit,
                QueueLimit = o.QueueLimit,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            });
        });
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<ReliabilityOptions>>().Value;
            return new InferenceThreads(o.ConcurrencyLimit, o.InferenceNice, sp.GetRequiredService<ILogger<InferenceThreads>>());
        });
        var reliability = builder.Configuration.GetSection(ReliabilityOptions.SectionName).Get<ReliabilityOptions>() ?? new ReliabilityOptions();
        // SIGTERM: Kestrel stops accepting and the host waits this long for in-flight requests, then exits 0.
        services.Configure<HostOptions>(h => h.ShutdownTimeout = reliability.ShutdownGrace);
        // Model work blocks its thread-pool thread; with only ProcessorCount threads at hand, health probes and I/O
        // would wait for the pool's slow thread injection behind a full house (issue 20: /health/live 2.3 s at p99).
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, reliability.ConcurrencyLimit + Environment.ProcessorCount + 4), io);

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
        if (app.Configuration.GetValue<bool>(ServerTimingMiddleware.StageTimingsSetting)) ServerTimingMiddleware.EnableStageTimings();
        app.UseMiddleware<ServerTimingMiddleware>();
        app.UseMiddleware<ApiKeyGate>();
        app.UseMiddleware<RequestGate>();
        // Out of the load balancer as soon as shutdown starts, while in-flight requests finish.
        var readiness = app.Services.GetRequiredService<ReadinessState>();
        app.Lifetime.ApplicationStopping.Register(readiness.MarkStopping);
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
