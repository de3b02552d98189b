namespace ImageApi.Contracts;

/// <summary>
/// A request the service refuses, with the HTTP status and the vendor's <c>detail</c> body.
/// Thrown by any stage; the hosting layer turns it into the response.
/// </summary>
public sealed class ApiException : Exception
{
    public ApiException(int statusCode, string detail) : base(detail)
    {
        StatusCode = statusCode;
        Detail = detail;
    }

    public ApiException(IReadOnlyList<ValidationIssue> issues)
        : base(issues.Count > 0 ? issues[0].Msg : "Validation error")
    {
        StatusCode = 422;
        Detail = Message;
        Issues = issues;
    }

    public int StatusCode { get; }

    /// <summary>The string detail; for validation errors (422) see <see cref="Issues"/>.</summary>
    public string Detail { get; }

    /// <summary>FastAPI-style validation issues; null for plain string details.</summary>
    public IReadOnlyList<ValidationIssue>? Issues { get; }

    public static ApiException BadBase64() => new(400, ErrorMessages.BadBase64);
    public static ApiException UnsupportedFormat() => new(400, ErrorMessages.UnsupportedFormat);
    public static ApiException TooLarge() => new(413, ErrorMessages.TooLarge);

    public static ApiException Invalid(string msg, string type, params object[] loc) =>
        new([new ValidationIssue(["body", .. loc], msg, type)]);
}
