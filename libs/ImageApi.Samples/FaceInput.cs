using System.Numerics;

namespace ImageApi.Samples;

/// <summary>
/// A face object of the request as the estimators see it: its JSON object (to add fields to), its box and, when the
/// fitter's output came along, its 21 keypoints — in pixels of the full-size oriented photo. The request's pose angles
/// are not read: every stage that needs a pose estimates it itself (they may come from another vendor's fitter).
/// </summary>
public sealed record FaceInput(int Index, JsonObject Object, Box Box, Vector2[]? Keypoints)
{
    /// <summary>The 5 alignment points (image-left eye, image-right eye, nose, image-left and image-right mouth
    /// corners — the ArcFace template order) taken from the 21 keypoints; null without keypoints.</summary>
    public Vector2[]? FivePoints => Keypoints is null
        ? null
        : [Keypoints[Contracts.KeypointNames.LeftEye], Keypoints[Contracts.KeypointNames.RightEye],
           Keypoints[Contracts.KeypointNames.Nose], Keypoints[Contracts.KeypointNames.MouthLeft],
           Keypoints[Contracts.KeypointNames.MouthRight]];
}
