namespace ImageApi.Bodies;

/// <summary>A person found by the body detector: box in pixels of the full-size oriented photo, and its score.</summary>
public sealed record DetectedBody(Box Box, float Score);
