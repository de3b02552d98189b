namespace ImageApi.Hosting;

/// <summary>Set once every model of the host is loaded and warmed up; <c>/health/ready</c> reads it.</summary>
public sealed class ReadinessState
{
    private volatile bool _ready;
    private volatile string? _failure;

    public bool IsReady => _ready;
    public string? Failure => _failure;

    public void MarkReady() => _ready = true;
    public void MarkFailed(string reason) => _failure = reason;
}
