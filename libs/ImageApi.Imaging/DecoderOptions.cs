namespace ImageApi.Imaging;

/// <summary>Limits applied before any pixel is allocated (decompression bombs).</summary>
public sealed class DecoderOptions
{
    public const string SectionName = "Decoder";

    /// <summary>Largest accepted width × height, in pixels (default 120 MP: a 36 MP photo passes, a bomb does not).</summary>
    public long MaxPixels { get; set; } = 120_000_000;

    /// <summary>Largest accepted width or height.</summary>
    public int MaxDimension { get; set; } = 30_000;
}
