using System.Numerics;

namespace ImageApi.Imaging;

/// <summary>
/// Face alignment by a similarity transform from 5 keypoints to the ArcFace 112×112 template
/// (models/face-recognition-mobilefacenet/SOURCE.md, "Input").
/// </summary>
public static class FaceAligner
{
    /// <summary>Side of the aligned ArcFace crop.</summary>
    public const int ArcFaceSize = 112;

    /// <summary>
    /// Alignment samples from a decode in which the aligned region is at least this many pixels long (2× the
    /// 112-px template), so a face that is small in the detector's downscaled copy is re-sampled from sharper pixels.
    /// </summary>
    public const int DefaultMinSourcePixels = 2 * ArcFaceSize;

    /// <summary>
    /// The standard ArcFace 5-point template in 112×112 pixel coordinates, order: image-left eye, image-right eye,
    /// nose, image-left mouth corner, image-right mouth corner (SOURCE.md; insightface <c>arcface_dst</c>).
    /// </summary>
    public static ReadOnlySpan<Vector2> ArcFaceTemplate => Template;

    private static readonly Vector2[] Template =
    [
        new(38.2946f, 51.6963f),
        new(73.5318f, 51.5014f),
        new(56.0252f, 71.7366f),
        new(41.5493f, 92.3655f),
        new(70.7299f, 92.2041f),
    ];

    /// <summary>
    /// Least-squares similarity transform (rotation, uniform scale, translation; no reflection) mapping
    /// <paramref name="src"/> onto <paramref name="dst"/> — Umeyama (1991) with scale estimation, as
    /// <c>skimage.transform.SimilarityTransform.estimate</c> / insightface <c>estimate_norm</c>.
    /// </summary>
    /// <remarks>
    /// In 2-D the SVD solution has a closed form: with demeaned points, <c>a = Σ(sx·dx + sy·dy)</c>,
    /// <c>b = Σ(sx·dy − sy·dx)</c>, <c>σ² = Σ|s|²</c>, the optimum is <c>s·cosθ = a/σ²</c>, <c>s·sinθ = b/σ²</c>.
    /// It equals Umeyama's <c>U·D·Vᵀ</c> and <c>trace(D·S)/σ²</c> also when <c>det(Σ_xy) &lt; 0</c> (then
    /// √(a²+b²) = S₁ − S₂, the value Umeyama's reflection guard gives). Computed in double precision.
    /// </remarks>
    public static AffineTransform Umeyama(ReadOnlySpan<Vector2> src, ReadOnlySpan<Vector2> dst)
    {
        if (src.Length != dst.Length) throw new ArgumentException("point sets differ in length", nameof(dst));
        if (src.Length < 2) throw new ArgumentException("at least two points are needed", nameof(src));

        int n = src.Length;
        double msx = 0, msy = 0, mdx = 0, mdy = 0;
        for (var i = 0; i < n; i++)
        {
            msx += src[i].X; msy += src[i].Y;
            mdx += dst[i].X; mdy += dst[i].Y;
        }

        msx /= n; msy /= n; mdx /= n; mdy /= n;
        double a = 0, b = 0, variance = 0;
        for (var i = 0; i < n; i++)
        {
            double sx = src[i].X - msx, sy = src[i].Y - msy;
            double dx = dst[i].X - mdx, dy = dst[i].Y - mdy;
            a += sx * dx + sy * dy;
            b += sx * dy - sy * dx;
            variance += sx * sx + sy * sy;
        }

        if (variance < 1e-12) throw new ArgumentException("source points coincide", nameof(src));
        double c = a / variance, s = b / variance;
        double tx = mdx - (c * msx - s * msy);
        double ty = mdy - (s * msx + c * msy);
        return new AffineTransform((float)c, (float)-s, (float)tx, (float)s, (float)c, (float)ty);
    }

    /// <summary>
    /// Long sides of the decodes alignment samples from: the detectors' input size (YuNet SOURCE.md: 640, the copy a
    /// detecting request has already decoded), doubled until the face is large enough, capped at full size.
    /// </summary>
    public const int DecodeLadderBase = 640;

