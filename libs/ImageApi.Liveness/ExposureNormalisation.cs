namespace ImageApi.Liveness;

/// <summary>
/// Exposure normalisation of a model crop (<c>Liveness:NormaliseExposure</c>): all three channels scaled by one
/// gain so that the crop's mean BT.601 luminance is 128, the gain capped at 4 so a black crop is not blown up into
/// noise. It is our addition, not part of any model's SOURCE.md pre-processing: it is applied to the crop each model
/// sees, after the crop rule of its SOURCE.md and before its tensor packing. Why: on liveness-dev the real and replay
/// crops of a subject differ in exposure as much as in liveness (apfol: mean luminance 76 real vs 127 replay;
/// lestari15: 38 for both), far from the models' training exposures. Measured leave-one-subject-out
/// (docs/results/liveness.md): <c>All</c> 45 % / 7 % → 40 % / 6 % (APCER / BPCER), CelebA-Spoof alone 73 % / 4 % →
/// 65 % / 5 %; Silent-Face alone about unchanged. One gain for all channels keeps the colour cast, which is a replay
/// cue: a per-channel gray-world balance was measured too and lost (<c>All</c> 63 % / 15 %).
/// </summary>
public static class ExposureNormalisation
{
    public const double TargetLuma = 128;
    public const double MaxGain = 4;

    public static RgbImage Apply(RgbImage crop)
    {
        var px = crop.Pixels;
        var n = crop.Width * crop.Height;
        double r = 0, g = 0, b = 0;
        for (var i = 0; i < 3 * n; i += 3) { r += px[i]; g += px[i + 1]; b += px[i + 2]; }
        var luma = (0.299 * r + 0.587 * g + 0.114 * b) / n;
        var gain = (float)Math.Min(TargetLuma / Math.Max(luma, 1), MaxGain);
        var dst = new byte[3 * n];
        for (var i = 0; i < dst.Length; i++) dst[i] = (byte)Math.Clamp((int)MathF.Round(px[i] * gain), 0, 255);
        return new RgbImage(crop.Width, crop.Height, dst, crop.Scale);
    }
}
