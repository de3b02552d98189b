namespace ImageApi.Imaging;

/// <summary>How pixels outside the image are filled when a crop or warp reaches past the border.</summary>
public enum BorderMode
{
    /// <summary>Repeat the edge pixel (OpenCV BORDER_REPLICATE).</summary>
    Replicate,

    /// <summary>Mirror without repeating the edge (OpenCV BORDER_REFLECT_101).</summary>
    Reflect,

    /// <summary>Fill with a constant colour (black unless given).</summary>
    Constant,
}
