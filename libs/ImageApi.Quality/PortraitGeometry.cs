namespace ImageApi.Quality;

/// <summary>
/// Face position and size against the ISO/IEC 19794-5 full-frontal geometry (ICAO 9303 portrait), in percent of the
/// image side. With A = image width, B = image height: the face centre line within 0.45–0.55·A, the eye line within
/// 0.30–0.50·B from the top, the head width within 0.50–0.75·A and the head length (crown to chin) within 0.60–0.90·B.
/// <para>
/// <b>Inner deviation</b>: how far the head falls short of the inner frame (smaller than the minimum width or length).
/// <b>Outer deviation</b>: how far it reaches beyond the outer frame — larger than the maximum, off the centre or eye-line
/// band, or cut by the image border. Both are the largest such shortfall/excess, in percentage points of A or B.
/// </para>
/// Head width is the face width at eye level (WFLW contour points 0 and 32, in front of the ears); the crown is estimated
/// one eye-to-chin distance above the eye line (eyes lie about half-way between crown and chin in adults).
/// </summary>
internal static class PortraitGeometry
{
    public const float CentreMin = 0.45f, CentreMax = 0.55f;
    public const float EyeLineMin = 0.30f, EyeLineMax = 0.50f;
    public const float HeadWidthMin = 0.50f, HeadWidthMax = 0.75f;
    public const float HeadLengthMin = 0.60f, HeadLengthMax = 0.90f;

    /// <param name="eyeLeft">image-left pupil</param>
    /// <param name="eyeRight">image-right pupil</param>
    /// <param name="chin">lowest chin point</param>
    /// <param name="contourLeft">image-left face contour at eye level (WFLW 0)</param>
    /// <param name="contourRight">image-right face contour at eye level (WFLW 32)</param>
    public static (float Inner, float Outer) Deviations(Vector2 eyeLeft, Vector2 eyeRight, Vector2 chin,
        Vector2 contourLeft, Vector2 contourRight, int width, int height)
    {
        var eyeMid = (eyeLeft + eyeRight) / 2;
        var eyeToChin = chin.Y - eyeMid.Y;
        var crownY = eyeMid.Y - eyeToChin;
        var headLength = chin.Y - crownY;
        var headWidth = Vector2.Distance(contourLeft, contourRight);
        var centreX = eyeMid.X;

        float a = width, b = height;
        var inner = MathF.Max(Shortfall(headWidth / a, HeadWidthMin), Shortfall(headLength / b, HeadLengthMin));

        var outer = MathF.Max(Excess(headWidth / a, HeadWidthMax), Excess(headLength / b, HeadLengthMax));
        outer = MathF.Max(outer, OutsideBand(centreX / a, CentreMin, CentreMax));
        outer = MathF.Max(outer, OutsideBand(eyeMid.Y / b, EyeLineMin, EyeLineMax));
        // The head box cut by the border: how much of it lies beyond each edge.
        var left = centreX - headWidth / 2;
        var right = centreX + headWidth / 2;
        outer = MathF.Max(outer, MathF.Max(MathF.Max(-left, right - a) / a, MathF.Max(-crownY, chin.Y - b) / b));
        return (100 * inner, 100 * MathF.Max(0, outer));
    }

    private static float Shortfall(float value, float min) => MathF.Max(0, min - value);

    private static float Excess(float value, float max) => MathF.Max(0, value - max);

    private static float OutsideBand(float value, float min, float max) => MathF.Max(0, MathF.Max(min - value, value - max));
}
