namespace ImageApi.Faces;

/// <summary>
/// A detected (or client-given) face after fitting, all coordinates in pixels of the full-size oriented photo:
/// <see cref="FivePoints"/> = image-left pupil, image-right pupil, nose tip, image-left and image-right mouth corners
/// (ArcFace template order, taken from the 98 landmarks: WFLW 96, 97, 54, 76, 82);
/// <see cref="Keypoints"/> = the vendor's 21 points in <see cref="Contracts.KeypointNames"/> order;
/// <see cref="Landmarks98"/> = the raw WFLW-98 points; <see cref="Pose"/> in degrees (signs: <see cref="HeadPoseEstimator"/>).
/// </summary>
public sealed record FittedFace(Box Box, float Score, Vector2[] FivePoints, Vector2[] Keypoints, Vector2[] Landmarks98, HeadPose Pose);
