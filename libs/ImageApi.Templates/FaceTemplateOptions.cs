namespace ImageApi.Templates;

/// <summary>Template extraction and verification settings, bound from <c>FaceTemplates</c>.</summary>
public sealed class FaceTemplateOptions
{
    public const string SectionName = "FaceTemplates";

    /// <summary>The embedding model (models/face-recognition-mobilefacenet/SOURCE.md).</summary>
    public string Model { get; set; } = "face-recognition-mobilefacenet";

    /// <summary>
    /// Alignment samples from a decode in which the aligned 112-px region is at least this long, so a face that is
    /// small in the detector's downscaled copy is taken from sharper pixels (224 = 2× the template).
    /// </summary>
    public int MinSourcePixels { get; set; } = Imaging.FaceAligner.DefaultMinSourcePixels;

    /// <summary>
    /// How the vector is stored in new templates (verification reads every type). Float32: on the calibration set
    /// (docs/results/templates-calibration.md) both float16 and int8 storage changed some accept/reject decisions at
    /// the published thresholds, so the smallest storage that changes none is float32 (528-byte blob).
    /// </summary>
    public TemplateElementType Storage { get; set; } = TemplateElementType.Float32;

    /// <summary>Also embed the mirrored face and add it before normalising (foamliu's LFW evaluation; SOURCE.md:
    /// optional). Off: it doubles the embedding cost for a small gain (docs/templates.md), and the built-in reference
    /// ROC table was built without it — turning it on needs a table built with <c>--flip</c> (checked at start-up).</summary>
    public bool FlipAugmentation { get; set; }

    /// <summary>
    /// The v2 key under <c>template</c> (<c>_face_template_extractor_&lt;method&gt;</c>) written on output and accepted on
    /// input besides ImageApi's own <see cref="FaceTemplate.V2Key"/>. Empty = ImageApi's own key. Set it (e.g.
    /// <c>_face_template_extractor_1000_12</c>) for a drop-in client that looks the template up by the vendor's key. The
    /// templates stay ImageApi's: a vendor template under that key is still refused (422), never compared.
    /// </summary>
    public string V2TemplateKey { get; set; } = "";

    /// <summary>The key written on v2 output.</summary>
    public string V2KeyOrDefault => string.IsNullOrWhiteSpace(V2TemplateKey) ? FaceTemplate.V2Key : V2TemplateKey;

    /// <summary>A reference ROC table file to load instead of the one built into the library (empty = built-in).</summary>
    public string RocTablePath { get; set; } = "";
}
