using ImageApi.Faces;
using ImageApi.Inference;
using Microsoft.Extensions.Options;

namespace ImageApi.Attributes;

/// <summary>
/// Age and gender of faces, from the model families named by the settings (<see cref="IAgeGenderModel"/>: face-api
/// TinyXception, the default; InsightFace fMobileNet, non-commercial; mini-Xception, gender only). Gender is the mean
/// P(female) of the configured models; with flip on, every crop is averaged with its mirror image.
/// </summary>
public sealed class AgeGenderEstimator(ModelCatalog catalog, FaceFitting fitting, IOptions<FaceAttributesOptions> options) : IWarmable
{
    private readonly FaceAttributesOptions _options = options.Value;
    private readonly IAgeGenderModel[] _families =
    [
        new FaceApiAgeGenderModel(catalog, options.Value),
        new InsightFaceAgeGenderModel(catalog, fitting, options.Value),
        new MiniXceptionGenderModel(catalog, options.Value),
    ];
    private AgeCalibration? _calibration;

    public FaceAttributesOptions Options => _options;

    /// <summary>The gender models named by <see cref="FaceAttributesOptions.GenderModels"/>.</summary>
    public IReadOnlyList<string> GenderModels =>
        Checked(_options.GenderModels, FaceAttributesOptions.ModelListError(nameof(FaceAttributesOptions.GenderModels), _options.GenderModels, AttributeModels.GenderFamilies));

    /// <summary>The face-api crop scales for age (<see cref="FaceAttributesOptions.AgeCropScales"/>).</summary>
    public float[] AgeScales =>
        Checked(_options.AgeCropScales, FaceAttributesOptions.CropScaleListError(nameof(FaceAttributesOptions.AgeCropScales), _options.AgeCropScales));

    /// <summary>The face-api crop scales for gender (<see cref="FaceAttributesOptions.GenderCropScales"/>).</summary>
    public float[] GenderScales =>
        Checked(_options.GenderCropScales, FaceAttributesOptions.CropScaleListError(nameof(FaceAttributesOptions.GenderCropScales), _options.GenderCropScales));

    /// <summary>The age correction of <see cref="FaceAttributesOptions.AgeCalibration"/> (identity when empty).</summary>
    public AgeCalibration Calibration => _calibration ??= AgeCalibration.Parse(_options.AgeCalibration);

    /// <summary>Per face, the age in years (≥ 0) from <see cref="FaceAttributesOptions.AgeModel"/>.</summary>
    public float[] EstimateAge(ImageSource image, IReadOnlyList<FaceInput> faces, CancellationToken ct)
    {
        using var activity = ImageApiTelemetry.StartStage("age");
        var estimates = Run(_options.AgeModel, image, faces, AgeScales, ct);
        var ages = new float[faces.Count];
        for (var i = 0; i < ages.Length; i++) ages[i] = Math.Max(0, Calibration.Apply(estimates[i].Age));
        return ages;
    }

    /// <summary>Per face, P(female): the mean over <see cref="GenderModels"/>.</summary>
    public float[] EstimateFemaleProbability(ImageSource image, IReadOnlyList<FaceInput> faces, CancellationToken ct)
    {
        using var activity = ImageApiTelemetry.StartStage("gender");
        var sum = new float[faces.Count];
        foreach (var model in GenderModels)
        {
            var estimates = Run(model, image, faces, GenderScales, ct);
            for (var i = 0; i < sum.Length; i++) sum[i] += estimates[i].FemaleProbability;
        }

        for (var i = 0; i < sum.Length; i++) sum[i] /= GenderModels.Count;
        return sum;
    }

    /// <summary>One model's raw reading of every face (used by the services and by the evaluation tool);
    /// <paramref name="cropScales"/> are the crop scales of a family that crops a square around the box.</summary>
    public AgeGenderEstimate[] Run(string model, ImageSource image, IReadOnlyList<FaceInput> faces, float[] cropScales, CancellationToken ct) =>
        Family(model).Run(image, faces, cropScales, ct);

    private IAgeGenderModel Family(string model) =>
        _families.FirstOrDefault(f => f.Name == model)
        ?? throw new InvalidOperationException($"FaceAttributes: '{model}' is not an age/gender model " +
                                               $"({string.Join(", ", _families.Select(f => f.Name))})");

    /// <summary>A list setting the validator has passed; options built in code (evaluation tools) skip the validator,
    /// so the same check runs here.</summary>
    private static T[] Checked<T>(T[] list, string? error) => error is null ? list : throw new InvalidOperationException(error);

    public void WarmUp()
    {
        // Fails at start-up, not per request, on a model name no family runs, a bad list setting (options built in code
        // skip the validator) or a model file whose layout is not the one its SOURCE.md describes.
        foreach (var name in GenderModels.Append(_options.AgeModel)) _ = Family(name);
        _ = AgeScales;
        _ = Calibration;
        _ = GenderScales;
        if (!Family(_options.AgeModel).HasAge) throw new InvalidOperationException($"FaceAttributes:AgeModel: {_options.AgeModel} has no age head");
        foreach (var name in GenderModels.Append(_options.AgeModel).Distinct()) Family(name).WarmUp();
    }
}
