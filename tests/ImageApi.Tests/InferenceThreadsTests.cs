using System.Diagnostics;
using System.Globalization;
using ImageApi.Hosting;
using ImageApi.Inference;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace ImageApi.Tests;

/// <summary>Model work runs on <see cref="InferenceThreads"/> at the configured nice value (Linux), its awaits stay
/// there, the caller resumes elsewhere, and a synchronous wait on work queued to the same threads cannot deadlock.</summary>
public sealed class InferenceThreadsTests
{
    [Fact]
    public async Task RunAsync_RunsTheWorkAndItsContinuations_AtTheConfiguredNice()
    {
        using var threads = new InferenceThreads(count: 2, nice: 7);
        var niceBefore = ThreadNice();
        var seen = new List<(string? Thread, int Nice, bool OnScheduler)>();

        await threads.RunAsync(async () =>
        {
            seen.Add(Observe(threads));
            await Task.Yield();
            seen.Add(Observe(threads));
            await Task.Delay(20);
            seen.Add(Observe(threads));
        });

        Assert.Equal(OperatingSystem.IsLinux(), threads.Enabled);
        if (threads.Enabled)
        {
            Assert.Equal(0, threads.ReniceFailures);
            Assert.All(seen, s =>
            {
                Assert.StartsWith("inference-", s.Thread);
                Assert.Equal(7, s.Nice);
                Assert.True(s.OnScheduler);
            });
            // The caller resumes on its own side, at the priority it had.
            Assert.NotEqual(threads, TaskScheduler.Current);
            Assert.False(Thread.CurrentThread.Name?.StartsWith("inference-", StringComparison.Ordinal) ?? false);
            Assert.Equal(niceBefore, ThreadNice());
        }
    }

    [Fact]
    public async Task NiceZero_RunsTheWorkWhereItIsCalled()
    {
        using var threads = new InferenceThreads(count: 2, nice: 0);
        var caller = Environment.CurrentManagedThreadId;
        var ran = -1;
        await threads.RunAsync(() =>
        {
            ran = Environment.CurrentManagedThreadId;
            return ValueTask.CompletedTask;
        });

        Assert.False(threads.Enabled);
        Assert.Equal(caller, ran);
    }

    [Fact]
    public async Task SynchronousWaitOnWorkQueuedToTheSameThreads_DoesNotDeadlock()
    {
        // One thread, already busy with the caller: Parallel.For (scheduled on TaskScheduler.Current) and a Task.Wait
        // on a task queued here can only finish by running inline.
        using var threads = new InferenceThreads(count: 1, nice: 3);
        var sum = 0;
        var work = threads.RunAsync(() =>
        {
            Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => Interlocked.Add(ref sum, i));
            Task.Factory.StartNew(() => Interlocked.Add(ref sum, 1000), CancellationToken.None, TaskCreationOptions.None,
                TaskScheduler.Current).Wait();
            return ValueTask.CompletedTask;
        });

        await work.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(64 * 63 / 2 + 1000, sum);
    }

    [Fact]
    public async Task RunAsync_SurfacesTheWorksExceptionUnchanged()
    {
        using var threads = new InferenceThreads(count: 1, nice: 3);
        var thrown = new ApiException(422, "no");
        var cancelled = new OperationCanceledException("gone");

        Assert.Same(thrown, await Assert.ThrowsAsync<ApiException>(() => threads.RunAsync(async () =>
        {
            await Task.Yield();
            throw thrown;
        })));
        Assert.Same(cancelled, await Assert.ThrowsAsync<OperationCanceledException>(() => threads.RunAsync(() => throw cancelled)));
    }

    [Fact]
    public async Task NoOtherThread_InheritsTheNice()
    {
        // A thread created by a reniced one inherits its nice value: were these threads to queue thread-pool work
        // (an answer's socket send, resuming the caller), the pool's new workers would start here and serve health
        // probes at the low priority. 11 is used by no other test.
        using var threads = new InferenceThreads(count: 2, nice: 11);
        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => threads.RunAsync(async () =>
        {
            await Task.Delay(i % 7);
            Thread.SpinWait(1000);
        })));
        // Resumed callers add more work to the pool meanwhile; let any thread it created start.
        await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(() => Thread.Sleep(20))));

        Assert.Equal(OperatingSystem.IsLinux(), threads.Enabled);
        // The runtime's tier-up JIT worker is started by whichever thread runs hot code, these included, and inherits
        // their nice value (seen in the soak, docs/reliability.md): it compiles and serves nothing, so it is let be.
        var niced = ThreadsAtNice(11).Where(t => !t.StartsWith(".NET Tiered Com", StringComparison.Ordinal)).ToList();
        Assert.All(niced, t => Assert.StartsWith("inference-", t));
        if (threads.Enabled) Assert.Equal(2, niced.Count);
    }

    private static (string?, int, bool) Observe(InferenceThreads threads) =>
        (Thread.CurrentThread.Name, ThreadNice(), TaskScheduler.Current == threads);

    /// <summary>The names of this process's threads whose nice value is <paramref name="nice"/>.</summary>
    internal static List<string> ThreadsAtNice(int nice)
    {
        var names = new List<string>();
        if (!Directory.Exists("/proc/self/task")) return names;
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(task, "stat"));
            }
            catch (IOException)
            {
                continue; // the thread exited meanwhile
            }

            if (Nice(stat) == nice) names.Add(stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')]);
        }

        return names;
    }

    /// <summary>The calling thread's nice value: field 19 of /proc/thread-self/stat (0 where there is no /proc).</summary>
    internal static int ThreadNice()
    {
        return File.Exists("/proc/thread-self/stat") ? Nice(File.ReadAllText("/proc/thread-self/stat")) : 0;
    }

    private static int Nice(string stat)
    {
        // Fields after the command name (which may hold spaces), counted from field 3 (state).
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[19 - 3], CultureInfo.InvariantCulture);
    }
}

