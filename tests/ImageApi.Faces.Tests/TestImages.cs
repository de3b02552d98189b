using System.Runtime.InteropServices;
using SkiaSharp;

namespace ImageApi.Faces.Tests;

/// <summary>Transforms of real test photos (mirror, rotation) re-encoded losslessly, so that the service sees them as
/// it sees any upload.</summary>
internal static class TestImages
{
    public static byte[] EncodePng(RgbImage img)
    {
        var rgba = new byte[img.Width * img.Height * 4];
        for (int i = 0, j = 0; i < rgba.Length; i += 4, j += 3)
        {
            rgba[i] = img.Pixels[j];
            rgba[i + 1] = img.Pixels[j + 1];
            rgba[i + 2] = img.Pixels[j + 2];
            rgba[i + 3] = 255;
        }

        using var bitmap = new SKBitmap(new SKImageInfo(img.Width, img.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>Turns the photo clockwise (as seen) by <paramref name="degrees"/> about its centre, same canvas size.</summary>
    public static RgbImage RotateClockwise(RgbImage src, float degrees)
    {
        var t = degrees * MathF.PI / 180;
        float c = MathF.Cos(t), s = MathF.Sin(t), cx = src.Width / 2f, cy = src.Height / 2f;
        // Image y points down: x' = c·(x−cx) − s·(y−cy) + cx, y' = s·(x−cx) + c·(y−cy) + cy moves the right side down.
        var map = new AffineTransform(c, -s, cx - c * cx + s * cy, s, c, cy - s * cx - c * cy);
        return ImageSampler.Warp(src, map, src.Width, src.Height, BorderMode.Replicate);
    }
}
