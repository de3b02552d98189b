namespace ImageApi.Liveness;

/// <summary>
/// The model crops of the liveness models, read from the request's decoded image. Every coordinate is in pixels of the
/// full-size oriented photo, and the decode is picked from a fixed ladder (the detector's long side × 2ᵏ, or full
/// size) rather than from whatever happens to be cached: the same face gives the same pixels whether it came from our
/// detector (face-detector-liveness-estimator, whose 640 decode is then reused) or from a client's fitter output
/// (liveness-estimator), which is what lets both services agree.
/// </summary>
internal static class LivenessCrops
{
    /// <summary>The smallest ladder decode in which a region of <paramref name="regionLongSide"/> original pixels is
    /// at least <paramref name="minPixels"/> long (so the crop is never upsampled from a coarser decode than needed);
    /// <paramref name="area"/>: the original pixels the crop reads (<see cref="Box.SampledArea"/>), all of the decode
    /// that is made where the decode is a large one (<see cref="ImageSource.Window"/>).</summary>
    public static RgbImage DecodeFor(ImageSource source, float regionLongSide, int minPixels, int ladderBase, Box area)
    {
        var fullLong = Math.Max(source.Width, source.Height);
        if (regionLongSide <= 0) return source.Window(0, area);
        var needed = fullLong * (double)minPixels / regionLongSide;
        for (var side = Math.Max(64, ladderBase); side < fullLong; side *= 2)
        {
            if (side >= needed) return source.Window(side, area);
        }

        return source.Window(0, area);
    }

    /// <summary>
    /// models/liveness-minifas-celebaspoof-128/SOURCE.md (repo <c>src/inference/preprocess.py</c> <c>crop</c>):
    /// a square of side <c>int(1.5 · max(w, h))</c> whose corner is <c>int(centre − side/2)</c>, pixels outside the
    /// photo filled by reflect-101, resized to <paramref name="size"/>².
    /// </summary>
    public static RgbImage CelebaSpoofSquare(ImageSource source, Box face, float expansion, int size, int ladderBase)
    {
        var side = MathF.Floor(face.LongSide * expansion);
        // Python int() truncates toward zero, also for negative corners.
        var x = MathF.Truncate(face.CenterX - face.LongSide * expansion / 2);
        var y = MathF.Truncate(face.CenterY - face.LongSide * expansion / 2);
        var area = new Box(x, y, x + side, y + side).SampledArea(BorderMode.Reflect, source.Width, source.Height);
        var image = DecodeFor(source, side, size, ladderBase, area);
        var s = image.Scale;
        return ImageSampler.CropResize(image, x * s, y * s, (x + side) * s, (y + side) * s, size, size, BorderMode.Reflect);
    }

    /// <summary>
    /// models/liveness-minifasnetv2-80 and liveness-minifasnetv1se-80 SOURCE.md (Silent-Face
    /// <c>CropImage._get_new_box</c> + <c>crop</c>): the box scaled by <c>min((H−1)/h, (W−1)/w, scale)</c> about its
    /// centre, shifted back inside the photo (no padding), cropped inclusive of its integer corners and resized to
    /// <paramref name="size"/>² (bilinear).
    /// </summary>
    public static RgbImage SilentFace(ImageSource source, Box face, float scale, int size, int ladderBase)
    {
        var (left, top, right, bottom) = SilentFaceBox(source.Width, source.Height, face, scale);
        // Inclusive corners: the crop covers pixel edges [left, right + 1) × [top, bottom + 1).
        var area = new Box(left, top, right + 1, bottom + 1).SampledArea(BorderMode.Replicate, source.Width, source.Height);
        var image = DecodeFor(source, Math.Max(right + 1 - left, bottom + 1 - top), size, ladderBase, area);
        var s = image.Scale;
        return ImageSampler.CropResize(image, left * s, top * s, (right + 1) * s, (bottom + 1) * s, size, size, BorderMode.Replicate);
    }

    /// <summary>Silent-Face <c>_get_new_box</c> on an <c>(x, y, w, h)</c> box in a <paramref name="width"/>×
    /// <paramref name="height"/> photo; returns the integer corners <c>(left, top, right, bottom)</c>, inclusive.</summary>
    internal static (int Left, int Top, int Right, int Bottom) SilentFaceBox(int width, int height, Box face, float scale)
    {
        float w = Math.Max(1, face.Width), h = Math.Max(1, face.Height);
        scale = Math.Min((height - 1) / h, Math.Min((width - 1) / w, scale));
        float newW = w * scale, newH = h * scale;
        float cx = face.X1 + w / 2, cy = face.Y1 + h / 2;
        float x1 = cx - newW / 2, y1 = cy - newH / 2, x2 = cx + newW / 2, y2 = cy + newH / 2;
        if (x1 < 0) { x2 -= x1; x1 = 0; }
        if (y1 < 0) { y2 -= y1; y1 = 0; }
        if (x2 > width - 1) { x1 -= x2 - width + 1; x2 = width - 1; }
        if (y2 > height - 1) { y1 -= y2 - height + 1; y2 = height - 1; }
        // Python int() truncates toward zero; after the shifts every corner is ≥ 0 (up to float rounding).
        return ((int)MathF.Max(0, x1), (int)MathF.Max(0, y1), (int)x2, (int)y2);
    }
}
