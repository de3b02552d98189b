namespace ImageApi.Hosting;

/// <summary>Opens and warms every registered model family in the background after start-up, then marks the host
/// ready. A model that fails to load (missing file, sha256 mismatch) keeps the host not-ready and is logged.</summary>
internal sealed partial class ModelWarmup(IEnumerable<IWarmable> warmables, ReadinessState readiness, ILogger<ModelWarmup> logger)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(() =>
    {
        try
        {
            foreach (var w in warmables)
            {
                stoppingToken.ThrowIfCancellationRequested();
                w.WarmUp();
            }

            readiness.MarkReady();
            LogReady();
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            readiness.MarkFailed(e.Message);
            LogFailed(e);
        }
    }, stoppingToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "All models loaded and warmed up: ready")]
    private partial void LogReady();

    [LoggerMessage(Level = LogLevel.Critical, Message = "Model warm-up failed; the host stays not ready")]
    private partial void LogFailed(Exception e);
}
