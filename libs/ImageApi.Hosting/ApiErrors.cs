using ImageApi.Imaging;

namespace ImageApi.Hosting;

/// <summary>
/// The one place where the libraries' domain errors become the vendor's answers: an <see cref="ApiException"/> as it
/// is, an <see cref="ImageDecodeException"/> as 400 with its message; anything else is not the client's fault (null).
/// Used by the HTTP error middleware and by the pub/sub request handler.
/// </summary>
public static class ApiErrors
{
    public static ApiException? From(Exception e) => e switch
    {
        ApiException api => api,
        ImageDecodeException decode => new ApiException(400, decode.Message),
        _ => null,
    };
}
