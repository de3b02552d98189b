using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using ImageApi.Contracts;
using SkiaSharp;

namespace ImageApi.Imaging;

/// <summary>
/// Decodes JPEG, PNG, BMP, WebP and GIF (first frame) with SkiaSharp to 8-bit RGB in display orientation.
/// JPEGs are downscaled in the DCT domain while decoding (<c>SKCodec.GetScaledDimensions</c>) when the caller
/// needs fewer pixels — 3.7× faster than a full decode of a 36 MP photo (platform.md §2) — and decoded whole by the
/// system's libjpeg-turbo where it is installed (<see cref="TurboJpeg"/>: the same pixels, sooner). Transparent pixels
/// are composited onto white so that an RGBA portrait looks like a photo to the models.
/// </summary>
public sealed class ImageDecoder(DecoderOptions options)
{
    public ImageDecoder() : this(new DecoderOptions()) { }

    public DecoderOptions Options { get; } = options;

    /// <summary>Whether whole JPEG decodes go through libjpeg-turbo's TurboJPEG library (found, and not turned off by
    /// <see cref="DecoderOptions.TurboJpeg"/>); otherwise Skia decodes them — the same pixels either way.</summary>
    public bool UsesTurboJpeg { get; } = options.TurboJpeg && TurboJpeg.IsAvailable;

    /// <summary>What decodes whole JPEGs, for <c>/info</c>: the TurboJPEG library's file, or "skia".</summary>
    public string JpegDecoder => UsesTurboJpeg ? TurboJpeg.LoadedFrom! : "skia";

    /// <summary>Reads the header only: size in display orientation (EXIF applied) and the orientation tag.</summary>
    public ImageHeader ReadHeader(ReadOnlyMemory<byte> bytes)
    {
        using var data = SKData.CreateCopy(bytes.Span);
        using var codec = OpenCodec(data);
        return HeaderOf(codec);
    }

    /// <summary>
    /// Decodes the image so that its long side is at most <paramref name="maxLongSide"/> (0 = full size).
    /// The result's <see cref="RgbImage.Scale"/> maps back to the full-size photo.
    /// </summary>
    public RgbImage Decode(ReadOnlyMemory<byte> bytes, int maxLongSide = 0) => Decode(bytes, maxLongSide, exact: true);

    /// <summary>
    /// Decodes at the cheapest size whose long side is at least <paramref name="minLongSide"/> (0 = full size): for
    /// a JPEG the smallest of the decoder's DCT scales (1/8 … 1) that is large enough, with no resize after it. For
    /// crops that need a minimum resolution on a face and resample anyway: a 36 MP photo gives a face its 1536 px at
    /// the 1/4 scale (≈ 65 ms) instead of a 1/4 decode plus a resize, or a full decode (≈ 600 ms).
    /// </summary>
    public RgbImage DecodeAtLeast(ReadOnlyMemory<byte> bytes, int minLongSide) => Decode(bytes, minLongSide, exact: false);

    /// <summary>The long sides <see cref="DecodeAtLeast"/> can produce for this image, ascending (a JPEG: its eighths;
    /// other formats: the full size only).</summary>
    public int[] DecodableLongSides(ReadOnlyMemory<byte> bytes)
    {
        using var data = SKData.CreateCopy(bytes.Span);
        using var codec = OpenCodec(data);
        var full = Math.Max(codec.Info.Width, codec.Info.Height);
        var sides = new SortedSet<int> { full };
        for (var k = 1; k < 8; k++)
        {
            var scaled = codec.GetScaledDimensions(k / 8f);
            var side = Math.Max(scaled.Width, scaled.Height);
            if (side > 0 && side < full) sides.Add(side);
        }

        return [.. sides];
    }

    private RgbImage Decode(ReadOnlyMemory<byte> bytes, int maxLongSide, bool exact)
    {
        using var data = SKData.CreateCopy(bytes.Span);
        using var codec = OpenCodec(data);
        var header = HeaderOf(codec);
        var (tw, th) = TargetSize(codec, maxLongSide);
        var rgb = DecodeScaled(codec, bytes.Span, tw, th);
        var oriented = ImageOrientation.Apply(rgb, header.Orientation, rgb.Width / (float)codec.Info.Width);
        return !exact || (rgb.Width == tw && rgb.Height == th) ? oriented : Shrink(oriented, header, maxLongSide);
    }

