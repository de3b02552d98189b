namespace ImageApi.Hosting;

/// <summary>Set once every model of the host is loaded and warmed up; <c>/health/ready</c> reads it.</summary>
public sealed class ReadinessState
{
    private volatile bool _ready;
    private volatile string? _failure;

    private volatile bool _stopping;

    public bool IsReady => _ready && !_stopping;
    public string? Failure => _stopping ? "Shutting down" : _failure;

    public void MarkReady() => _ready = true;
    public void MarkFailed(string reason) => _failure = reason;

    /// <summary>SIGTERM received: not ready any more, so no new traffic is routed here while in-flight work finishes.</summary>
    public void MarkStopping() => _stopping = true;
}
