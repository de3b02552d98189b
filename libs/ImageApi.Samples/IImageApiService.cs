namespace ImageApi.Samples;

/// <summary>
/// One of the twelve vendor services. It reads the request's sample and fills <c>objects</c> (or other fields it
/// owns) in place; everything it does not own stays as the client sent it.
/// Implementations are registered as keyed singletons under their service name (a
/// <see cref="ImageApi.Contracts.ServiceNames"/> constant, given once, at registration).
/// </summary>
public interface IImageApiService
{
    /// <summary>False for services that work on templates only (verify-matcher).</summary>
    bool NeedsImage => true;

    ValueTask ProcessAsync(Sample sample, CancellationToken ct);
}
