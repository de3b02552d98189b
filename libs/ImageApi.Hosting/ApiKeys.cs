using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace ImageApi.Hosting;

/// <summary>Optional API keys (off unless hashes are configured; docs/reliability.md).</summary>
public sealed class ApiKeyOptions : IValidatableObject
{
    public const string SectionName = "ApiKeys";

    /// <summary>Hex SHA-256 hashes of the accepted keys, one key per hash (<c>ApiKeys__Sha256__0=…</c>): several, so a
    /// key can be rotated without downtime. Only hashes are configured, so a leaked configuration leaks no key.</summary>
    public string[] Sha256 { get; set; } = [];

    /// <summary>The configured hashes, parsed; empty = API keys off.</summary>
    public IReadOnlyList<byte[]> Hashes() =>
    [
        .. Sha256.Select(h => h.Trim())
            .Select(h => h.Length == 2 * SHA256.HashSizeInBytes ? Convert.FromHexString(h) : throw new FormatException()),
    ];

    /// <summary>Runs before binding (<see cref="ListSetting"/>): a single value, the former comma-separated form, is
    /// refused; the binder would drop it and silently turn the keys off.</summary>
    public static void ClearConfiguredLists(ApiKeyOptions options, IConfiguration configuration)
    {
        if (ListSetting.IsConfigured<ApiKeyOptions>(configuration.GetSection(SectionName), nameof(Sha256))) options.Sha256 = [];
    }

    /// <summary>For ValidateOnStart: a mistyped hash fails the start, not every request.</summary>
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        try
        {
            Hashes();
        }
        catch (FormatException)
        {
            return [new ValidationResult("ApiKeys:Sha256: each entry must be 64 hex digits (a SHA-256 hash)", [nameof(Sha256)])];
        }

        return [];
    }
}

/// <summary>Start-up check of <see cref="ApiKeyOptions"/>: every configured hash parses.</summary>
[OptionsValidator]
public sealed partial class ApiKeyOptionsValidator : IValidateOptions<ApiKeyOptions>;

/// <summary>Marks an endpoint that never asks for an API key (e.g. a Dapr callback, guarded by the app token instead).</summary>
public sealed class AllowWithoutApiKeyAttribute : Attribute;

/// <summary>
/// When keys are configured, every route but <c>/health/*</c>, the API docs and endpoints marked
/// <see cref="AllowWithoutApiKeyAttribute"/> needs one, sent as <c>X-API-Key</c> or <c>Authorization: Bearer</c>;
/// otherwise 401 in the vendor's <c>detail</c> format. <c>/info</c> needs one too: it names model files and versions.
/// </summary>
internal sealed class ApiKeyGate(RequestDelegate next, IOptions<ApiKeyOptions> options)
{
    public const string HeaderName = "X-API-Key";

    private readonly IReadOnlyList<byte[]> _hashes = options.Value.Hashes();

    public Task InvokeAsync(HttpContext http)
    {
        if (_hashes.Count == 0 || IsOpen(http) || IsValid(http)) return next(http);
        http.Response.Headers.WWWAuthenticate = "Bearer";
        throw new ApiException(StatusCodes.Status401Unauthorized, ReliabilityErrors.ApiKey);
    }

    private static bool IsOpen(HttpContext http)
    {
        var path = http.Request.Path;
        return path.StartsWithSegments("/health") || path.StartsWithSegments("/docs") || path.StartsWithSegments("/openapi")
               || path == "/" || http.GetEndpoint()?.Metadata.GetMetadata<AllowWithoutApiKeyAttribute>() is not null;
    }

    private bool IsValid(HttpContext http)
    {
        var key = http.Request.Headers[HeaderName].ToString();
        if (key.Length == 0)
        {
            var auth = http.Request.Headers[HeaderNames.Authorization].ToString();
            if (auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) key = auth["Bearer ".Length..].Trim();
        }

        if (key.Length == 0) return false;
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(key), hash);
        // Every configured hash is compared, each in constant time: neither timing nor position tells which matched.
        var match = false;
        foreach (var expected in _hashes) match |= CryptographicOperations.FixedTimeEquals(hash, expected);
        return match;
    }
}
