using System.Globalization;

namespace ImageApi.Attributes;

/// <summary>
/// A monotone piecewise-linear map from a model's age to a corrected age, through knots <c>(predicted, corrected)</c>;
/// below the first and above the last knot the map continues with slope 1. It corrects a model's systematic bias
/// (face-api under-estimates people over 60 by about 12 years: its SOURCE.md), measured on a whole labelled set.
/// </summary>
public sealed class AgeCalibration
{
    private readonly float[] _x;
    private readonly float[] _y;

    public AgeCalibration(IReadOnlyList<(float Predicted, float Corrected)> knots)
    {
        _x = [.. knots.Select(k => k.Predicted)];
        _y = [.. knots.Select(k => k.Corrected)];
        for (var i = 1; i < _x.Length; i++)
        {
            if (!(_x[i] > _x[i - 1]) || _y[i] < _y[i - 1])
            {
                throw new ArgumentException("age calibration knots must increase in both coordinates", nameof(knots));
            }
        }
    }

    public static AgeCalibration Identity { get; } = new([]);

    public bool IsIdentity => _x.Length == 0;

    public IReadOnlyList<(float Predicted, float Corrected)> Knots => [.. _x.Select((x, i) => (x, _y[i]))];

    public float Apply(float age)
    {
        if (_x.Length == 0 || float.IsNaN(age)) return age;
        if (age <= _x[0]) return _y[0] + (age - _x[0]);
        if (age >= _x[^1]) return _y[^1] + (age - _x[^1]);
        var k = 1;
        while (_x[k] < age) k++;
        var t = (age - _x[k - 1]) / (_x[k] - _x[k - 1]);
        return _y[k - 1] + t * (_y[k] - _y[k - 1]);
    }

    /// <summary>Parses knots <c>["p1:c1", "p2:c2", …]</c> (empty = identity).</summary>
    public static AgeCalibration Parse(IReadOnlyList<string> knots) =>
        TryParse(knots, out var calibration, out var error) ? calibration : throw new InvalidOperationException(error);

    /// <summary>As <see cref="Parse"/>; false with the reason (naming the setting) when a knot does not parse or the
    /// knots do not increase.</summary>
    public static bool TryParse(IReadOnlyList<string> knots, out AgeCalibration calibration, out string error)
    {
        calibration = Identity;
        error = "";
        var parsed = new List<(float, float)>();
        foreach (var knot in knots)
        {
            var xy = knot.Split(':', StringSplitOptions.TrimEntries);
            if (xy.Length != 2
                || !float.TryParse(xy[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var x)
                || !float.TryParse(xy[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var y))
            {
                error = $"FaceAttributes:AgeCalibration: '{knot}' is not 'predicted:corrected'";
                return false;
            }

            parsed.Add((x, y));
        }

        try
        {
            calibration = parsed.Count == 0 ? Identity : new AgeCalibration(parsed);
            return true;
        }
        catch (ArgumentException e)
        {
            error = "FaceAttributes:AgeCalibration: " + e.Message;
            return false;
        }
    }

    /// <summary>The setting's entries for these knots (round-trip through <see cref="Parse"/>).</summary>
    public string[] Entries() => [.. _x.Select((x, i) => string.Create(CultureInfo.InvariantCulture, $"{x:0.#}:{_y[i]:0.#}"))];

    public override string ToString() => string.Join(',', Entries());
}
