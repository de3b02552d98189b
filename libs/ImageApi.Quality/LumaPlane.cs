namespace ImageApi.Quality;

/// <summary>
/// A luminance image (ITU-R BT.601 weights, 0..255) with a per-pixel mask of the pixels a measure may use. Masked-out
/// pixels are those outside the photo (a face cut by the border) or outside the region being measured.
/// </summary>
internal sealed class LumaPlane
{
    public LumaPlane(int width, int height, float[] values, bool[] mask)
    {
        if (values.Length != width * height || mask.Length != values.Length) throw new ArgumentException("plane size mismatch");
        Width = width;
        Height = height;
        Values = values;
        Mask = mask;
    }

    public int Width { get; }
    public int Height { get; }
    public float[] Values { get; }
    public bool[] Mask { get; }

    public float this[int x, int y] => Values[y * Width + x];

    public int Count => Mask.Count(m => m);

    /// <summary>The same values with another mask (e.g. the face region ∧ inside the photo).</summary>
    public LumaPlane WithMask(bool[] mask) => new(Width, Height, Values, mask);

    /// <summary>Is every pixel of the 3×3 neighbourhood of (x, y) inside the plane and unmasked?</summary>
    public bool NeighbourhoodValid(int x, int y)
    {
        if (x < 1 || y < 1 || x >= Width - 1 || y >= Height - 1) return false;
        for (var dy = -1; dy <= 1; dy++)
        {
            var row = (y + dy) * Width;
            for (var dx = -1; dx <= 1; dx++)
            {
                if (!Mask[row + x + dx]) return false;
            }
        }

        return true;
    }
}
