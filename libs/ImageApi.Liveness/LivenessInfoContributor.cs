using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace ImageApi.Liveness;

/// <summary><c>/info</c> key <c>liveness</c>: the configured method, models, calibration and threshold, and the
/// measured APCER/BPCER of the default operating point (null when the settings differ from it).</summary>
public sealed class LivenessInfoContributor(IOptions<LivenessOptions> options) : IInfoContributor
{
    public string Key => "liveness";

    public JsonNode Describe()
    {
        var o = options.Value;
        var models = new JsonArray();
        foreach (var m in LivenessOperatingPoint.ModelsOf(o.Method, o)) models.Add((JsonNode?)JsonValue.Create(m));
        var isDefault = o.Method == LivenessOperatingPoint.Method
                        && o.NormaliseExposure == LivenessOperatingPoint.NormaliseExposure
                        && o.Threshold == LivenessOperatingPoint.Threshold
                        && o.CalibrationSlope == LivenessOperatingPoint.CalibrationSlope
                        && o.CalibrationIntercept == LivenessOperatingPoint.CalibrationIntercept;
        return new JsonObject
        {
            ["model"] = string.Join(" + ", LivenessOperatingPoint.ModelsOf(o.Method, o)),
            ["method"] = o.Method.ToString(),
            ["models"] = models,
            ["normalise_exposure"] = o.NormaliseExposure,
            ["threshold"] = o.Threshold,
            ["decision"] = "real when calibrated P(real) >= threshold; confidence = probability of the returned value",
            ["calibration"] = new JsonObject
            {
                ["kind"] = "platt",
                ["slope"] = o.CalibrationSlope,
                ["intercept"] = o.CalibrationIntercept,
            },
            ["measured"] = isDefault
                ? new JsonObject
                {
                    ["apcer"] = LivenessOperatingPoint.MeasuredApcer,
                    ["bpcer"] = LivenessOperatingPoint.MeasuredBpcer,
                    ["apcer_held_out_subject"] = LivenessOperatingPoint.HeldOutApcer,
                    ["bpcer_held_out_subject"] = LivenessOperatingPoint.HeldOutBpcer,
                    ["dataset"] = LivenessOperatingPoint.Dataset,
                }
                : null,
            ["note"] = isDefault
                ? "4 subjects, replay attacks only — not a certification"
                : "settings differ from the measured default; re-run tools/ImageApi.Eval.Liveness for their error rates",
        };
    }
}
