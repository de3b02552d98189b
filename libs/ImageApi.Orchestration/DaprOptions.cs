namespace ImageApi.Orchestration;

/// <summary>How the app reaches its Dapr sidecar, bound from the <c>Dapr</c> configuration section.</summary>
public sealed class DaprOptions
{
    public const string SectionName = "Dapr";

    public string PubSubName { get; set; } = DaprNames.PubSub;

    public string StateStoreName { get; set; } = DaprNames.StateStore;

    /// <summary>The sidecar's HTTP endpoint. Empty: Dapr's own convention (<c>DAPR_HTTP_ENDPOINT</c>, else
    /// <c>http://127.0.0.1:$DAPR_HTTP_PORT</c>, port 3500 by default).</summary>
    public string HttpEndpoint { get; set; } = "";
}
