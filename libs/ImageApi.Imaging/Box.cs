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

    /// <summary>
    /// The part of a <paramref name="width"/>×<paramref name="height"/> image that sampling this box reads under
    /// <paramref name="border"/>: the box itself, and where it reaches outside, the pixels the border rule mirrors in
    /// (reflect-101) or the edge it repeats (replicate; constant reads nothing outside). Clipped to the image.
    /// </summary>
    public Box SampledArea(BorderMode border, float width, float height)
    {
        static (float From, float To) Axis(float from, float to, float size, BorderMode border)
        {
            if (border == BorderMode.Reflect)
            {
                // Reflect-101 maps -v to v and (size - 1) + v to (size - 1) - v; beyond one period, anything.
                if (from < -(size - 1) || to > 2 * (size - 1)) return (0, size);
                if (from < 0) to = MathF.Max(to, -from + 1);
                if (to > size) from = MathF.Min(from, 2 * (size - 1) - to - 1);
            }

            return (Math.Clamp(from, 0, size), Math.Clamp(to, 0, size));
        }

        var (x1, x2) = Axis(X1, X2, width, border);
        var (y1, y2) = Axis(Y1, Y2, height, border);
        return new Box(x1, y1, x2, y2);
    }
}
