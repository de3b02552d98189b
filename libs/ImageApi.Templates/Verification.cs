namespace ImageApi.Templates;

/// <summary>
/// The comparison of two templates: <see cref="Distance"/> = 1 − cosine (0 same vector … 2 opposite),
/// <see cref="Score"/> = the calibrated similarity of <see cref="ScoreCalibration"/> (≈ 0 for strangers, 0.95 for a median
/// genuine pair, ≥ 0.5 exactly when accepted at FAR 1e-3), and the reference-ROC rates of a threshold
/// at this distance: <see cref="FaR"/> (impostors that would be accepted) and <see cref="FrR"/> (genuines rejected).
/// </summary>
public sealed record Verification(double Distance, double FaR, double FrR, double Score)
{
    public static Verification Of(FaceTemplate a, FaceTemplate b, RocTable roc)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(roc);
        var cosine = a.CosineTo(b);
        var distance = 1f - cosine; // float, exactly as the calibration tool computed the table's distances
        var (far, frr) = roc.RatesAt(distance);
        return new Verification(distance, far, frr, roc.ScoreAt(distance));
    }
}
