using System.Collections.Concurrent;

namespace ImageApi.Orchestration;

/// <summary>
/// Which request ids were answered already, so a redelivered request (pub/sub is at-least-once) is answered once:
/// an in-memory set of recent ids in front of a record per id in the Dapr state store (shared by all orchestrator
/// replicas, kept <see cref="OrchestratorOptions.StateTtlSeconds"/>), plus the ids being processed right now.
/// </summary>
public sealed class ProcessedRequests(DaprSidecar sidecar, IOptions<OrchestratorOptions> options)
{
    private readonly RecentIds _recent = new(options.Value.ProcessedCacheSize);
    private readonly ConcurrentDictionary<string, byte> _inFlight = new(StringComparer.Ordinal);
    private readonly int _ttlSeconds = options.Value.StateTtlSeconds;

    /// <summary>False when this replica is processing the id already (a concurrent duplicate).</summary>
    public bool TryBegin(string requestId) => _inFlight.TryAdd(requestId, 0);

    public void End(string requestId) => _inFlight.TryRemove(requestId, out _);

    public async Task<bool> IsAnsweredAsync(string requestId, CancellationToken ct)
    {
        if (_recent.Contains(requestId)) return true;
        if (await sidecar.GetStateAsync(DaprNames.ProcessedKeyPrefix + requestId, ct) is null) return false;
        _recent.Add(requestId);
        return true;
    }

    public async Task MarkAnsweredAsync(string requestId, int status, CancellationToken ct)
    {
        var record = new JsonObject { ["status"] = status, ["answered_at"] = DateTimeOffset.UtcNow.ToString("O") };
        await sidecar.SaveStateAsync(DaprNames.ProcessedKeyPrefix + requestId, record, _ttlSeconds, ct);
        _recent.Add(requestId);
    }
}
