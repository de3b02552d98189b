using Dapr;

namespace ImageApi.Orchestration;

/// <summary>The sidecar's HTTP endpoint and the API token the app presents to it, resolved once at start-up with
/// Dapr's own conventions (<see cref="DaprDefaults"/>: <c>DAPR_HTTP_ENDPOINT</c>/<c>DAPR_HTTP_PORT</c>,
/// <c>DAPR_API_TOKEN</c>) unless <see cref="DaprOptions.HttpEndpoint"/> is set.</summary>
public sealed record DaprConnection(Uri HttpEndpoint, string? ApiToken)
{
    public static DaprConnection From(DaprOptions options, IConfiguration configuration)
    {
        var endpoint = string.IsNullOrWhiteSpace(options.HttpEndpoint)
            ? DaprDefaults.GetDefaultHttpEndpoint(configuration)
            : options.HttpEndpoint;
        var token = DaprDefaults.GetDefaultDaprApiToken(configuration);
        return new DaprConnection(new Uri(endpoint.TrimEnd('/') + "/"), string.IsNullOrEmpty(token) ? null : token);
    }
}
