using System.Numerics;
using ImageApi.Imaging;
using ImageApi.Inference;

namespace ImageApi.Templates;

/// <summary>
/// Intel OMZ face-reidentification-retail-0095 (models/face-recognition-omz-reid-0095/SOURCE.md): its own 5-point
/// template (the ArcFace 96×112 template normalised by (96, 112), times 128 — not the 112 crop resized), a
/// least-squares similarity from the same 5 fitter points, bilinear warp to 128×128 with a black border, BGR raw
/// 0..255 (the graph starts with the folded scale), NCHW; the 256-d output is L2-normalised.
/// </summary>
public sealed class OmzReidEmbedder(ModelCatalog catalog, IOptions<FaceTemplateOptions> options) : FaceEmbedder(catalog, options)
{
    public const int Size = 128;

    /// <summary>SOURCE.md "Alignment": the OMZ reference landmarks × 128, order as the fitter's 5 points.</summary>
    private static readonly Vector2[] Template =
    [
        new(40.3928f, 59.0815f),
        new(87.3757f, 59.0815f),
        new(64.0336f, 81.9847f),
        new(44.7324f, 105.5606f),
        new(83.6399f, 105.5606f),
    ];

    /// <summary>SOURCE.md "Input": BGR, raw 0..255, no mean/std (RGB costs TAR@1e-3 97.99 % instead of 99.07 %).</summary>
    private static readonly PixelLayout BgrRaw = PixelLayout.Raw(ChannelOrder.Bgr);

    public override TemplateMethod Method => TemplateMethod.OmzReid0095;

    public override int CropSize => Size;

    protected override PixelLayout Layout => BgrRaw;

    public static ReadOnlySpan<Vector2> ReferencePoints => Template;

    /// <summary>
    /// Samples from a decode in which the aligned region is at least the same multiple of the crop as
    /// <see cref="FaceTemplateOptions.MinSourcePixels"/> is of the 112 crop (default 2×: 256 px), chosen by the fixed
    /// decode ladder of <see cref="FaceAligner.SourceLongSide"/> so the template does not depend on earlier stages.
    /// </summary>
    public override RgbImage Align(ImageSource image, ReadOnlySpan<Vector2> fivePointsOriginalPx)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (fivePointsOriginalPx.Length != 5) throw new ArgumentException("five points are needed", nameof(fivePointsOriginalPx));
        var minSource = (int)Math.Ceiling(Options.MinSourcePixels * (double)Size / FaceAligner.ArcFaceSize);
        var side = SourceLongSide(image.Width, image.Height, fivePointsOriginalPx, minSource);
        var decoded = image.Window(side, FaceAligner.Footprint(fivePointsOriginalPx, Template, Size));
        return Align(decoded, fivePointsOriginalPx);
    }

    /// <summary>The 128×128 crop sampled from one decode; the points (original pixels) are mapped by its scale.</summary>
    public static RgbImage Align(RgbImage decoded, ReadOnlySpan<Vector2> fivePointsOriginalPx)
    {
        ArgumentNullException.ThrowIfNull(decoded);
        Span<Vector2> points = stackalloc Vector2[5];
        for (var i = 0; i < 5; i++) points[i] = fivePointsOriginalPx[i] * decoded.Scale;
        var toTemplate = FaceAligner.Umeyama(points, Template);
        return ImageSampler.Warp(decoded, toTemplate, Size, Size, BorderMode.Constant, (0, 0, 0));
    }

    /// <summary>The decode long side (0 = full size): the smallest of 640, 1280, … in which the aligned region
    /// (128 / scale original pixels) is at least <paramref name="minSourcePixels"/> long.</summary>
    public static int SourceLongSide(int width, int height, ReadOnlySpan<Vector2> fivePointsOriginalPx, int minSourcePixels)
    {
        var toTemplate = FaceAligner.Umeyama(fivePointsOriginalPx, Template);
        var regionOriginalPx = Size / Math.Max(1e-6f, toTemplate.ScaleFactor);
        var fullLong = Math.Max(width, height);
        var needed = fullLong * (double)minSourcePixels / regionOriginalPx;
        long target = FaceAligner.DecodeLadderBase;
        while (target < needed && target < fullLong) target *= 2;
        return target >= fullLong ? 0 : (int)target;
    }
}
