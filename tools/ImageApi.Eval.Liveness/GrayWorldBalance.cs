using ImageApi.Imaging;

namespace ImageApi.Eval.Liveness;

/// <summary>Gray-world white balance of a model crop (each channel scaled to the crop's mean gray, gains capped to
/// [¼, 4]): a photometric normalisation tried in the stacking study, next to the product's exposure normalisation.</summary>
internal static class GrayWorldBalance
{
    public static RgbImage Apply(RgbImage img)
    {
        double r = 0, g = 0, b = 0;
        var px = img.Pixels;
        var n = img.Width * img.Height;
        for (var i = 0; i < 3 * n; i += 3) { r += px[i]; g += px[i + 1]; b += px[i + 2]; }
        r /= n; g /= n; b /= n;
        var gray = (r + g + b) / 3;
        double[] gains = [Gain(gray, r), Gain(gray, g), Gain(gray, b)];
        var dst = new byte[3 * n];
        for (var i = 0; i < dst.Length; i++) dst[i] = (byte)Math.Clamp((int)Math.Round(px[i] * gains[i % 3]), 0, 255);
        return new RgbImage(img.Width, img.Height, dst, img.Scale);
    }

    private static double Gain(double target, double mean) => Math.Clamp(target / Math.Max(mean, 1), 0.25, 4);
}
