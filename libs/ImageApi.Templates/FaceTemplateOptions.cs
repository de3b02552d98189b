using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace ImageApi.Templates;

/// <summary>Template extraction and verification settings, bound from <c>FaceTemplates</c>.</summary>
public sealed class FaceTemplateOptions : IValidatableObject
{
    public const string SectionName = "FaceTemplates";

    /// <summary>
    /// The template method new templates are made with (<see cref="TemplateMethod.Name"/> or its model's name):
    /// <c>mobilefacenet_1</c> or <c>omz_reid_0095_1</c>. Templates of every known method are still read and compared
    /// with templates of their own method (each with its own reference ROC); two different methods are never compared.
    /// Default OMZ reid-0095: on the calibration set it beats MobileFaceNet at every FAR and on both identity halves
    /// (TAR@FAR 1e-3 99.03 % vs 98.50 %, EER 0.51 % vs 0.82 %; docs/results/templates-methods.md) for about twice the
    /// embedding cost per face; <c>Profile=fast</c> keeps MobileFaceNet (docs/templates.md "Choosing the default").
    /// </summary>
    public string Method { get; set; } = TemplateMethod.OmzReid0095.Name;

    /// <summary>The method <see cref="Method"/> names (validated at start-up). A method, not a property, so that
    /// configuration binding never evaluates it.</summary>
    public TemplateMethod ResolveMethod() => TemplateMethod.Named(Method)
        ?? throw new InvalidOperationException($"{SectionName}:{nameof(Method)} '{Method}' is not a template method ({string.Join(", ", TemplateMethod.All.Select(m => m.Name))})");

    /// <summary>
    /// Alignment samples from a decode in which the aligned 112-px region is at least this long, so a face that is
    /// small in the detector's downscaled copy is taken from sharper pixels (224 = 2× the template). Methods with
    /// another crop size use the same multiple of their crop (OMZ reid-0095: 256 for 128).
    /// </summary>
    public int MinSourcePixels { get; set; } = Imaging.FaceAligner.DefaultMinSourcePixels;

    /// <summary>
    /// How the vector is stored in new templates (verification reads every type). Float32: on the calibration set
    /// (docs/results/templates-calibration.md) both float16 and int8 storage changed some accept/reject decisions at
    /// the published thresholds, so the smallest storage that changes none is float32 (528-byte blob for MobileFaceNet,
    /// 1,040 for OMZ reid-0095).
    /// </summary>
    public TemplateElementType Storage { get; set; } = TemplateElementType.Float32;

    /// <summary>Also embed the mirrored face and add it before normalising (foamliu's LFW evaluation; SOURCE.md:
    /// optional). Off: it doubles the embedding cost for a small gain (docs/templates.md), and the built-in reference
    /// ROC tables were built without it — turning it on needs, for every method, a table built with <c>--flip</c>
    /// (checked at start-up).</summary>
    public bool FlipAugmentation { get; set; }

    /// <summary>
    /// The v2 key under <c>template</c> (<c>_face_template_extractor_&lt;method&gt;</c>) written on output and accepted on
    /// input besides ImageApi's own <see cref="FaceTemplate.V2Key"/>. Empty = ImageApi's own key. Set it (e.g.
    /// <c>_face_template_extractor_1000_12</c>) for a drop-in client that looks the template up by the vendor's key. The
    /// templates stay ImageApi's: a vendor template under that key is still refused (422), never compared.
    /// </summary>
    public string V2TemplateKey { get; set; } = "";

    /// <summary>The key written on v2 output for templates of <paramref name="method"/>.</summary>
    public string V2KeyFor(TemplateMethod method)
    {
        ArgumentNullException.ThrowIfNull(method);
        return string.IsNullOrWhiteSpace(V2TemplateKey) ? method.V2Key : V2TemplateKey;
    }

    /// <summary>The configured drop-in key, or null (ImageApi's own keys only).</summary>
    public string? DropInKey => string.IsNullOrWhiteSpace(V2TemplateKey) ? null : V2TemplateKey;

    /// <summary>Reference ROC table files to load instead of the ones built into the library, one key per file
    /// (<c>FaceTemplates__RocTablePath__0=…</c>; empty = built-in). Each file replaces the built-in table of the method it names.</summary>
    public string[] RocTablePath { get; set; } = [];

    /// <summary>Runs before binding (<see cref="ListSetting"/>): a configured list starts empty, and the former
    /// ';'-separated value is refused rather than silently dropped.</summary>
    public static void ClearConfiguredLists(FaceTemplateOptions options, IConfiguration configuration)
    {
        if (ListSetting.IsConfigured<FaceTemplateOptions>(configuration.GetSection(SectionName), nameof(RocTablePath))) options.RocTablePath = [];
    }

    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(V2TemplateKey)
            && !(V2TemplateKey.StartsWith(FaceTemplate.V2KeyPrefix, StringComparison.Ordinal) && V2TemplateKey.Length > FaceTemplate.V2KeyPrefix.Length))
            yield return new ValidationResult($"{SectionName}:{nameof(V2TemplateKey)} must be empty or start with '{FaceTemplate.V2KeyPrefix}'", [nameof(V2TemplateKey)]);
        if (TemplateMethod.Named(Method) is null)
            yield return new ValidationResult($"{SectionName}:{nameof(Method)} must name a template method: " +
                                              string.Join(", ", TemplateMethod.All.Select(m => m.Name)), [nameof(Method)]);
        if (!Enum.IsDefined(Storage))
            yield return new ValidationResult($"{SectionName}:{nameof(Storage)} is not a known element type", [nameof(Storage)]);
    }
}

/// <summary>Start-up check of <see cref="FaceTemplateOptions"/>: the v2 key, the method and the storage type.</summary>
[OptionsValidator]
public sealed partial class FaceTemplateOptionsValidator : IValidateOptions<FaceTemplateOptions>;
