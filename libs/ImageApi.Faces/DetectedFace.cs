namespace ImageApi.Faces;

/// <summary>A detector hit in pixels of the full-size oriented photo: box, score and the 5 points
/// (image-left eye, image-right eye, nose tip, image-left and image-right mouth corners).</summary>
public sealed record DetectedFace(Box Box, float Score, Vector2[] Landmarks);
