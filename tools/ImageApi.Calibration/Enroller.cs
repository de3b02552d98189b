using ImageApi.Faces;
using ImageApi.Imaging;
using SkiaSharp;

namespace ImageApi.Calibration;

/// <summary>
/// Runs the service pipeline on one calibration image: YuNet detection on the image as a request would carry it,
/// the labelled face chosen by LFW's rule (the face containing the central pixel; else the nearest), landmarks for
/// that box (<see cref="FaceFitting.FitBoxes"/> = the fitting part of <see cref="FaceFitting.Fit"/>), and then for
/// every requested template method its own alignment (from a ≥ 2×-crop decode, as the service) and one batch for the
/// fitter-aligned, detector-aligned and mirrored crops. Detection and fitting run once for all methods, so every
/// method is measured on exactly the same 5 points.
/// </summary>
internal sealed class Enroller(FaceDetector detector, FaceFitting fitting, FaceTemplateExtractor extractor, ImageDecoder decoder)
{
    public EnrolledImage Enrol(string root, CalibrationImage image) => Enrol(root, image, [TemplateMethod.MobileFaceNet])[0];

    /// <summary>One record per method in <paramref name="methods"/>, in order.</summary>
    public EnrolledImage[] Enrol(string root, CalibrationImage image, IReadOnlyList<TemplateMethod> methods)
    {
        var bytes = File.ReadAllBytes(Path.Combine(root, image.File));
        var source = new ImageSource(bytes, decoder);
        var status = EnrolStatus.Direct;
        var faces = detector.Detect(source);
        if (faces.Count == 0)
        {
            // ORL crops are tight 92×112 head shots: the detector needs some context around the head (MANIFEST.md).
            source = new ImageSource(Pad(source.Full()), decoder);
            faces = detector.Detect(source);
            status = EnrolStatus.Padded;
        }

        if (faces.Count == 0) return [.. methods.Select(_ => new EnrolledImage(image.File, EnrolStatus.Failed, [], [], []))];
        var face = PickLabelled(faces, source.Width, source.Height);
        var fitted = fitting.FitBoxes(source, [face.Box])[0];
        var result = new EnrolledImage[methods.Count];
        for (var m = 0; m < methods.Count; m++)
        {
            var embedder = extractor.For(methods[m]);
            var fitCrop = embedder.Align(source, fitted.FivePoints);
            var detCrop = embedder.Align(source, face.Landmarks);
            var raw = embedder.EmbedRaw([fitCrop, detCrop, ImageSampler.MirrorHorizontal(fitCrop)]);
            result[m] = new EnrolledImage(image.File, status, raw[0], raw[1], raw[2]);
        }

        return result;
    }

    internal static DetectedFace PickLabelled(IReadOnlyList<DetectedFace> faces, int width, int height)
    {
        float cx = width / 2f, cy = height / 2f;
        var containing = faces.Where(f => f.Box.X1 <= cx && cx < f.Box.X2 && f.Box.Y1 <= cy && cy < f.Box.Y2).ToList();
        if (containing.Count > 0) return containing.MaxBy(f => f.Score)!;
        return faces.MinBy(f => MathF.Pow(f.Box.CenterX - cx, 2) + MathF.Pow(f.Box.CenterY - cy, 2))!;
    }

    /// <summary>The image centred on a canvas twice its size (edge pixels replicated), encoded losslessly as PNG.</summary>
    private static byte[] Pad(RgbImage img)
    {
        int w = img.Width, h = img.Height;
        var padded = ImageSampler.CropResize(img, -w / 2f, -h / 2f, w * 1.5f, h * 1.5f, 2 * w, 2 * h, BorderMode.Replicate);
        using var bitmap = new SKBitmap(padded.Width, padded.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        var rgba = new byte[padded.Width * padded.Height * 4];
        for (int i = 0, j = 0; i < padded.Width * padded.Height; i++, j += 3)
        {
            rgba[4 * i] = padded.Pixels[j];
            rgba[4 * i + 1] = padded.Pixels[j + 1];
            rgba[4 * i + 2] = padded.Pixels[j + 2];
            rgba[4 * i + 3] = 255;
        }

        System.Runtime.InteropServices.Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
