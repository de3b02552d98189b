namespace ImageApi.Imaging;

/// <summary>Channel order a model expects.</summary>
public enum ChannelOrder
{
    Rgb,
    Bgr,
}

/// <summary>
/// How a model wants its pixels: channel order, <c>(value − mean) / std</c> per channel (in 0..255 units),
/// NCHW or NHWC. Each model wrapper states its layout next to a citation of its SOURCE.md.
/// </summary>
public sealed record PixelLayout(ChannelOrder Order, float[] Mean, float[] Std, bool Nhwc = false)
{
    public static PixelLayout Raw(ChannelOrder order) => new(order, [0, 0, 0], [1, 1, 1]);

    public static PixelLayout Unit(ChannelOrder order) => new(order, [0, 0, 0], [255, 255, 255]);
}
