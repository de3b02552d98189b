namespace ImageApi.Identification;

/// <summary>
/// Keeps this replica's index in step with changes other replicas make to the same store (PostgreSQL
/// LISTEN/NOTIFY; nothing to follow for SQLite). A lost feed ends in a <see cref="StoreChangeKind.Resync"/>: the index
/// is rebuilt from the store, so no change is missed for good.
/// </summary>
internal sealed partial class GalleryChangeFollower(Galleries galleries, ILogger<GalleryChangeFollower> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await galleries.Started.WaitAsync(stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return; // start-up failure is reported by readiness
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var change in galleries.Store.WatchAsync(stoppingToken))
                {
                    await galleries.ApplyAsync(change, stoppingToken);
                }

                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogFeedFailed(e.GetType().Name);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gallery change feed failed ({ExceptionType}); retrying")]
    private partial void LogFeedFailed(string exceptionType);
}