/// <summary>A host whose model work runs at nice 13, a value no other test host uses.</summary>
public sealed class NicedImageApiFactory : ImageApiFactory
{
    public const int Nice = 13;

    protected override void ConfigureWebHost(IWebHostBuilder builder) =>
        builder.UseSetting("Reliability:InferenceNice", Nice.ToString(CultureInfo.InvariantCulture));
}

public sealed class InferenceThreadsRouteTests(NicedImageApiFactory factory) : IClassFixture<NicedImageApiFactory>
{
    [Fact]
    public async Task ServiceRequest_RunsItsModelsOnTheInferenceThreads()
    {
        var models = await ModelSpansAsync($"/{ServiceNames.FaceDetectorTemplateExtractor}/process/sample");

        Assert.NotEmpty(models); // detector and embedder at least
        if (!OperatingSystem.IsLinux()) return;
        Assert.All(models, m =>
        {
            Assert.StartsWith("inference-", m.Thread);
            Assert.Equal(NicedImageApiFactory.Nice, m.Nice);
        });
        // Answering from the pool: no worker of it was created by (and so at the nice value of) an inference thread.
        Assert.All(InferenceThreadsTests.ThreadsAtNice(NicedImageApiFactory.Nice), t => Assert.StartsWith("inference-", t));
    }

    [Fact]
    public async Task Pipeline_RunsAllItsStagesOnOneInferenceThread()
    {
        // One hop for the whole pipeline, not one per stage: consecutive stages keep one thread (and its core's cache).
        var models = await ModelSpansAsync(
            $"{PipelineEndpoints.Route}?services={ServiceNames.FaceDetectorFaceFitter},{ServiceNames.AgeEstimator},{ServiceNames.EmotionEstimator}");

        Assert.NotEmpty(models);
        if (!OperatingSystem.IsLinux()) return;
        Assert.Single(models.Select(m => m.Thread).Distinct());
        Assert.StartsWith("inference-", models[0].Thread);
        Assert.All(models, m => Assert.Equal(NicedImageApiFactory.Nice, m.Nice));
    }

    /// <summary>Sends a 2-face photo to <paramref name="route"/> and returns the model spans it started: name, thread,
    /// nice value of that thread. Model spans start on the thread that runs the model; this request's are told apart
    /// from other tests' by the trace id sent in traceparent (the ASP.NET Core source is listened to so that the request
    /// span takes it).</summary>
    private async Task<List<(string Name, string? Thread, int Nice)>> ModelSpansAsync(string route)
    {
        var traceId = ActivityTraceId.CreateRandom();
        var models = new List<(string Name, string? Thread, int Nice)>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is ImageApiTelemetry.SourceName or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStarted = a =>
            {
                if (a.TraceId != traceId || !a.DisplayName.StartsWith("model ", StringComparison.Ordinal)) return;
                lock (models) models.Add((a.DisplayName, Thread.CurrentThread.Name, InferenceThreadsTests.ThreadNice()));
            },
        };
        ActivitySource.AddActivityListener(listener);
        using var client = factory.CreateClient();
        var body = new JsonObject { ["$image"] = TestData.Base64("group/obama_and_biden.jpg") }.ToJsonString();
        using var request = new HttpRequestMessage(HttpMethod.Post, route)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");

        using var response = await client.SendAsync(request);

        Assert.Equal(200, (int)response.StatusCode);
        lock (models) return [.. models];
    }
}
