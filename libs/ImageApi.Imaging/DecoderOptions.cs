using System.ComponentModel.DataAnnotations;

namespace ImageApi.Imaging;

/// <summary>Limits applied before any pixel is allocated (decompression bombs), and how photos are decoded.</summary>
public sealed class DecoderOptions
{
    public const string SectionName = "Decoder";

    /// <summary>Largest accepted width × height, in pixels (default 120 MP: a 36 MP photo passes, a bomb does not).</summary>
    [Range(1, long.MaxValue)]
    public long MaxPixels { get; set; } = 120_000_000;

    /// <summary>Largest accepted width or height.</summary>
    [Range(1, int.MaxValue)]
    public int MaxDimension { get; set; } = 30_000;

    /// <summary>A request decodes its photo once at the smallest decoder scale with at least this long side (the full
    /// photo when it is not larger) and area-averages every smaller copy its crops need from it; only a crop that needs
    /// more pixels decodes again. The default is the face detector's input: the fitter then decodes once, and a full
    /// pipeline twice (this scale and the full photo for mask and quality) instead of once per scale.</summary>
    [Range(0, int.MaxValue)]
    public int SharedDecodeLongSide { get; set; } = 640;

    /// <summary>Decode whole JPEGs with the system's libjpeg-turbo (TurboJPEG) where it is installed: the same pixels as
    /// Skia's decoder, about twice as fast (docs/performance.md). False: Skia always.</summary>
    public bool TurboJpeg { get; set; } = true;
}