    /// <summary>
    /// The 112×112 RGB crop aligned to the ArcFace template from 5 points given in full-size (original) pixels.
    /// Samples from a decode in which the aligned region is at least <paramref name="minSourcePixels"/> long (default
    /// 224 = 2× the template), not from the detector's copy when the face is small there.
    /// </summary>
    /// <remarks>
    /// The decode is chosen by a fixed rule — the smallest of 640, 1280, 2560, … (or full size) that is large enough
    /// — and not "the smallest decode cached so far" (<see cref="ImageSource.ForRegion"/>): which decodes a request
    /// has cached depends on the stages that ran before, and the template of a face must not depend on whether it came
    /// through face-detector-template-extractor or template-extractor.
    /// </remarks>
    public static RgbImage AlignArcFace112(ImageSource image, ReadOnlySpan<Vector2> fivePointsOriginalPx,
        int minSourcePixels = DefaultMinSourcePixels)
    {
        ArgumentNullException.ThrowIfNull(image);
        var side = SourceLongSide(image.Width, image.Height, fivePointsOriginalPx, minSourcePixels);
        return AlignArcFace112(image.Window(side, Footprint(fivePointsOriginalPx, ArcFaceTemplate, ArcFaceSize)), fivePointsOriginalPx);
    }

    /// <summary>The original pixels a <paramref name="size"/>² crop aligned to <paramref name="template"/> from
    /// <paramref name="fivePointsOriginalPx"/> reads (its corners mapped back, a pixel beyond each edge): what
    /// <see cref="ImageSource.Window"/> must decode for it.</summary>
    public static Box Footprint(ReadOnlySpan<Vector2> fivePointsOriginalPx, ReadOnlySpan<Vector2> template, int size)
    {
        var back = Umeyama(fivePointsOriginalPx, template).Invert();
        float x1 = float.MaxValue, y1 = float.MaxValue, x2 = float.MinValue, y2 = float.MinValue;
        foreach (var (cx, cy) in new[] { (-1f, -1f), (size + 1f, -1f), (-1f, size + 1f), (size + 1f, size + 1f) })
        {
            var (x, y) = back.Apply(cx, cy);
            (x1, y1, x2, y2) = (MathF.Min(x1, x), MathF.Min(y1, y), MathF.Max(x2, x), MathF.Max(y2, y));
        }

        return new Box(x1, y1, x2, y2);
    }

    /// <summary>The decode long side <see cref="AlignArcFace112(ImageSource, ReadOnlySpan{Vector2}, int)"/> samples from
    /// (0 = full size).</summary>
    public static int SourceLongSide(int width, int height, ReadOnlySpan<Vector2> fivePointsOriginalPx, int minSourcePixels = DefaultMinSourcePixels)
    {
        var toTemplate = Umeyama(fivePointsOriginalPx, ArcFaceTemplate);
        // The 112-px crop covers 112 / scale original pixels.
        var regionOriginalPx = ArcFaceSize / Math.Max(1e-6f, toTemplate.ScaleFactor);
        var fullLong = Math.Max(width, height);
        var needed = fullLong * (double)minSourcePixels / regionOriginalPx;
        long target = DecodeLadderBase;
        while (target < needed && target < fullLong) target *= 2;
        return target >= fullLong ? 0 : (int)target;
    }

    /// <summary>
    /// The 112×112 aligned crop sampled from one given decode; <paramref name="fivePointsOriginalPx"/> are in
    /// original pixels and are mapped into <paramref name="decoded"/> by its <see cref="RgbImage.Scale"/>.
    /// </summary>
    public static RgbImage AlignArcFace112(RgbImage decoded, ReadOnlySpan<Vector2> fivePointsOriginalPx)
    {
        ArgumentNullException.ThrowIfNull(decoded);
        if (fivePointsOriginalPx.Length != 5) throw new ArgumentException("five points are needed", nameof(fivePointsOriginalPx));
        Span<Vector2> points = stackalloc Vector2[5];
        for (var i = 0; i < 5; i++) points[i] = fivePointsOriginalPx[i] * decoded.Scale;
        var toTemplate = Umeyama(points, ArcFaceTemplate);
        // insightface norm_crop / foamliu align_faces: cv2.warpAffine, bilinear, constant black border.
        return ImageSampler.Warp(decoded, toTemplate, ArcFaceSize, ArcFaceSize, BorderMode.Constant, (0, 0, 0));
    }
}
