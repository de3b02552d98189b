using System.Diagnostics;

namespace ImageApi.Imaging;

/// <summary>
/// The image of one request: the encoded bytes, decoded lazily at the resolutions the stages ask for and cached,
/// so a request decodes each resolution at most once. Coordinates exchanged between stages are always in
/// pixels of the full-size, oriented photo (<see cref="Width"/> × <see cref="Height"/>).
/// </summary>
public sealed class ImageSource(ReadOnlyMemory<byte> bytes, ImageDecoder decoder)
{
    // Same name as ImageApiTelemetry.Source (Inference): OpenTelemetry subscribes by name, so "stage decode" spans
    // join the request's trace without this low-level library depending on the inference one.
    private static readonly ActivitySource Telemetry = new("ImageApi");

    private readonly Dictionary<int, RgbImage> _cache = [];
    private readonly Lock _gate = new();
    private ImageHeader? _header;

    public ReadOnlyMemory<byte> Bytes { get; } = bytes;

    public ImageHeader Header => _header ??= decoder.ReadHeader(Bytes);

    public int Width => Header.Width;
    public int Height => Header.Height;

    /// <summary>The photo with its long side at most <paramref name="maxLongSide"/> (0 or ≥ the photo = full size).</summary>
    public RgbImage Get(int maxLongSide)
    {
        var key = maxLongSide <= 0 || maxLongSide >= Math.Max(Width, Height) ? 0 : maxLongSide;
        lock (_gate)
        {
            if (_cache.TryGetValue(key, out var cached)) return cached;
        }

        using var activity = Telemetry.StartActivity("stage decode");
        var image = decoder.Decode(Bytes, key);
        activity?.SetTag("imageapi.image.width", image.Width).SetTag("imageapi.image.height", image.Height);
        lock (_gate)
        {
            _cache[key] = image;
        }

        return image;
    }

    /// <summary>The full-resolution photo.</summary>
    public RgbImage Full() => Get(0);

    /// <summary>
    /// The smallest cached-or-new decode in which a region of <paramref name="regionLongSide"/> original pixels is
    /// at least <paramref name="minRegionPixels"/> pixels long (capped at full size). Used by crops that need detail
    /// a detector-sized copy lacks (e.g. alignment at ≥ 2× the 112-px template).
    /// </summary>
    public RgbImage ForRegion(float regionLongSide, int minRegionPixels)
    {
        var fullLong = Math.Max(Width, Height);
        if (regionLongSide <= 0) return Full();
        var needed = (int)MathF.Ceiling(fullLong * minRegionPixels / regionLongSide);
        lock (_gate)
        {
            RgbImage? best = null;
            foreach (var img in _cache.Values)
            {
                if (img.LongSide >= Math.Min(needed, fullLong) && (best is null || img.LongSide < best.LongSide)) best = img;
            }

            if (best is not null) return best;
        }

        // Round up to a multiple of 64 so that nearby requests share one decode.
        var target = needed >= fullLong ? 0 : Math.Min(fullLong, (needed + 63) / 64 * 64);
        return Get(target);
    }
}
