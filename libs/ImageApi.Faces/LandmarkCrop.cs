namespace ImageApi.Faces;

/// <summary>
/// The square crop the landmark model sees, in pixels of the full-size photo
/// (models/face-landmarks-pfld-ghostone-98/SOURCE.md, "Crop"): top-left corner and side.
/// </summary>
public readonly record struct LandmarkCrop(float X0, float Y0, float Side)
{
    /// <summary>Training convention's factor for the second pass (SOURCE.md: <c>1.2 × max(extent_x, extent_y)</c>).</summary>
    public const float SecondPassFactor = 1.2f;

    public Box Box => new(X0, Y0, X0 + Side, Y0 + Side);

    /// <summary>First pass: side = max(w, h) of the face box, centred on the box centre (the repo's inference code).</summary>
    public static LandmarkCrop FromBox(Box face)
    {
        var side = face.LongSide;
        return new LandmarkCrop(face.CenterX - side / 2, face.CenterY - side / 2, side);
    }

    /// <summary>Second pass: side = 1.2 × the larger extent of the first pass's points, centred on the centre of their
    /// bounding box (SOURCE.md, training convention of <c>data/SetPreparation.py</c>).</summary>
    public static LandmarkCrop FromPoints(ReadOnlySpan<Vector2> points)
    {
        float minX = float.MaxValue, minY = float.MaxValue, maxX = float.MinValue, maxY = float.MinValue;
        foreach (var p in points)
        {
            minX = MathF.Min(minX, p.X); maxX = MathF.Max(maxX, p.X);
            minY = MathF.Min(minY, p.Y); maxY = MathF.Max(maxY, p.Y);
        }

        var side = SecondPassFactor * MathF.Max(maxX - minX, maxY - minY);
        return new LandmarkCrop((minX + maxX) / 2 - side / 2, (minY + maxY) / 2 - side / 2, side);
    }

    /// <summary>Maps a model output normalised to the crop (0..1) back to photo pixels: <c>X = x0 + x·side</c>.</summary>
    public Vector2 ToImage(float x, float y) => new(X0 + x * Side, Y0 + y * Side);
}
