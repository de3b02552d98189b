using System.Text;
using System.Text.Json.Nodes;
using ImageApi.Contracts;

namespace ImageApi.Quality;

/// <summary>
/// Writes <c>quality</c> into a face object: v1 <c>quality: {qaa: {camelCase}}</c>, v2 <c>quality: {snake_case}</c>,
/// the 29 fields in the order of the vendor's examples (shared/spec/examples/quality-assessment-estimator.*).
/// </summary>
public static class QualityObjectWriter
{
    public const string Quality = "quality";
    public const string Qaa = "qaa";

    /// <summary>The v2 field names in the examples' order.</summary>
    public static readonly IReadOnlyList<string> FieldNames =
    [
        "total_score", "is_sharp", "sharpness_score", "is_evenly_illuminated", "illumination_score", "no_flare",
        "is_left_eye_opened", "left_eye_openness_score", "is_right_eye_opened", "right_eye_openness_score",
        "is_rotation_acceptable", "max_rotation_deviation", "not_masked", "not_masked_score", "is_neutral_emotion",
        "neutral_emotion_score", "is_eyes_distance_acceptable", "eyes_distance", "is_margins_acceptable",
        "margin_outer_deviation", "margin_inner_deviation", "is_not_noisy", "noise_score", "watermark_score",
        "has_watermark", "dynamic_range_score", "is_dynamic_range_acceptable", "background_uniformity_score",
        "is_background_uniform",
    ];

    public static void Write(JsonObject face, FaceQuality q, ApiVersion version)
    {
        JsonNode?[] values =
        [
            Score(q.TotalScore), q.IsSharp, Score(q.SharpnessScore), q.IsEvenlyIlluminated, Score(q.IlluminationScore),
            q.NoFlare, q.IsLeftEyeOpened, Score(q.LeftEyeOpennessScore), q.IsRightEyeOpened, Score(q.RightEyeOpennessScore),
            q.IsRotationAcceptable, Measure(q.MaxRotationDeviation), q.NotMasked, Score(q.NotMaskedScore), q.IsNeutralEmotion,
            Score(q.NeutralEmotionScore), q.IsEyesDistanceAcceptable, Measure(q.EyesDistance), q.IsMarginsAcceptable,
            Measure(q.MarginOuterDeviation), Measure(q.MarginInnerDeviation), q.IsNotNoisy, Score(q.NoiseScore),
            Score(q.WatermarkScore), q.HasWatermark, Score(q.DynamicRangeScore), q.IsDynamicRangeAcceptable,
            Score(q.BackgroundUniformityScore), q.IsBackgroundUniform,
        ];
        var fields = new JsonObject();
        for (var i = 0; i < FieldNames.Count; i++)
        {
            fields[version == ApiVersion.V1 ? CamelCase(FieldNames[i]) : FieldNames[i]] = values[i];
        }

        face[Quality] = version == ApiVersion.V1 ? new JsonObject { [Qaa] = fields } : fields;
    }

    /// <summary><c>is_left_eye_opened</c> → <c>isLeftEyeOpened</c>.</summary>
    public static string CamelCase(string snake)
    {
        var sb = new StringBuilder(snake.Length);
        var upper = false;
        foreach (var c in snake)
        {
            if (c == '_') { upper = true; continue; }
            sb.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }

        return sb.ToString();
    }

    // Scores in [0, 1] to 4 decimals, measurements (pixels, degrees, percent, bits) to 2: more digits are noise.
    private static JsonNode Score(float v) => JsonValue.Create(Math.Round((double)v, 4));

    private static JsonNode Measure(float v) => JsonValue.Create(Math.Round((double)v, 2));
}
