using System.Runtime.InteropServices;

namespace ImageApi.Imaging;

/// <summary>
/// libjpeg-turbo's TurboJPEG library where the system has it (Debian <c>libturbojpeg0</c>, Ubuntu <c>libturbojpeg</c>,
/// or <c>libturbojpeg.so.0</c> beside the binary, as the container images carry it). It is the JPEG decoder Skia links
/// as well, here with its SIMD code and straight to RGB: the same pixels, byte for byte (every scale of every photo in
/// the shared data sets; <c>ImageDecoderTests</c>), in about half the time of a whole decode (docs/performance.md). Without it, or for
/// any file it does not decode cleanly, Skia decodes — so the library changes how long a decode takes, never what
/// it gives or which files are refused.
/// </summary>
internal static unsafe class TurboJpeg
{
    // The ABI of TurboJPEG 2.x (turbojpeg.h), which 3.x keeps.
    private const int PixelFormatRgb = 0; // TJPF_RGB
    private const int StopOnWarning = 8192; // TJFLAG_STOPONWARNING: a truncated or damaged file fails here, Skia judges it

    private static readonly Api? Functions = Load();

    /// <summary>Whether the library was found (once per process).</summary>
    public static bool IsAvailable => Functions is not null;

    /// <summary>The file the library was loaded from; null when it was not found.</summary>
    public static string? LoadedFrom => Functions?.Path;

    /// <summary>
    /// Decodes <paramref name="jpeg"/> (<paramref name="fullWidth"/> × <paramref name="fullHeight"/>) at the DCT scale
    /// that gives exactly <paramref name="width"/> × <paramref name="height"/>, as RGB rows into <paramref name="rgb"/>.
    /// False — and <paramref name="rgb"/> undefined — where the library is missing, no single scale gives that size, the
    /// colour space does not convert to RGB (CMYK) or libjpeg has anything to say about the file.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> jpeg, int fullWidth, int fullHeight, int width, int height, Span<byte> rgb)
    {
        if (Functions is not { } api || rgb.Length < (long)width * height * 3 || !IsOnlyScaleFor(fullWidth, fullHeight, width, height)) return false;
        var handle = api.InitDecompress();
        if (handle == 0) return false;
        try
        {
            fixed (byte* source = jpeg)
            fixed (byte* target = rgb)
            {
                // Its own reading of the header must give the size Skia read (and the limits were checked on): then
                // the scale it picks — the largest whose size fits the one asked for — is the one eighth that gives
                // exactly this size (IsOnlyScaleFor), the scale Skia's codec decodes at, and every byte is written.
                var size = new CULong((nuint)jpeg.Length);
                if (api.DecompressHeader(handle, source, size, out var w, out var h, out _, out _) != 0 || w != fullWidth || h != fullHeight)
                {
                    return false;
                }

                return api.Decompress(handle, source, size, target, width, width * 3, height, PixelFormatRgb, StopOnWarning) == 0;
            }
        }
        finally
        {
            api.Destroy(handle);
        }
    }

    /// <summary>True when exactly one of the eighths 1/8 … 8/8 scales the photo to <paramref name="width"/> ×
    /// <paramref name="height"/> (libjpeg's rounding, ⌈side × k / 8⌉). In a tiny photo two scales can give the same
    /// size and different pixels; Skia and TurboJPEG might then pick different ones, so such a decode is left to Skia.</summary>
    internal static bool IsOnlyScaleFor(int fullWidth, int fullHeight, int width, int height)
    {
        var matches = 0;
        for (var k = 1; k <= 8; k++)
        {
            if ((fullWidth * k + 7) / 8 == width && (fullHeight * k + 7) / 8 == height) matches++;
        }

        return matches == 1;
    }

    private static Api? Load()
    {
        // Beside the binary first (the container images copy it there), then wherever the system's loader looks.
        string[] names = OperatingSystem.IsWindows() ? ["turbojpeg.dll"]
            : OperatingSystem.IsMacOS() ? ["libturbojpeg.0.dylib", "libturbojpeg.dylib"]
            : ["libturbojpeg.so.0", "libturbojpeg.so"];
        foreach (var name in names)
        {
            var local = Path.Combine(AppContext.BaseDirectory, name);
            foreach (var candidate in new[] { local, name })
            {
                if (candidate == local && !File.Exists(local)) continue;
                if (!NativeLibrary.TryLoad(candidate, out var library)) continue;
                if (NativeLibrary.TryGetExport(library, "tjInitDecompress", out var init)
                    && NativeLibrary.TryGetExport(library, "tjDecompressHeader3", out var header)
                    && NativeLibrary.TryGetExport(library, "tjDecompress2", out var decompress)
                    && NativeLibrary.TryGetExport(library, "tjDestroy", out var destroy))
                {
                    return new Api(candidate, init, header, decompress, destroy);
                }

                NativeLibrary.Free(library);
            }
        }

        return null;
    }

    private sealed class Api(string path, nint init, nint header, nint decompress, nint destroy)
    {
        public string Path { get; } = path;

        public nint InitDecompress() => ((delegate* unmanaged<nint>)init)();

        public int DecompressHeader(nint handle, byte* jpeg, CULong size, out int width, out int height, out int subsampling, out int colorspace)
        {
            int w, h, s, c;
            var result = ((delegate* unmanaged<nint, byte*, CULong, int*, int*, int*, int*, int>)header)(handle, jpeg, size, &w, &h, &s, &c);
            (width, height, subsampling, colorspace) = (w, h, s, c);
            return result;
        }

        public int Decompress(nint handle, byte* jpeg, CULong size, byte* rgb, int width, int pitch, int height, int format, int flags) =>
            ((delegate* unmanaged<nint, byte*, CULong, byte*, int, int, int, int, int, int>)decompress)(handle, jpeg, size, rgb, width, pitch, height, format, flags);

        public int Destroy(nint handle) => ((delegate* unmanaged<nint, int>)destroy)(handle);
    }
}
