namespace ImageApi.Orchestration;

/// <summary>
/// The Dapr names of the distributed mode, defined once: the same names as components/, dapr.yaml, tye.yaml and the
/// Helm chart (app-id = service name, see <see cref="ImageApi.Contracts.ServiceNames"/>).
/// </summary>
public static class DaprNames
{
    /// <summary>Pub/sub component (default of <see cref="DaprOptions.PubSubName"/>).</summary>
    public const string PubSub = "pubsub";

    /// <summary>State store component (default of <see cref="DaprOptions.StateStoreName"/>).</summary>
    public const string StateStore = "statestore";

    /// <summary>Work for the orchestrator: CloudEvents whose data is a request (see docs/distributed.md).</summary>
    public const string RequestsTopic = "image-api-requests";

    /// <summary>One answer per request id.</summary>
    public const string ResultsTopic = "image-api-results";

    /// <summary>Requests that can never be processed (dropped by the orchestrator; Dapr forwards them here).</summary>
    public const string DeadLetterTopic = "image-api-deadletter";

    /// <summary>The orchestrator's route for <see cref="RequestsTopic"/>.</summary>
    public const string RequestsRoute = "/pubsub/requests";

    /// <summary>Where the sidecar asks an app for its programmatic subscriptions.</summary>
    public const string SubscribeRoute = "/dapr/subscribe";

    /// <summary>Header carrying the app token (sidecar → app, env <see cref="AppApiTokenVariable"/>) and the API
    /// token (app → sidecar, env <c>DAPR_API_TOKEN</c>).</summary>
    public const string ApiTokenHeader = "dapr-api-token";

    /// <summary>The token the sidecar presents to its app; the app refuses calls without it when it is set.</summary>
    public const string AppApiTokenVariable = "APP_API_TOKEN";

    /// <summary>State-store key prefix of the idempotency record of a request id.</summary>
    public const string ProcessedKeyPrefix = "image-api-request-";

    /// <summary>State-store key prefix of a result too large to travel inline.</summary>
    public const string ResultKeyPrefix = "image-api-result-";
}
