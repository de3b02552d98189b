namespace ImageApi.Bodies;

/// <summary>
/// Where an image of <c>Width×Height</c> sits inside the square model input: resized to
/// <c>ContentWidth×ContentHeight</c> and offset by <c>(PadX, PadY)</c>. Maps model-input boxes back to image pixels.
/// </summary>
internal readonly record struct Letterbox(int Width, int Height, int ContentWidth, int ContentHeight, int PadX, int PadY, float Ratio)
{
    /// <summary>
    /// YOLOX <c>ValTransform</c> (legacy=False), as models/body-detector-yolox-nano/SOURCE.md: <c>r = min(S/h, S/w)</c>,
    /// resized to <c>(int(w·r), int(h·r))</c> and placed at the top-left; boxes are divided by <c>r</c>.
    /// </summary>
    public static Letterbox TopLeft(int width, int height, int size)
    {
        var r = Math.Min(size / (float)height, size / (float)width);
        return new Letterbox(width, height, Math.Clamp((int)(width * r), 1, size), Math.Clamp((int)(height * r), 1, size), 0, 0, r);
    }

    /// <summary>
    /// The NanoDet demos' centred letterbox (models/body-detector-nanodet-m-416/SOURCE.md, hpc203 <c>resize_image</c>): the
    /// long side fills the input, the short side becomes <c>int(S·ratio)</c> and is centred with
    /// <c>int((S − new)·0.5)</c> pixels before it; a square image is resized to S×S. Boxes map back by subtracting the pad
    /// and multiplying by <c>original / new</c> per axis.
    /// </summary>
    public static Letterbox Centered(int width, int height, int size)
    {
        if (width == height) return new Letterbox(width, height, size, size, 0, 0, size / (float)width);
        var hw = height / (float)width;
        if (hw > 1)
        {
            var newW = Math.Max(1, (int)(size / hw));
            return new Letterbox(width, height, newW, size, (int)((size - newW) * 0.5f), 0, size / (float)height);
        }

        var newH = Math.Max(1, (int)(size * hw));
        return new Letterbox(width, height, size, newH, 0, (int)((size - newH) * 0.5f), size / (float)width);
    }

    /// <summary>YOLOX rule: model-input box / r.</summary>
    public Box ToImageByRatio(Box b) => new(b.X1 / Ratio, b.Y1 / Ratio, b.X2 / Ratio, b.Y2 / Ratio);

    /// <summary>NanoDet demo rule: (coordinate − pad) × original / new, per axis.</summary>
    public Box ToImageByAxes(Box b)
    {
        var sx = Width / (float)ContentWidth;
        var sy = Height / (float)ContentHeight;
        return new Box((b.X1 - PadX) * sx, (b.Y1 - PadY) * sy, (b.X2 - PadX) * sx, (b.Y2 - PadY) * sy);
    }

    /// <summary>
    /// Writes the letterboxed image as an NCHW BGR tensor of <c>size×size</c>: pad pixels get <paramref name="padValue"/>
    /// (raw, before normalisation), content pixels <c>(v − mean[c]) / std[c]</c> with mean/std in B, G, R order.
    /// </summary>
    public void PackBgr(RgbImage image, int size, Span<float> dst, byte padValue, ReadOnlySpan<float> meanBgr, ReadOnlySpan<float> stdBgr)
    {
        var content = ContentWidth == image.Width && ContentHeight == image.Height
            ? image
            : ImageSampler.Resize(image, ContentWidth, ContentHeight);
        var plane = size * size;
        for (var c = 0; c < 3; c++)
        {
            dst.Slice(c * plane, plane).Fill((padValue - meanBgr[c]) / stdBgr[c]);
        }

        float ib = 1 / stdBgr[0], ig = 1 / stdBgr[1], ir = 1 / stdBgr[2];
        float mb = meanBgr[0], mg = meanBgr[1], mr = meanBgr[2];
        var px = content.Pixels;
        for (var y = 0; y < content.Height; y++)
        {
            var row = (y + PadY) * size + PadX;
            var src = y * content.Stride;
            for (var x = 0; x < content.Width; x++, src += 3)
            {
                var i = row + x;
                dst[i] = (px[src + 2] - mb) * ib;
                dst[plane + i] = (px[src + 1] - mg) * ig;
                dst[2 * plane + i] = (px[src] - mr) * ir;
            }
        }
    }
}
