namespace ImageApi.Contracts;

/// <summary>The two JSON dialects of the vendor contract.</summary>
public enum ApiVersion
{
    /// <summary><c>"$image": base64</c>, <c>fitter</c>/<c>angles</c>, upper-case enum values.</summary>
    V1 = 1,

    /// <summary><c>"_image": {blob, format}</c>, <c>keypoints</c>/<c>pose</c>, lower-case enum values.</summary>
    V2 = 2,
}
