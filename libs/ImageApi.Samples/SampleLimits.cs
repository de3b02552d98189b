using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ImageApi.Samples;

/// <summary>Request limits, bound from the <c>Limits</c> configuration section.</summary>
public sealed class SampleLimits
{
    public const string SectionName = "Limits";

    /// <summary>Largest decoded image on detector services; larger → 413. The vendor's "4.7 MB", read the larger way
    /// (4.7 MiB = 4 928 307 bytes), so that no request the vendor's service accepts is refused here.</summary>
    [Range(1, long.MaxValue)]
    public long MaxImageBytes { get; set; } = 4_928_307;

    /// <summary>Hard cap on every request body (base64 inflates by 4/3, plus objects and templates).</summary>
    [Range(1, long.MaxValue)]
    public long MaxRequestBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Most objects accepted in one request.</summary>
    [Range(0, int.MaxValue)]
    public int MaxObjects { get; set; } = 256;
}

/// <summary>Start-up check of <see cref="SampleLimits"/>: its attributes.</summary>
[OptionsValidator]
public sealed partial class SampleLimitsValidator : IValidateOptions<SampleLimits>;
