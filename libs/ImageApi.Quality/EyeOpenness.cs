namespace ImageApi.Quality;

/// <summary>
/// Eye aspect ratio (Soukupová &amp; Čech 2016) from the WFLW-98 eye contours, as models/face-landmarks-pfld-ghostone-98/
/// SOURCE.md gives it: image-left <c>(|61−67| + |62−66| + |63−65|) / (3·|60−64|)</c>, image-right
/// <c>(|69−75| + |70−74| + |71−73|) / (3·|68−72|)</c>. SOURCE.md observed 0.21–0.34 for open and 0.06–0.11 for closed eyes.
/// The vendor's 21 keypoints have only the corners and the pupil of each eye (no lids), so the 98 points are needed.
/// </summary>
internal static class EyeOpenness
{
    /// <summary>EAR of the image-left eye (the vendor's "left" eye: left_eye_left … left_eye_right).</summary>
    public static float LeftRatio(ReadOnlySpan<Vector2> wflw98) => Ratio(wflw98, 60, 64, [(61, 67), (62, 66), (63, 65)]);

    /// <summary>EAR of the image-right eye.</summary>
    public static float RightRatio(ReadOnlySpan<Vector2> wflw98) => Ratio(wflw98, 68, 72, [(69, 75), (70, 74), (71, 73)]);

    /// <summary>Logistic map of the EAR to [0, 1]: 0.5 at <paramref name="centre"/>, slope set by <paramref name="width"/>.</summary>
    public static float Score(float ratio, float centre, float width) => 1f / (1f + MathF.Exp(-(ratio - centre) / width));

    private static float Ratio(ReadOnlySpan<Vector2> p, int corner1, int corner2, ReadOnlySpan<(int Upper, int Lower)> lids)
    {
        var width = Vector2.Distance(p[corner1], p[corner2]);
        if (width < 1e-3f) return 0;
        var sum = 0f;
        foreach (var (u, l) in lids) sum += Vector2.Distance(p[u], p[l]);
        return sum / (lids.Length * width);
    }
}