    /// <summary>
    /// <paramref name="decoded"/> (a decode of the photo described by <paramref name="header"/>, at least as large)
    /// resized so that the photo's long side is <paramref name="maxLongSide"/>: the size <see cref="Decode(ReadOnlyMemory{byte}, int)"/>
    /// returns, with Skia's linear-mipmap sampling (<see cref="MipmapResize"/>).
    /// </summary>
    public static RgbImage Shrink(RgbImage decoded, ImageHeader header, int maxLongSide)
    {
        ArgumentNullException.ThrowIfNull(decoded);
        var longSide = Math.Max(header.Width, header.Height);
        if (maxLongSide <= 0 || maxLongSide >= longSide) return decoded;
        var f = maxLongSide / (float)longSide;
        // Rounded as the codec-space size in Decode: swapping the axes does not change the rounding.
        var tw = Math.Max(1, (int)MathF.Round(header.Width * f));
        var th = Math.Max(1, (int)MathF.Round(header.Height * f));
        if (decoded.Width == tw && decoded.Height == th) return decoded;
        var resized = MipmapResize.Resize(decoded, tw, th);
        return new RgbImage(tw, th, resized.Pixels, tw / (float)header.Width);
    }

    private SKCodec OpenCodec(SKData data)
    {
        var codec = SKCodec.Create(data);
        if (codec is null) throw new ImageDecodeException(ErrorMessages.UnsupportedFormat);
        if (codec.EncodedFormat is not (SKEncodedImageFormat.Jpeg or SKEncodedImageFormat.Png or SKEncodedImageFormat.Bmp
            or SKEncodedImageFormat.Webp or SKEncodedImageFormat.Gif))
        {
            codec.Dispose();
            throw new ImageDecodeException(ErrorMessages.UnsupportedFormat);
        }

        var info = codec.Info;
        if (info.Width <= 0 || info.Height <= 0 || info.Width > Options.MaxDimension || info.Height > Options.MaxDimension
            || (long)info.Width * info.Height > Options.MaxPixels)
        {
            codec.Dispose();
            throw new ImageDecodeException(
                $"Image dimensions {info.Width}x{info.Height} exceed the limit of {Options.MaxPixels / 1_000_000} megapixels " +
                $"or {Options.MaxDimension} pixels per side");
        }

        return codec;
    }

    private static ImageHeader HeaderOf(SKCodec codec)
    {
        var orientation = (int)codec.EncodedOrigin;
        if (orientation is < 1 or > 8) orientation = 1;
        int w = codec.Info.Width, h = codec.Info.Height;
        return ImageOrientation.SwapsAxes(orientation)
            ? new ImageHeader(h, w, orientation)
            : new ImageHeader(w, h, orientation);
    }

    /// <summary>The size a decode for a <paramref name="targetW"/>×<paramref name="targetH"/> target is made at: the
    /// smallest of the codec's own scales that holds it (JPEG: 1/8 … 8/8 in the DCT domain), else full size.</summary>
    private static SKSizeI DecodeSize(SKCodec codec, int targetW, int targetH)
    {
        var full = codec.Info;
        var size = new SKSizeI(full.Width, full.Height);
        if (targetW < full.Width)
        {
            // Skia returns a size ≥ the desired one.
            var scaled = codec.GetScaledDimensions(targetW / (float)full.Width);
            if (scaled.Width >= targetW && scaled.Height >= targetH) size = scaled;
        }

        return size;
    }

    /// <summary>The size in which <paramref name="codec"/> is decoded for a long side of (at most)
    /// <paramref name="maxLongSide"/>, 0 = full size (the rounding of <see cref="Decode(ReadOnlyMemory{byte}, int)"/>).</summary>
    private static (int Width, int Height) TargetSize(SKCodec codec, int maxLongSide)
    {
        int w = codec.Info.Width, h = codec.Info.Height;
        var longSide = Math.Max(w, h);
        if (maxLongSide <= 0 || longSide <= maxLongSide) return (w, h);
        var f = maxLongSide / (float)longSide;
        return (Math.Max(1, (int)MathF.Round(w * f)), Math.Max(1, (int)MathF.Round(h * f)));
    }

