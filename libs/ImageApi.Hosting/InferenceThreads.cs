using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace ImageApi.Hosting;

/// <summary>
/// The threads that run model work (<see cref="IImageApiService.ProcessAsync"/>: decode, pre-processing, ONNX Runtime
/// runs, which with the default one intra-op thread run on the calling thread) at a lower OS priority than the rest
/// of the process, so that accepting connections and answering <c>/health/live</c> never queue behind inference for
/// a core (issue 20: on a 2-core VM with both cores in models, 2 of 1 168 liveness probes took over 100 ms).
/// <para>
/// On Linux the nice value is a per-thread attribute; an unprivileged thread can raise its own but never lower it
/// again (containers have no CAP_SYS_NICE), and a thread it creates inherits it. So the shared thread pool is never
/// reniced: these are <see cref="ReliabilityOptions.ConcurrencyLimit"/> dedicated, long-lived threads (one per
/// admitted request), each reniced once when it starts, with a <see cref="TaskScheduler"/> over them; the work's
/// awaits come back here (an <c>await</c> captures a non-default <see cref="TaskScheduler.Current"/>).
/// </para>
/// <para>
/// Only the model work runs here, not the whole request: writing the answer (Kestrel queues the socket send to the
/// thread pool) from one of these threads lets the pool create its next worker here, and that worker, inheriting the
/// nice value, would then serve health probes at the low priority — the first version, which ran the gate's
/// <c>next(http)</c> here, did exactly that in its test. For the same reason the caller is resumed by a relay thread
/// at the normal priority (<c>inference-done</c>), not from here.
/// </para>
/// <para>
/// Elsewhere than Linux, or with <see cref="ReliabilityOptions.InferenceNice"/> 0, no threads are started and the
/// work runs where it is called, as before.
/// </para>
/// </summary>
public sealed partial class InferenceThreads : TaskScheduler, IDisposable
{
    private readonly BlockingCollection<Task> _queue = [];
    private readonly BlockingCollection<(TaskCompletionSource Done, Exception? Error)> _finished = [];
    private readonly Thread[] _threads;
    private readonly Thread? _relay;
    private readonly ILogger<InferenceThreads>? _logger;
    private int _reniceFailures;

    [ThreadStatic] private static InferenceThreads? t_owner;

    /// <param name="count">Threads to start: the admission limit, so every admitted request has one.</param>
    /// <param name="nice">The nice value each thread sets on itself (1–19); 0 starts none (work runs inline).</param>
    /// <param name="logger">Told when a thread could not lower its priority.</param>
    public InferenceThreads(int count, int nice, ILogger<InferenceThreads>? logger = null)
    {
        _logger = logger;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfNegative(nice);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(nice, 19);
        Nice = nice;
        _threads = nice > 0 && OperatingSystem.IsLinux() ? new Thread[count] : [];
        for (var i = 0; i < _threads.Length; i++)
        {
            // Background: a thread left waiting never holds the process open; in-flight work is finished by the
            // host's shutdown grace, which waits for the requests, not for these threads.
            _threads[i] = new Thread(Work) { IsBackground = true, Name = $"inference-{i}" };
            _threads[i].UnsafeStart();
        }

        if (_threads.Length > 0)
        {
            _relay = new Thread(Relay) { IsBackground = true, Name = "inference-done" };
            _relay.UnsafeStart();
        }
    }

    /// <summary>The nice value asked for (0: off).</summary>
    public int Nice { get; }

    /// <summary>Whether work is moved to dedicated lower-priority threads at all (Linux, <see cref="Nice"/> &gt; 0).</summary>
    public bool Enabled => _threads.Length > 0;

    /// <summary>Threads whose <c>setpriority</c> failed (they still run the work, at the normal priority).</summary>
    public int ReniceFailures => Volatile.Read(ref _reniceFailures);

    public override int MaximumConcurrencyLevel => Math.Max(1, _threads.Length);

    /// <summary>
    /// Runs <paramref name="work"/> on these threads and completes when it has; already on one of them (a service
    /// that calls another), it runs inline. The caller resumes on the thread pool at the normal priority. Exceptions
    /// surface unchanged (the same object, as with a direct await).
    /// </summary>
    public Task RunAsync(Func<ValueTask> work)
    {
        if (!Enabled || t_owner == this) return work().AsTask();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = Task.Factory.StartNew(async () =>
        {
            Exception? error = null;
            try
            {
                await work();
            }
            catch (Exception e)
            {
                error = e;
            }

            try
            {
                _finished.Add((done, error));
            }
            catch (InvalidOperationException)
            {
                Complete(done, error); // disposed meanwhile: the relay is gone
            }
        }, CancellationToken.None, TaskCreationOptions.DenyChildAttach, this);
        return done.Task;
    }

    /// <summary>As <see cref="RunAsync(Func{ValueTask})"/>, with a result.</summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> work)
    {
        if (!Enabled || t_owner == this) return await work();
        T result = default!;
        await RunAsync(async ValueTask () => result = await work());
        return result;
    }

    protected override void QueueTask(Task task) => _queue.Add(task);

    // Inlining on one of our own threads is what keeps a synchronous wait on work queued here (Parallel.For over
    // TaskScheduler.Current, a Task.Wait) from deadlocking when every thread is busy. Elsewhere: queue it.
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) =>
        t_owner == this && TryExecuteTask(task);

    protected override IEnumerable<Task> GetScheduledTasks() => _queue.ToArray();

    public void Dispose()
    {
        _queue.CompleteAdding();
        _finished.CompleteAdding();
    }

    private void Work()
    {
        t_owner = this;
        if (!Renice(out var error))
        {
            Interlocked.Increment(ref _reniceFailures);
            if (_logger is not null) LogReniceFailed(_logger, Thread.CurrentThread.Name, Nice, error);
        }

        foreach (var task in _queue.GetConsumingEnumerable()) TryExecuteTask(task);
    }

    private bool Renice(out string error)
    {
        try
        {
            // who = 0 is the calling thread on Linux (NPTL: the nice value is per thread), never the whole process.
            var ok = SetPriority(PrioProcess, 0, Nice) == 0;
            error = ok ? "" : "errno " + Marshal.GetLastPInvokeError().ToString(System.Globalization.CultureInfo.InvariantCulture);
            return ok;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // An unusual libc: the work still runs, at the normal priority; a thread that threw here would end the process.
            error = e.GetType().Name;
            return false;
        }
    }

    private void Relay()
    {
        foreach (var (done, error) in _finished.GetConsumingEnumerable()) Complete(done, error);
    }

    private static void Complete(TaskCompletionSource done, Exception? error)
    {
        if (error is null) done.SetResult();
        else done.SetException(error);
    }

    private const int PrioProcess = 0;

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Thread} could not set its nice value to {Nice} ({Error}): model work runs at the normal priority")]
    private static partial void LogReniceFailed(ILogger logger, string? thread, int nice, string error);

    [LibraryImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static partial int SetPriority(int which, int who, int prio);
}
