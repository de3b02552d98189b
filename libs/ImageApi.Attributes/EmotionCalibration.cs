using System.Globalization;

namespace ImageApi.Attributes;

/// <summary>
/// A per-class prior correction of the emotion probabilities: <c>p'(c) ∝ p(c) · exp(b(c))</c>, renormalised, so the
/// answer stays a probability distribution over the 7 classes. It moves the decision boundaries between classes a
/// model over- or under-calls on photos (a model trained on one class balance and seen on another); it cannot
/// teach a model a class it does not see. Offsets are fitted by the evaluation tool (docs/attributes.md).
/// </summary>
public sealed class EmotionCalibration
{
    private readonly float[] _offsets;

    public EmotionCalibration(IReadOnlyList<float> offsets)
    {
        if (offsets.Count != EmotionEstimator.Emotions.Length) throw new ArgumentException("one offset per emotion", nameof(offsets));
        if (offsets.Any(o => !float.IsFinite(o))) throw new ArgumentException("offsets must be finite", nameof(offsets));
        _offsets = [.. offsets];
    }

    public static EmotionCalibration Identity { get; } = new(new float[7]);

    /// <summary>The log-scale offset of each emotion, in <see cref="EmotionEstimator.Emotions"/> order.</summary>
    public IReadOnlyList<float> Offsets => _offsets;

    public bool IsIdentity => _offsets.All(o => o == 0);

    /// <summary>Applies the offsets to one distribution in place (it stays summing to 1).</summary>
    public void Apply(Span<float> probabilities)
    {
        if (IsIdentity) return;
        var sum = 0f;
        for (var e = 0; e < probabilities.Length; e++)
        {
            probabilities[e] *= MathF.Exp(_offsets[e]);
            sum += probabilities[e];
        }

        for (var e = 0; e < probabilities.Length; e++) probabilities[e] /= sum;
    }

    /// <summary>Parses <c>["ANGRY:b", "DISGUSTED:b", …]</c> (any case; unnamed emotions get 0; empty = identity).</summary>
    public static EmotionCalibration Parse(IReadOnlyList<string> entries) =>
        TryParse(entries, out var calibration, out var error) ? calibration : throw new InvalidOperationException(error);

    /// <summary>As <see cref="Parse"/>; false with the reason (naming the setting) when an entry is not <c>EMOTION:offset</c>.</summary>
    public static bool TryParse(IReadOnlyList<string> entries, out EmotionCalibration calibration, out string error)
    {
        calibration = Identity;
        error = "";
        if (entries.Count == 0) return true;
        var offsets = new float[EmotionEstimator.Emotions.Length];
        foreach (var entry in entries)
        {
            var kv = entry.Split(':', StringSplitOptions.TrimEntries);
            var index = kv.Length == 2 ? Array.FindIndex(EmotionEstimator.Emotions, e => string.Equals(e, kv[0], StringComparison.OrdinalIgnoreCase)) : -1;
            if (index < 0 || !float.TryParse(kv[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var b) || !float.IsFinite(b))
            {
                error = $"FaceAttributes:EmotionCalibration: '{entry}' is not EMOTION:offset";
                return false;
            }

            offsets[index] = b;
        }

        calibration = new EmotionCalibration(offsets);
        return true;
    }

    /// <summary>The setting's entries for these offsets (round-trip through <see cref="Parse"/>).</summary>
    public string[] Entries() =>
        [.. EmotionEstimator.Emotions.Select((e, i) => e + ":" + _offsets[i].ToString("0.###", CultureInfo.InvariantCulture))];

    public override string ToString() => string.Join(",", Entries());
}
