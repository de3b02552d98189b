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

    // Decodes of an exact size (Get), and decodes at the decoder's own scales (ForRegion), by long side.
    private readonly Dictionary<int, RgbImage> _exact = [];
    private readonly Dictionary<int, RgbImage> _scaled = [];
    private readonly HashSet<int> _windowed = [];
    // Parts of area copies below the base (ForRegion with an area), by long side, until the whole copy is made.
    private readonly Dictionary<int, RgbImage> _areaParts = [];
    private int[]? _decodable;
    private readonly Lock _gate = new();
    private ImageHeader? _header;

    public ReadOnlyMemory<byte> Bytes { get; } = bytes;

    public ImageHeader Header => _header ??= decoder.ReadHeader(Bytes);

    /// <summary>Per-face model results already computed for this image (shared by the stages of a pipeline).</summary>
    public FaceResults Faces { get; } = new();

    public int Width => Header.Width;
    public int Height => Header.Height;

    /// <summary>The photo with its long side at most <paramref name="maxLongSide"/> (0 or ≥ the photo = full size).
    /// Made by one fixed rule — the smallest decoder scale that holds it (<see cref="AtLeast"/>), shrunk — never from
    /// whatever other decode happens to be cached: the pixels of a given size must not depend on which stages ran
    /// before (templates are compared byte for byte across routes).</summary>
    public RgbImage Get(int maxLongSide)
    {
        var key = maxLongSide <= 0 || maxLongSide >= Math.Max(Width, Height) ? 0 : maxLongSide;
        if (key == 0) return Cached(_exact, 0, () => decoder.Decode(Bytes, 0));
        // The smallest decoder scale that holds the size, shrunk: that decode is shared with ForRegion's crops. Taken
        // first, so its span and the shrink's are siblings under the stage that asked (not one inside the other).
        var scaled = AtLeast(key);
        return Cached(_exact, key, () => ImageDecoder.Shrink(scaled, Header, key));
    }

    /// <summary>
    /// The pixels of <see cref="Get"/>(<paramref name="maxLongSide"/>) that sampling <paramref name="region"/> reads
    /// (original pixels; <see cref="Box.SampledArea"/> for a crop that reaches outside the photo), the same bytes, as a
    /// window of that image (<see cref="RgbImage.OriginX"/>): where that image is a large decode (above the shared
    /// one, over 16 MB) — a small face's template or liveness crop of a large photo — only the face's part is decoded
    /// (and resized), not the photo's hundred megabytes. Where it is cheap or already made, for a second window of it,
    /// or where the photo is not a JPEG stored upright, it is the whole image.
    /// </summary>
    public RgbImage Window(int maxLongSide, Box region)
    {
        var fullLong = Math.Max(Width, Height);
        var key = maxLongSide <= 0 || maxLongSide >= fullLong ? 0 : maxLongSide;
        // A second window of the same decode (another face) makes the whole one instead: a JPEG has no random
        // access, every window pays the entropy decoding of the rows above it, so one window per image is the saving.
        lock (_gate)
        {
            if (_exact.TryGetValue(key, out var made)) return made;
            if (!_windowed.Add(key)) key = -1;
        }

        if (key < 0 || (key != 0 && key <= BaseLongSide)) return Get(maxLongSide);
        // The size Get(key) has (ImageDecoder.Shrink's rounding); a window only where that image is a large one.
        var f = key == 0 ? 1f : key / (float)fullLong;
        int tw = key == 0 ? Width : Math.Max(1, (int)MathF.Round(Width * f));
        int th = key == 0 ? Height : Math.Max(1, (int)MathF.Round(Height * f));
        if ((long)tw * th * 3 <= PixelBuffers.MaxPooledLength) return Get(maxLongSide);
        // The part of it the region covers, with a few pixels for the bilinear neighbours and the rounding of the
        // caller's own mapping.
        var x0 = (int)MathF.Floor(region.X1 * f);
        var y0 = (int)MathF.Floor(region.Y1 * f);
        var wanted = new Window(x0, y0, (int)MathF.Ceiling(region.X2 * f) - x0, (int)MathF.Ceiling(region.Y2 * f) - y0).Grow(RegionMargin, tw, th);
        if (wanted.Width <= 0 || wanted.Height <= 0) return Get(key);

        using var activity = Telemetry.StartActivity("stage decode");
        RgbImage? window;
        if (key == 0)
        {
            window = decoder.DecodeWindow(Bytes, 0, (_, _) => wanted);
        }
        else
        {
            // Get(key) is the decoder scale that holds it, shrunk (AtLeast, then Shrink): decode the source pixels
            // the wanted part of the shrink reads, shrink only those — where the shrink is plain bilinear.
            var decodeSide = ScaleAbove(key);
            var source = decoder.DecodeWindow(Bytes, decodeSide, (sw, sh) =>
                MipmapResize.NeedsMipmaps(sw, sh, tw, th) ? default : MipmapResize.SourceWindow(sw, sh, tw, th, wanted));
            var shrunk = source is null ? null
                : source.FullWidth == tw && source.FullHeight == th ? source
                : MipmapResize.ResizeWindow(source, tw, th, wanted);
            window = shrunk is null ? null
                : RgbImage.Window(shrunk.Width, shrunk.Height, shrunk.Pixels, tw / (float)Width, shrunk.OriginX, shrunk.OriginY, tw, th);
        }

        if (window is null) return Get(key);
        activity?.SetTag("imageapi.image.width", window.Width).SetTag("imageapi.image.height", window.Height);
        return window;
    }

    /// <summary>Pixels added around a <see cref="Window"/>'s region.</summary>
    private const int RegionMargin = 4;

    /// <summary>The full-resolution photo.</summary>
    public RgbImage Full() => Get(0);

    /// <summary>
    /// The cheapest decode in which a region of <paramref name="regionLongSide"/> original pixels is at least
    /// <paramref name="minRegionPixels"/> pixels long (capped at full size): the smallest of the decoder's own scales
    /// (<see cref="ImageDecoder.DecodableLongSides"/>) that is large enough, decoded once per image and shared. The
    /// choice depends on the region only — never on which decodes earlier stages happened to make — so a crop is the
    /// same pixels whether a stage runs alone, in a pipeline or in its own process.
    /// </summary>
    public RgbImage ForRegion(float regionLongSide, int minRegionPixels) =>
        regionLongSide <= 0 ? Full() : AtLeast(LongSideFor(regionLongSide, minRegionPixels));

    /// <summary>The long side of a decode in which a region of <paramref name="regionLongSide"/> original pixels is
    /// <paramref name="minRegionPixels"/> long.</summary>
    private int LongSideFor(float regionLongSide, int minRegionPixels) =>
        (int)MathF.Ceiling(Math.Max(Width, Height) * minRegionPixels / regionLongSide);

    /// <summary>The size of the area copy of <paramref name="shared"/> (the <see cref="Base"/> decode) with long side
    /// <paramref name="side"/>.</summary>
    private (int Width, int Height) AreaCopySize(int side, RgbImage shared)
    {
        var f = side / (float)Math.Max(Width, Height);
        return (Math.Clamp((int)MathF.Round(Width * f), 1, shared.Width), Math.Clamp((int)MathF.Round(Height * f), 1, shared.Height));
    }

    /// <summary>
    /// <see cref="ForRegion(float, int)"/> for a crop that reads only <paramref name="area"/> (original pixels;
    /// <see cref="Box.SampledArea"/> where the crop reaches outside the photo). Where that decode is an area copy of the
    /// <see cref="Base"/> decode that no crop has asked for yet, only the part of it around the area is made — the same
    /// bytes, as a window of that copy (<see cref="RgbImage.OriginX"/>): the fitter's landmark and pose crops of a
    /// 1-face photo each read a part of their copy. A later crop outside that part makes the whole copy, which then
    /// serves every crop.
    /// </summary>
    public RgbImage ForRegion(float regionLongSide, int minRegionPixels, Box area)
    {
        if (regionLongSide <= 0) return Full();
        var needed = LongSideFor(regionLongSide, minRegionPixels);
        var side = Decodable.FirstOrDefault(s => s >= needed);
        // Only the area copies below the base are made in parts (larger decodes: Window).
        if (side == 0 || side >= BaseLongSide) return AtLeast(needed);

        var shared = Base();
        var f = side / (float)Math.Max(Width, Height);
        // The copy's size as AtLeast makes it, and the part of it the crop reads (with room for bilinear neighbours).
        var (w, h) = AreaCopySize(side, shared);
        var x0 = (int)MathF.Floor(area.X1 * f);
        var y0 = (int)MathF.Floor(area.Y1 * f);
        var reads = new Window(x0, y0, (int)MathF.Ceiling(area.X2 * f) - x0, (int)MathF.Ceiling(area.Y2 * f) - y0).Grow(RegionMargin, w, h);
        if (reads.Width <= 0 || reads.Height <= 0) return AtLeast(needed);
        lock (_gate)
        {
            if (_scaled.TryGetValue(side, out var whole)) return whole;
            if (_areaParts.TryGetValue(side, out var part) && Covers(part, reads)) return part;
            if (part is not null) side = 0;
        }

        if (side == 0) return AtLeast(needed); // a part exists and does not hold this crop: the whole copy

        // A quarter of the area's size around it: the next crop of the same face (the second landmark pass, the
        // attribute crops) mostly falls inside.
        var room = Math.Max(reads.Width, reads.Height) / 4;
        using var activity = Telemetry.StartActivity("stage decode");
        var made = AreaResize.ResizeWindow(shared, w, h, w / (float)Width, reads.Grow(room, w, h));
        activity?.SetTag("imageapi.image.width", made.Width).SetTag("imageapi.image.height", made.Height);
        lock (_gate)
        {
            return _areaParts.TryAdd(side, made) ? made : _areaParts[side];
        }
    }

    private static bool Covers(RgbImage part, Window reads) =>
        reads.X >= part.OriginX && reads.Y >= part.OriginY
        && reads.Right <= part.OriginX + part.Width && reads.Bottom <= part.OriginY + part.Height;

    /// <summary>The smallest of the decoder's own scales with a long side of at least <paramref name="longSide"/>
    /// (the full-size photo when none is smaller), made once per image. Scales up to the <see cref="Base"/> decode are
    /// area-averaged from it (what the decoder's DCT scaling amounts to) rather than decoded again: a JPEG's entropy
    /// decoding costs the same at every scale, and a pipeline asks for five or six of them.</summary>
    private RgbImage AtLeast(int longSide)
    {
        var sides = Decodable;
        var side = sides.FirstOrDefault(s => s >= longSide);
        if (side == 0 || side >= sides[^1]) return Full();
        var baseSide = BaseLongSide;
        if (side > baseSide)
        {
            side = ScaleAbove(longSide);
            return side == 0 ? Full() : Cached(_scaled, side, () => decoder.DecodeAtLeast(Bytes, side));
        }

        var shared = Base();
        if (side == baseSide) return shared;
        return Cached(_scaled, side, () =>
        {
            var (w, h) = AreaCopySize(side, shared);
            return AreaResize.Resize(shared, w, h, w / (float)Width);
        });
    }

    private int[] Decodable => _decodable ??= decoder.DecodableLongSides(Bytes);

    /// <summary>The decoder scale (long side; 0 = full size) a copy of at least <paramref name="longSide"/> above the
    /// <see cref="Base"/> decode is made from: the smallest that holds it — except that in a photo of ordinary size
    /// (its full decode no larger than the pooled buffers, ≈ 5.6 MP) scales of ¾ and more decode the full photo
    /// instead. Those cost nearly a full decode (the entropy decoding is the whole file's at every scale;
    /// docs/performance.md), and a request that needs that much of such a photo mostly needs the full size for another
    /// stage as well (the mask crop, templates of small faces), which it then shares. A large photo
    /// keeps its scales: there a full decode costs hundreds of milliseconds, and <see cref="Window"/> decodes only a
    /// face's part of them.</summary>
    private int ScaleAbove(int longSide)
    {
        var sides = Decodable;
        var side = sides.FirstOrDefault(s => s >= longSide);
        var ordinary = (long)Width * Height * 3 <= PixelBuffers.MaxPooledLength;
        return side == 0 || side >= sides[^1] || (ordinary && 4L * side >= 3L * sides[^1]) ? 0 : side;
    }

    /// <summary>The long side of the one decode the smaller copies are made from: the smallest decoder scale of at
    /// least <see cref="DecoderOptions.SharedDecodeLongSide"/> and at least a quarter of the photo (the full photo
    /// when none is smaller). Chosen from the image alone, so a crop is the same pixels whichever stages ran before.
    /// The quarter: below it a JPEG's decode time is mostly entropy decoding, the same at every scale, so on a large
    /// photo one ¼ decode is cheaper than a ⅛ decode for the detector plus a ¼ decode for the face crops.</summary>
    private int BaseLongSide
    {
        get
        {
            var sides = Decodable;
            var least = Math.Max(decoder.Options.SharedDecodeLongSide, sides[^1] / 4);
            var side = sides.FirstOrDefault(s => s >= least);
            return side == 0 ? sides[^1] : side;
        }
    }

    private RgbImage Base()
    {
        var side = BaseLongSide;
        return side >= Decodable[^1] ? Full() : Cached(_scaled, side, () => decoder.DecodeAtLeast(Bytes, side));
    }

    /// <summary>The decode cached under <paramref name="key"/>, made (outside the lock, traced) on first use.</summary>
    private RgbImage Cached(Dictionary<int, RgbImage> cache, int key, Func<RgbImage> decode)
    {
        lock (_gate)
        {
            if (cache.TryGetValue(key, out var cached)) return cached;
        }

        using var activity = Telemetry.StartActivity("stage decode");
        var image = decode();
        activity?.SetTag("imageapi.image.width", image.Width).SetTag("imageapi.image.height", image.Height);
        lock (_gate)
        {
            cache[key] = image;
        }

        return image;
    }
}
