using SkiaSharp;

namespace ImageApi.Quality.Tests;

/// <summary>Controlled degradations of real photos for the monotonic-behaviour tests, and encoding back to bytes.</summary>
internal static class ImageEdits
{
    /// <summary>Separable Gaussian blur with standard deviation <paramref name="sigma"/> pixels (kernel ±3σ, edges replicated).</summary>
    public static RgbImage GaussianBlur(RgbImage src, float sigma)
    {
        var radius = (int)MathF.Ceiling(3 * sigma);
        var kernel = new float[2 * radius + 1];
        var sum = 0f;
        for (var i = -radius; i <= radius; i++) sum += kernel[i + radius] = MathF.Exp(-i * i / (2 * sigma * sigma));
        for (var i = 0; i < kernel.Length; i++) kernel[i] /= sum;

        int w = src.Width, h = src.Height;
        var tmp = new float[w * h * 3];
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                for (var c = 0; c < 3; c++)
                {
                    var acc = 0f;
                    for (var k = -radius; k <= radius; k++)
                    {
                        var xx = Math.Clamp(x + k, 0, w - 1);
                        acc += kernel[k + radius] * src.Pixels[(y * w + xx) * 3 + c];
                    }

                    tmp[(y * w + x) * 3 + c] = acc;
                }
            }
        }

        var dst = new byte[w * h * 3];
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                for (var c = 0; c < 3; c++)
                {
                    var acc = 0f;
                    for (var k = -radius; k <= radius; k++)
                    {
                        var yy = Math.Clamp(y + k, 0, h - 1);
                        acc += kernel[k + radius] * tmp[(yy * w + x) * 3 + c];
                    }

                    dst[(y * w + x) * 3 + c] = (byte)Math.Clamp((int)MathF.Round(acc), 0, 255);
                }
            }
        }

        return new RgbImage(w, h, dst);
    }

    /// <summary>Every channel multiplied by <paramref name="factor"/> (0.3 = darkened by 70 %).</summary>
    public static RgbImage Scale(RgbImage src, float factor)
    {
        var dst = new byte[src.Pixels.Length];
        for (var i = 0; i < dst.Length; i++) dst[i] = (byte)Math.Clamp((int)MathF.Round(src.Pixels[i] * factor), 0, 255);
        return new RgbImage(src.Width, src.Height, dst);
    }

    /// <summary>Additive white Gaussian noise of standard deviation <paramref name="sigma"/> grey levels (fixed seed).</summary>
    public static RgbImage AddNoise(RgbImage src, float sigma, int seed = 1)
    {
        var rng = new Random(seed);
        var dst = new byte[src.Pixels.Length];
        for (var i = 0; i < dst.Length; i++)
        {
            // Box–Muller.
            var u1 = 1.0 - rng.NextDouble();
            var u2 = rng.NextDouble();
            var n = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            dst[i] = (byte)Math.Clamp((int)Math.Round(src.Pixels[i] + sigma * n), 0, 255);
        }

        return new RgbImage(src.Width, src.Height, dst);
    }

    /// <summary>A synthetic watermark: light diagonal lines (2 px wide, every <paramref name="period"/> px) blended with
    /// white at <paramref name="alpha"/>, like a semi-transparent stock-photo overlay.</summary>
    public static RgbImage DiagonalLines(RgbImage src, int period = 14, float alpha = 0.5f)
    {
        var dst = (byte[])src.Pixels.Clone();
        for (var y = 0; y < src.Height; y++)
        {
            for (var x = 0; x < src.Width; x++)
            {
                if ((x + y) % period >= 2) continue;
                var i = (y * src.Width + x) * 3;
                for (var c = 0; c < 3; c++) dst[i + c] = (byte)MathF.Round(dst[i + c] * (1 - alpha) + 255 * alpha);
            }
        }

        return new RgbImage(src.Width, src.Height, dst);
    }

    /// <summary>Lossless PNG, so the degradation reaches the service exactly as made.</summary>
    public static byte[] Png(RgbImage image) => Encode(image, SKEncodedImageFormat.Png, 100);

    public static byte[] Jpeg(RgbImage image, int quality = 95) => Encode(image, SKEncodedImageFormat.Jpeg, quality);

    private static byte[] Encode(RgbImage image, SKEncodedImageFormat format, int quality)
    {
        var rgba = new byte[image.Width * image.Height * 4];
        for (int i = 0, j = 0; j < image.Pixels.Length; i += 4, j += 3)
        {
            rgba[i] = image.Pixels[j];
            rgba[i + 1] = image.Pixels[j + 1];
            rgba[i + 2] = image.Pixels[j + 2];
            rgba[i + 3] = 255;
        }

        using var sk = SKImage.FromPixelCopy(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque), rgba);
        using var data = sk.Encode(format, quality);
        return data.ToArray();
    }
}
