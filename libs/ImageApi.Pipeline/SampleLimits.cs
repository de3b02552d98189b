namespace ImageApi.Pipeline;

/// <summary>Request limits, bound from the <c>Limits</c> configuration section.</summary>
public sealed class SampleLimits
{
    public const string SectionName = "Limits";

    /// <summary>Largest decoded image on detector services; larger → 413 (the vendor's 4.7 MB).</summary>
    public long MaxImageBytes { get; set; } = 4_700_000;

    /// <summary>Hard cap on every request body (base64 inflates by 4/3, plus objects and templates).</summary>
    public long MaxRequestBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Most objects accepted in one request.</summary>
    public int MaxObjects { get; set; } = 256;
}
