namespace ImageApi.Imaging;

/// <summary>Size of the photo in display orientation (after EXIF) and its EXIF orientation tag (1..8).</summary>
public readonly record struct ImageHeader(int Width, int Height, int Orientation);
