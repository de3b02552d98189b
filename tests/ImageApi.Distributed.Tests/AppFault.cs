namespace ImageApi.Distributed.Tests;

/// <summary>A fault injected at an app's process boundary: down, slow, failing with a status, or held until the test
/// releases it (<see cref="AppHold"/>).</summary>
public sealed record AppFault(bool Down = false, TimeSpan? Delay = null, int? Status = null, AppHold? Hold = null);

/// <summary>An invocation that waits at the app's boundary until <see cref="Release"/>: the caller is provably in the
/// middle of its request (<see cref="Entered"/>) for as long as the test needs, with no timing guess.</summary>
public sealed class AppHold
{
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when an invocation reaches the held app.</summary>
    public Task Entered => _entered.Task;

    public void Release() => _released.TrySetResult();

    internal async Task WaitAsync(CancellationToken ct)
    {
        _entered.TrySetResult();
        await _released.Task.WaitAsync(ct);
    }
}
