namespace ImageApi.Attributes;

/// <summary>Model crops read from the request's already-decoded image (the smallest cached decode with enough detail).</summary>
internal static class FaceCrop
{
    /// <summary>
    /// A square of side <c>factor × max(w, h)</c> centred on <paramref name="box"/> (original pixels), resized to
    /// <paramref name="width"/>×<paramref name="height"/>; pixels outside the photo follow <paramref name="border"/>, so a
    /// face at the image border still gets a full crop. Into <paramref name="into"/> when given
    /// (<see cref="ImageSampler.Warp"/>).
    /// </summary>
    public static RgbImage Square(ImageSource source, Box box, float factor, int width, int height,
        BorderMode border = BorderMode.Replicate, byte[]? into = null)
    {
        var square = box.SquareAround(factor);
        var image = source.ForRegion(square.LongSide, Math.Max(width, height), square.SampledArea(border, source.Width, source.Height));
        var s = square.Scale(image.Scale);
        return ImageSampler.CropResize(image, s.X1, s.Y1, s.X2, s.Y2, width, height, border, into: into);
    }
}
