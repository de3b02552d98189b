namespace ImageApi.Templates;

/// <summary>
/// The comparison of two templates: <see cref="Distance"/> = 1 − cosine (0 same vector … 2 opposite),
/// <see cref="Score"/> = the calibrated similarity of <see cref="ScoreCalibration"/> (≈ 0 for strangers, 0.95 for a median
/// genuine pair, ≥ 0.5 exactly when accepted at FAR 1e-3), and the reference-ROC rates of a threshold
/// at this distance: <see cref="FaR"/> (impostors that would be accepted) and <see cref="FrR"/> (genuines rejected). All
/// of them are the templates' method's own: each method has its own reference ROC.
/// </summary>
public sealed record Verification(double Distance, double FaR, double FrR, double Score)
{
    /// <summary>The comparison of two templates of one method, read against that method's reference ROC.</summary>
    public static Verification Of(FaceTemplate a, FaceTemplate b, ReferenceRoc roc)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(roc);
        return Of(a, b, roc.For(a.Method));
    }

    /// <summary>The comparison of two templates of one method against <paramref name="roc"/>, which must be that method's table.</summary>
    public static Verification Of(FaceTemplate a, FaceTemplate b, RocTable roc)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(roc);
        if (roc.Method != a.Method.Name) throw new InvalidOperationException($"the ROC table of '{roc.Method}' cannot read distances of {a.Method}");
        var cosine = a.CosineTo(b);
        var distance = 1f - cosine; // float, exactly as the calibration tool computed the table's distances
        var (far, frr) = roc.RatesAt(distance);
        return new Verification(distance, far, frr, roc.ScoreAt(distance));
    }
}
