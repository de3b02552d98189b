using System.Security.Cryptography;
using System.Text;
using Dapr;
using ImageApi.Hosting;

namespace ImageApi.Orchestration;

/// <summary>
/// Only the app's own sidecar may call it: when <c>APP_API_TOKEN</c> is set, the sidecar sends it as
/// <c>dapr-api-token</c> on every call and a call without it gets 401. Health probes (kubelet, not the sidecar)
/// stay open.
/// </summary>
public static class DaprAppToken
{
    /// <summary>Requires the token on every route but <c>/health/*</c> (the single-service hosts: only their sidecar
    /// calls them).</summary>
    public static WebApplication UseDaprAppToken(this WebApplication app)
    {
        var expected = Expected(app.Configuration);
        if (expected is null) return app;
        app.Use(async (http, next) =>
        {
            if (http.Request.Path.StartsWithSegments("/health") || IsValid(http, expected))
            {
                await next(http);
                return;
            }

            await RejectAsync(http);
        });
        return app;
    }

    /// <summary>Requires the token on these endpoints only (the orchestrator's Dapr callbacks; its vendor routes are
    /// called by clients through the ingress).</summary>
    public static TBuilder RequireDaprAppToken<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        // The sidecar carries no client API key: the app token is this route's credential instead.
        builder.WithMetadata(new AllowWithoutApiKeyAttribute()).AddEndpointFilter(async (context, next) =>
        {
            var expected = Expected(context.HttpContext.RequestServices.GetRequiredService<IConfiguration>());
            if (expected is null || IsValid(context.HttpContext, expected)) return await next(context);
            await RejectAsync(context.HttpContext);
            return Results.Empty;
        });

    private static byte[]? Expected(IConfiguration configuration) =>
        DaprDefaults.GetDefaultAppApiToken(configuration) is { Length: > 0 } token ? Encoding.UTF8.GetBytes(token) : null;

    private static bool IsValid(HttpContext http, byte[] expected) =>
        http.Request.Headers.TryGetValue(DaprNames.ApiTokenHeader, out var sent)
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(sent.ToString()), expected);

    private static Task RejectAsync(HttpContext http) =>
        JsonResponse.WriteAsync(http.Response, StatusCodes.Status401Unauthorized,
            ErrorBody.Detail("Missing or wrong dapr-api-token: this app only accepts calls from its Dapr sidecar"), http.RequestAborted);
}
