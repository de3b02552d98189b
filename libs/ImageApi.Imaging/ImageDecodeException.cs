namespace ImageApi.Imaging;

/// <summary>
/// The bytes are not an image this service decodes: an unknown or unsupported format, dimensions above the configured
/// limits, or truncated/corrupt data. The message is written for the client; the hosting layer answers 400 with it
/// (<c>ApiErrors</c>), so this library needs to know nothing of HTTP.
/// </summary>
public sealed class ImageDecodeException(string message) : Exception(message);
