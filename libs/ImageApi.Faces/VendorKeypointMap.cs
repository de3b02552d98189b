using ImageApi.Contracts;

namespace ImageApi.Faces;

/// <summary>
/// WFLW-98 landmarks (models/face-landmarks-pfld-ghostone-98/SOURCE.md, "WFLW-98 index layout"; "left" = image-left)
/// → the vendor's 21 keypoints, in <see cref="KeypointNames.All"/> order.
/// </summary>
/// <remarks>
/// Table (vendor name ← WFLW index), chosen from the SOURCE.md layout and the vendor's example response
/// (brow ends lie outside the eye corners, "nose" below the nostril line, ear bottoms at about nose height):
/// <code>
///  0 left_eye_brow_left   ← 33  image-left brow, outer (image-left) end
///  1 left_eye_brow_up     ← 35  image-left brow, top of the upper arc (33–37)
///  2 left_eye_brow_right  ← 37  image-left brow, inner end
///  3 right_eye_brow_left  ← 42  image-right brow, inner end
///  4 right_eye_brow_up    ← 44  image-right brow, top of the upper arc (42–46)
///  5 right_eye_brow_right ← 46  image-right brow, outer end
///  6 left_eye_left        ← 60  image-left eye, outer corner
///  7 left_eye             ← 96  image-left pupil (the vendor's left_eye is the pupil centre)
///  8 left_eye_right       ← 64  image-left eye, inner corner
///  9 right_eye_left       ← 68  image-right eye, inner corner
/// 10 right_eye            ← 97  image-right pupil
/// 11 right_eye_right      ← 72  image-right eye, outer corner
/// 12 left_ear_bottom      ← 5   contour at ear-lobe height, image-left (SOURCE.md: "≈ 5", an approximation)
/// 13 nose_left            ← 55  image-left end of the nose base
/// 14 nose                 ← 54  nose tip (also the 5-point set's nose)
/// 15 nose_right           ← 59  image-right end of the nose base
/// 16 right_ear_bottom     ← 27  contour at ear-lobe height, image-right (SOURCE.md: "≈ 27")
/// 17 mouth_left           ← 76  image-left mouth corner (outer lip)
/// 18 mouth                ← mean(90, 94)  centre of the mouth: middle of the inner upper and inner lower lip
/// 19 mouth_right          ← 82  image-right mouth corner
/// 20 chin                 ← 16  lowest contour point
/// </code>
/// </remarks>
public static class VendorKeypointMap
{
    /// <summary>Source WFLW index per vendor keypoint; −1 marks a derived point (mouth centre).</summary>
    public static readonly IReadOnlyList<int> WflwIndex =
        [33, 35, 37, 42, 44, 46, 60, 96, 64, 68, 97, 72, 5, 55, 54, 59, 27, 76, -1, 82, 16];

    public const int WflwLeftPupil = 96;
    public const int WflwRightPupil = 97;
    public const int WflwNoseTip = 54;
    public const int WflwMouthLeft = 76;
    public const int WflwMouthRight = 82;
    public const int WflwInnerUpperLipMiddle = 90;
    public const int WflwInnerLowerLipMiddle = 94;

    /// <summary>The 21 vendor keypoints from 98 WFLW points.</summary>
    public static Vector2[] ToVendor21(ReadOnlySpan<Vector2> wflw98)
    {
        if (wflw98.Length != 98) throw new ArgumentException("expected 98 WFLW landmarks", nameof(wflw98));
        var result = new Vector2[KeypointNames.Count];
        for (var i = 0; i < result.Length; i++)
        {
            var k = WflwIndex[i];
            result[i] = k >= 0 ? wflw98[k] : (wflw98[WflwInnerUpperLipMiddle] + wflw98[WflwInnerLowerLipMiddle]) / 2;
        }

        return result;
    }

    /// <summary>The 5 alignment points (SOURCE.md "Derived points": 96, 97, 54, 76, 82).</summary>
    public static Vector2[] ToFivePoints(ReadOnlySpan<Vector2> wflw98) =>
        [wflw98[WflwLeftPupil], wflw98[WflwRightPupil], wflw98[WflwNoseTip], wflw98[WflwMouthLeft], wflw98[WflwMouthRight]];
}