    /// <summary>
    /// Part of the decode <see cref="DecodeAtLeast"/>(<paramref name="minLongSide"/>) would make (0 = full size): the
    /// window <paramref name="windowOf"/> picks given that decode's size, grown by a margin, with the same bytes as the
    /// whole decode there. Only rows and columns of the window are made (libjpeg skips the rows above it and crops the
    /// columns), so a face of a 36 MP photo costs kilobytes, not the photo's 100 MB. Null where this cannot be done —
    /// not a JPEG, an EXIF orientation other than 1, a damaged file, an empty window from <paramref name="windowOf"/> —:
    /// the caller decodes the whole image then.
    /// </summary>
    public RgbImage? DecodeWindow(ReadOnlyMemory<byte> bytes, int minLongSide, Func<int, int, Window> windowOf)
    {
        ArgumentNullException.ThrowIfNull(windowOf);
        using var data = SKData.CreateCopy(bytes.Span);
        using var codec = OpenCodec(data);
        if (codec.EncodedFormat != SKEncodedImageFormat.Jpeg || HeaderOf(codec).Orientation != 1) return null;
        var (tw, th) = TargetSize(codec, minLongSide);
        var size = DecodeSize(codec, tw, th);
        // An empty window from windowOf: not possible for this size (the caller decodes the whole image).
        var picked = windowOf(size.Width, size.Height);
        if (picked.Width <= 0 || picked.Height <= 0) return null;
        // The margin keeps the window's own edges (where libjpeg's chroma upsampling lacks the neighbours beyond
        // the crop) away from every pixel the caller reads.
        var window = picked.Grow(WindowMargin, size.Width, size.Height);
        var info = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        var options = new SKCodecOptions(new SKRectI(window.X, 0, window.Right, size.Height));
        if (codec.StartScanlineDecode(info, options) != SKCodecResult.Success) return null;
        if (window.Y > 0 && !codec.SkipScanlines(window.Y)) return null;
        var rgb = ReadRows(codec, window.Width, window.Height);
        return rgb is null ? null : RgbImage.Window(window.Width, window.Height, rgb, size.Width / (float)codec.Info.Width,
            window.X, window.Y, size.Width, size.Height);
    }

    /// <summary>Pixels of margin around a decoded window (two of a 4:2:0 JPEG's 16-px blocks).</summary>
    public const int WindowMargin = 32;

    private RgbImage DecodeScaled(SKCodec codec, ReadOnlySpan<byte> bytes, int targetW, int targetH)
    {
        var full = codec.Info;
        var size = DecodeSize(codec, targetW, targetH);
        var image = TryDecode(codec, bytes, size);
        if (image is null && size.Width != full.Width)
        {
            image = TryDecode(codec, bytes, new SKSizeI(full.Width, full.Height));
        }

        return image ?? throw new ImageDecodeException("Image data is truncated or corrupt");
    }

    /// <summary>A JPEG through TurboJPEG straight into the RGB image where it can (<see cref="UsesTurboJpeg"/>); else,
    /// and for any file it does not decode cleanly, Skia into a pooled managed RGBA buffer, then to RGB. Not an
    /// SKBitmap: its pixels are a native allocation per decode (4.5 MB for a 1 MP photo, 144 MB for 36 MP), which the
    /// native heap keeps after it is freed — the RSS growth measured under a mixed load (docs/performance.md).</summary>
    private RgbImage? TryDecode(SKCodec codec, ReadOnlySpan<byte> bytes, SKSizeI size)
    {
        if (UsesTurboJpeg && codec.EncodedFormat == SKEncodedImageFormat.Jpeg)
        {
            var rgb = GC.AllocateUninitializedArray<byte>(size.Width * size.Height * 3); // written whole on success
            if (TurboJpeg.TryDecode(bytes, codec.Info.Width, codec.Info.Height, size.Width, size.Height, rgb))
            {
                return new RgbImage(size.Width, size.Height, rgb);
            }
        }

        var info = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        var length = size.Width * 4 * size.Height;
        // Pooled up to a 4 MP photo's buffer. A larger JPEG decode goes through a pooled strip of rows instead of a
        // whole RGBA copy (a 36 MP photo's would be 144 MB, a request's largest allocation, for one conversion).
        if (length > PixelBuffers.MaxPooledLength && codec.EncodedFormat == SKEncodedImageFormat.Jpeg)
        {
            return TryDecodeInStrips(codec, info);
        }

        var pooled = length <= PixelBuffers.MaxPooledLength;
        var rgba = pooled ? PixelBuffers.Bytes.Rent(length) : GC.AllocateUninitializedArray<byte>(length);
        try
        {
            SKCodecResult result;
            unsafe
            {
                fixed (byte* pixels = rgba)
                {
                    result = codec.GetPixels(info, (IntPtr)pixels);
                }
            }

            // IncompleteInput = truncated file: refuse rather than hand grey pixels to a model.
            if (result != SKCodecResult.Success) return null;
            return ToRgbOnWhite(rgba.AsSpan(0, length), size.Width, size.Height, opaque: codec.Info.AlphaType == SKAlphaType.Opaque);
        }
        finally
        {
            if (pooled) PixelBuffers.Bytes.Return(rgba);
        }
    }

