namespace ImageApi.Imaging;

/// <summary>An axis-aligned box in pixels: <c>[X1, X2) × [Y1, Y2)</c>.</summary>
public readonly record struct Box(float X1, float Y1, float X2, float Y2)
{
    public float Width => X2 - X1;
    public float Height => Y2 - Y1;
    public float Area => Math.Max(0, Width) * Math.Max(0, Height);
    public float CenterX => (X1 + X2) / 2;
    public float CenterY => (Y1 + Y2) / 2;
    public float LongSide => Math.Max(Width, Height);

    public Box Scale(float s) => new(X1 * s, Y1 * s, X2 * s, Y2 * s);

    /// <summary>A square of side <c>max(w, h) × factor</c> around the centre (the usual model-crop rule).</summary>
    public Box SquareAround(float factor)
    {
        var half = LongSide * factor / 2;
        return new Box(CenterX - half, CenterY - half, CenterX + half, CenterY + half);
    }

    public Box ClampTo(float width, float height) =>
        new(Math.Clamp(X1, 0, width), Math.Clamp(Y1, 0, height), Math.Clamp(X2, 0, width), Math.Clamp(Y2, 0, height));

    public float IntersectionArea(Box other)
    {
        var w = Math.Min(X2, other.X2) - Math.Max(X1, other.X1);
        var h = Math.Min(Y2, other.Y2) - Math.Max(Y1, other.Y1);
        return w <= 0 || h <= 0 ? 0 : w * h;
    }

    public float IoU(Box other)
    {
        var inter = IntersectionArea(other);
        var union = Area + other.Area - inter;
        return union <= 0 ? 0 : inter / union;
    }
}
