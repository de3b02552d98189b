namespace ImageApi.Templates;

/// <summary>
/// Verification <c>score</c>: a calibrated similarity in [0, 1], strictly decreasing in distance, that reads as the
/// vendor's does — strangers near 0, a typical genuine pair about 0.95, and <c>score ≥ 0.5</c> exactly the FAR 1e-3
/// operating point of the reference ROC. A logistic in distance whose two parameters come from the ROC:
/// <c>score = 1 / (1 + exp((distance − d₁ₑ₋₃) / s))</c>, where d₁ₑ₋₃ is the FAR 1e-3 threshold distance (score 0.5) and
/// <c>s</c> puts the median genuine pair (FRR 0.5; the seed's genuine example has fr_r 0.52 and score 0.95) at 0.95.
/// </summary>
public sealed class ScoreCalibration
{
    /// <summary>The score of a median genuine pair (the seed's genuine example).</summary>
    public const double MedianGenuineScore = 0.95;

    /// <summary>The target FAR whose threshold maps to score 0.5.</summary>
    public const double MidpointFar = 1e-3;

    private ScoreCalibration(double midpointDistance, double scale, double medianGenuineDistance)
    {
        MidpointDistance = midpointDistance;
        Scale = scale;
        MedianGenuineDistance = medianGenuineDistance;
    }

    /// <summary>Distance that scores 0.5 (the FAR 1e-3 threshold).</summary>
    public double MidpointDistance { get; }

    /// <summary>Logistic scale in distance units.</summary>
    public double Scale { get; }

    /// <summary>Distance of the median genuine pair of the calibration set (scores <see cref="MedianGenuineScore"/>).</summary>
    public double MedianGenuineDistance { get; }

    /// <param name="midpointDistance">The ROC's threshold distance at FAR 1e-3.</param>
    /// <param name="medianGenuineDistance">The ROC's distance at FRR 0.5.</param>
    public static ScoreCalibration From(double midpointDistance, double medianGenuineDistance)
    {
        if (!(medianGenuineDistance < midpointDistance))
        {
            throw new InvalidDataException(
                $"ROC table: the median genuine distance ({medianGenuineDistance}) must be below the FAR 1e-3 threshold ({midpointDistance})");
        }

        var scale = (midpointDistance - medianGenuineDistance) / Math.Log(MedianGenuineScore / (1 - MedianGenuineScore));
        return new ScoreCalibration(midpointDistance, scale, medianGenuineDistance);
    }

    public double Score(double distance) =>
        double.IsNaN(distance) ? double.NaN : 1 / (1 + Math.Exp((distance - MidpointDistance) / Scale));

    /// <summary>The inverse: the distance at which <paramref name="score"/> is reached (score in (0, 1)).</summary>
    public double DistanceAt(double score) => MidpointDistance + Scale * Math.Log((1 - score) / score);
}
