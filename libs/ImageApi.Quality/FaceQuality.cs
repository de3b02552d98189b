namespace ImageApi.Quality;

/// <summary>The 29 quality fields of one face (units and ranges: docs/quality.md).</summary>
public sealed record FaceQuality
{
    public required float TotalScore { get; init; }
    public required bool IsSharp { get; init; }
    public required float SharpnessScore { get; init; }
    public required bool IsEvenlyIlluminated { get; init; }
    public required float IlluminationScore { get; init; }
    public required bool NoFlare { get; init; }
    public required bool IsLeftEyeOpened { get; init; }
    public required float LeftEyeOpennessScore { get; init; }
    public required bool IsRightEyeOpened { get; init; }
    public required float RightEyeOpennessScore { get; init; }
    public required bool IsRotationAcceptable { get; init; }
    public required float MaxRotationDeviation { get; init; }
    public required bool NotMasked { get; init; }
    public required float NotMaskedScore { get; init; }
    public required bool IsNeutralEmotion { get; init; }
    public required float NeutralEmotionScore { get; init; }
    public required bool IsEyesDistanceAcceptable { get; init; }
    public required float EyesDistance { get; init; }
    public required bool IsMarginsAcceptable { get; init; }
    public required float MarginOuterDeviation { get; init; }
    public required float MarginInnerDeviation { get; init; }
    public required bool IsNotNoisy { get; init; }
    public required float NoiseScore { get; init; }
    public required float WatermarkScore { get; init; }
    public required bool HasWatermark { get; init; }
    public required float DynamicRangeScore { get; init; }
    public required bool IsDynamicRangeAcceptable { get; init; }
    public required float BackgroundUniformityScore { get; init; }
    public required bool IsBackgroundUniform { get; init; }

    /// <summary>The raw measurements behind the scores (for tests, evaluation and tuning; not in the response).</summary>
    public required QualityMeasurements Raw { get; init; }
}
