namespace ImageApi.Contracts;

/// <summary>The error strings the vendor's client is known to handle (shared/spec/README.md, "Errors").</summary>
public static class ErrorMessages
{
    public const string BadBase64 = "Failed to decode base64 string";
    public const string UnsupportedFormat = "This image format is not supported";
    public const string TooLarge = "Request body size is too large";
    public const string NotBase64 = "Image not in base64 format";
}