    /// <summary>The rows of a JPEG decoded a strip at a time (libjpeg's scanline reader, as <c>GetPixels</c> uses it:
    /// the same pixels) into the RGB image, so the only large allocation is the RGB image itself.</summary>
    private static RgbImage? TryDecodeInStrips(SKCodec codec, SKImageInfo info)
    {
        if (codec.StartScanlineDecode(info) != SKCodecResult.Success) return null;
        var rgb = ReadRows(codec, info.Width, info.Height);
        return rgb is null ? null : new RgbImage(info.Width, info.Height, rgb);
    }

    /// <summary>The next <paramref name="h"/> rows of <paramref name="w"/> pixels of a started scanline decode, as RGB
    /// (through a pooled RGBA strip); null when the file ends first (truncated: refused, as the whole-image path does).</summary>
    private static byte[]? ReadRows(SKCodec codec, int w, int h)
    {
        var rows = Math.Clamp(StripBytes / (4 * w), 1, h);
        var strip = PixelBuffers.Bytes.Rent(rows * 4 * w);
        var rgb = GC.AllocateUninitializedArray<byte>(w * h * 3);
        try
        {
            for (var y = 0; y < h; y += rows)
            {
                var count = Math.Min(rows, h - y);
                int read;
                unsafe
                {
                    fixed (byte* pixels = strip)
                    {
                        read = codec.GetScanlines((IntPtr)pixels, count, 4 * w);
                    }
                }

                if (read != count) return null;
                DropAlpha(strip.AsSpan(0, count * 4 * w), rgb.AsSpan(y * 3 * w, count * 3 * w));
            }
        }
        finally
        {
            PixelBuffers.Bytes.Return(strip);
        }

        return rgb;
    }

    /// <summary>The RGBA rows decoded at a time by <see cref="TryDecodeInStrips"/> (pooled).</summary>
    private const int StripBytes = 1 << 20;

    /// <summary>RGBA (premultiplied) → RGB composited on white. An opaque source (every JPEG) is a plain channel
    /// drop, done 4 pixels at a time; only images with alpha pay for the compositing.</summary>
    internal static RgbImage ToRgbOnWhite(ReadOnlySpan<byte> rgba, int w, int h, bool opaque)
    {
        var rgb = GC.AllocateUninitializedArray<byte>(w * h * 3); // every byte written below
        if (opaque)
        {
            DropAlpha(rgba, rgb);
            return new RgbImage(w, h, rgb);
        }

        for (int i = 0, j = 0; j < rgb.Length; i += 4, j += 3)
        {
            // Premultiplied colour + (1 - alpha) × white: opaque pixels are unchanged.
            var inv = 255 - rgba[i + 3];
            rgb[j] = (byte)Math.Min(255, rgba[i] + inv);
            rgb[j + 1] = (byte)Math.Min(255, rgba[i + 1] + inv);
            rgb[j + 2] = (byte)Math.Min(255, rgba[i + 2] + inv);
        }

        return new RgbImage(w, h, rgb);
    }

    /// <summary>RGBA → RGB for opaque pixels: 16 bytes in, 12 out per step (one byte shuffle), the tail one by one.</summary>
    internal static void DropAlpha(ReadOnlySpan<byte> rgba, Span<byte> rgb)
    {
        var pixels = rgb.Length / 3;
        var p = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            var shuffle = Vector128.Create((byte)0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 255, 255, 255, 255);
            // Each step writes 16 bytes of which the last 4 are overwritten by the next step: stop one step early.
            // Unchecked loads and stores (a per-step slice cost as much as the shuffle): with p + 6 ≤ pixels a step
            // reads rgba[4p, 4p + 16) and writes rgb[3p, 3p + 16), both inside.
            if (rgba.Length < 4 * pixels) throw new ArgumentException("the RGBA span is shorter than the RGB one", nameof(rgba));
            ref var source = ref MemoryMarshal.GetReference(rgba);
            ref var target = ref MemoryMarshal.GetReference(rgb);
            for (; p + 6 <= pixels; p += 4)
            {
                Vector128.Shuffle(Vector128.LoadUnsafe(ref source, (nuint)(p * 4)), shuffle).StoreUnsafe(ref target, (nuint)(p * 3));
            }
        }

        for (; p < pixels; p++)
        {
            rgb[p * 3] = rgba[p * 4];
            rgb[p * 3 + 1] = rgba[p * 4 + 1];
            rgb[p * 3 + 2] = rgba[p * 4 + 2];
        }
    }
}
