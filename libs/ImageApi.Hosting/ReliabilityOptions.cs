using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ImageApi.Hosting;

/// <summary>Admission control, deadlines and shutdown of every host (docs/reliability.md).</summary>
public sealed class ReliabilityOptions : IValidatableObject
{
    public const string SectionName = "Reliability";

    /// <summary>Requests in model work at once (every POST route); 0 = the machine's cores.</summary>
    [Range(0, int.MaxValue)]
    public int MaxConcurrentRequests { get; set; }

    /// <summary>Requests allowed to wait for a slot; one more is answered 503 with <c>Retry-After</c> at once.
    /// -1 = twice <see cref="MaxConcurrentRequests"/>.</summary>
    [Range(-1, int.MaxValue)]
    public int MaxQueuedRequests { get; set; } = -1;

    /// <summary>Seconds a client is told to wait after a 503.</summary>
    [Range(0, int.MaxValue)]
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>Deadline of one request from arrival (body upload, queue and model work): past it the model work is
    /// cancelled and the request answered 408 (body still arriving) or 504.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>After SIGTERM: how long in-flight requests may take to finish before the process exits.</summary>
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>A body over the cap is answered 413 without being read; up to this many bytes of it are then
    /// discarded so the client, still sending, reads the 413 instead of a reset connection.</summary>
    [Range(0, long.MaxValue)]
    public long DiscardOversizedBodyBytes { get; set; } = 128L * 1024 * 1024;

    /// <summary>The nice value (1–19, Linux) of the threads that run admitted model work, so that accepting
    /// connections and health probes, at the normal priority, get a core first; 0 = model work on the shared thread
    /// pool at the normal priority (<see cref="InferenceThreads"/>).</summary>
    [Range(0, 19)]
    public int InferenceNice { get; set; } = 10;

    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        if (RequestTimeout <= TimeSpan.Zero) yield return new ValidationResult("Reliability:RequestTimeout must be positive", [nameof(RequestTimeout)]);
        if (ShutdownGrace < TimeSpan.Zero) yield return new ValidationResult("Reliability:ShutdownGrace must not be negative", [nameof(ShutdownGrace)]);
    }

    public int ConcurrencyLimit => MaxConcurrentRequests > 0 ? MaxConcurrentRequests : Environment.ProcessorCount;

    public int QueueLimit => MaxQueuedRequests >= 0 ? MaxQueuedRequests : 2 * ConcurrencyLimit;
}

/// <summary>Start-up check of <see cref="ReliabilityOptions"/>: its attributes and the deadlines.</summary>
[OptionsValidator]
public sealed partial class ReliabilityOptionsValidator : IValidateOptions<ReliabilityOptions>;
