namespace ImageApi.Chart.Tests;

/// <summary>The contract the chart, dapr.yaml and tye.yaml implement (see docs/deploy.md).</summary>
internal static class Topology
{
    public const string Orchestrator = "orchestrator";
    public const string Embedded = "image-api";
    public const int ContainerPort = 8080;

    /// <summary>Service name (= route prefix, Dapr app-id, Helm services: key) and its local port.</summary>
    public static readonly IReadOnlyDictionary<string, int> LocalPorts = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        [Orchestrator] = 5100,
        ["body-detector"] = 5101,
        ["face-detector-face-fitter"] = 5102,
        ["face-detector-template-extractor"] = 5103,
        ["face-detector-liveness-estimator"] = 5104,
        ["gender-estimator"] = 5105,
        ["age-estimator"] = 5106,
        ["emotion-estimator"] = 5107,
        ["mask-estimator"] = 5108,
        ["liveness-estimator"] = 5109,
        ["quality-assessment-estimator"] = 5110,
        ["template-extractor"] = 5111,
        ["verify-matcher"] = 5112,
        ["face-identifier"] = 5113,
    };

    /// <summary>The keys of the chart's services: map: the orchestrator, the twelve services and face-identifier.</summary>
    public static IReadOnlyList<string> ChartServices { get; } = LocalPorts.Keys.ToList();

    public static TheoryData<string> All() => new(ChartServices);

    public const string PubSub = "pubsub";
    public const string StateStore = "statestore";
    public const string Configuration = "imageapi-config";
    public const string Resiliency = "imageapi-resiliency";
    public const string RequestsTopic = "image-api-requests";
    public const string RequestsRoute = "/pubsub/requests";
    public const string DeadLetterTopic = "image-api-deadletter";
    public const string GpuResource = "nvidia.com/gpu";
}
