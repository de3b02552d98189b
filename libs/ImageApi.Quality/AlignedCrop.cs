using ImageApi.Imaging;

namespace ImageApi.Quality;

/// <summary>
/// A face resampled into a canonical frame by the similarity transform that takes its 5 points onto a scaled ArcFace
/// template (<see cref="FaceAligner.Umeyama"/>), so every measure sees the face at the same size and upright, as OFIQ
/// measures on its aligned image. <see cref="Luma"/> masks out pixels that fall outside the photo.
/// </summary>
internal sealed class AlignedCrop
{
    private AlignedCrop(int size, LumaPlane luma, AffineTransform originalToCrop)
    {
        Size = size;
        Luma = luma;
        OriginalToCrop = originalToCrop;
    }

    /// <summary>Luminance of the crop; mask = the pixel came from inside the photo.</summary>
    public LumaPlane Luma { get; }

    /// <summary>Maps pixels of the full-size photo to crop pixels.</summary>
    public AffineTransform OriginalToCrop { get; }

    public int Size { get; }

    public Vector2 Map(Vector2 original)
    {
        var (x, y) = OriginalToCrop.Apply(original.X, original.Y);
        return new Vector2(x, y);
    }

    /// <summary>
    /// The crop of <paramref name="size"/>² pixels in which the 5 points land on the ArcFace template scaled by
    /// <paramref name="templateScale"/> (of its 112-px frame) and shifted by <paramref name="offset"/>. It is sampled
    /// from the smallest decode in which it has at least <paramref name="size"/> source pixels across.
    /// </summary>
    public static AlignedCrop Create(ImageSource source, ReadOnlySpan<Vector2> fivePointsOriginal, int size, float templateScale, Vector2 offset)
    {
        Span<Vector2> template = stackalloc Vector2[5];
        for (var i = 0; i < 5; i++) template[i] = FaceAligner.ArcFaceTemplate[i] * templateScale + offset;
        var toCrop = FaceAligner.Umeyama(fivePointsOriginal, template);
        var regionOriginal = size / Math.Max(1e-6f, toCrop.ScaleFactor);
        var decoded = source.ForRegion(regionOriginal, size);

        // Points in the decode's pixels (original × Scale) → crop.
        Span<Vector2> scaled = stackalloc Vector2[5];
        for (var i = 0; i < 5; i++) scaled[i] = fivePointsOriginal[i] * decoded.Scale;
        var decodedToCrop = FaceAligner.Umeyama(scaled, template);
        // The colour crop is only read for its luminance: a pooled buffer, returned below.
        var pixels = PixelBuffers.Bytes.Rent(size * size * 3);
        var image = ImageSampler.Warp(decoded, decodedToCrop, size, size, BorderMode.Replicate, into: pixels);

        var inverse = decodedToCrop.Invert();
        var values = new float[size * size];
        var inside = new bool[size * size];
        var px = image.Pixels;
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                var i = y * size + x;
                values[i] = 0.299f * px[3 * i] + 0.587f * px[3 * i + 1] + 0.114f * px[3 * i + 2];
                var (sx, sy) = inverse.Apply(x, y);
                inside[i] = sx >= -0.5f && sy >= -0.5f && sx <= decoded.Width - 0.5f && sy <= decoded.Height - 0.5f;
            }
        }

        PixelBuffers.Bytes.Return(pixels);
        return new AlignedCrop(size, new LumaPlane(size, size, values, inside), toCrop);
    }
}
