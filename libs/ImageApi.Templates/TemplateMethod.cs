namespace ImageApi.Templates;

/// <summary>
/// A template method: one embedding model with its alignment and pixel layout. Its <see cref="Id"/> and
/// <see cref="Version"/> are written into every template header (<see cref="FaceTemplate"/>), so templates of different
/// methods — vectors in unrelated spaces — are recognised and never compared. <see cref="Name"/> is the method as
/// written in the v2 key (<c>_face_template_extractor_&lt;name&gt;</c>), in <c>/info</c> and in the
/// <c>FaceTemplates:Method</c> setting; <see cref="Model"/> is its entry in models/models.json.
/// </summary>
public sealed record TemplateMethod(ushort Id, ushort Version, string Name, int Dimension, string Model, string Description)
{
    /// <summary>MobileFaceNet (foamliu) on the ArcFace 112×112 alignment, RGB, ImageNet normalisation; 128-d.</summary>
    public static readonly TemplateMethod MobileFaceNet = new(1, 1, "mobilefacenet_1", 128, "face-recognition-mobilefacenet",
        "MobileFaceNet (foamliu, MS1M) on ArcFace-112 alignment, 128-d");

    /// <summary>Intel OMZ face-reidentification-retail-0095 on its own 128×128 alignment, BGR 0..255; 256-d.</summary>
    public static readonly TemplateMethod OmzReid0095 = new(2, 1, "omz_reid_0095_1", 256, "face-recognition-omz-reid-0095",
        "Intel OMZ face-reidentification-retail-0095 on its own 128x128 alignment, 256-d");

    /// <summary>Every method this build can read and compare.</summary>
    public static IReadOnlyList<TemplateMethod> All { get; } = [MobileFaceNet, OmzReid0095];

    /// <summary>The v2 template key of this method.</summary>
    public string V2Key => FaceTemplate.V2KeyPrefix + Name;

    /// <summary>The method a template header names, or null for an unknown id or version.</summary>
    public static TemplateMethod? Find(ushort id, ushort version) => All.FirstOrDefault(m => m.Id == id && m.Version == version);

    /// <summary>A method by its <see cref="Name"/> or its model's name (case-insensitive), or null.</summary>
    public static TemplateMethod? Named(string? name) => string.IsNullOrWhiteSpace(name)
        ? null
        : All.FirstOrDefault(m => string.Equals(m.Name, name.Trim(), StringComparison.OrdinalIgnoreCase)
                                  || string.Equals(m.Model, name.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>The method whose v2 key is <paramref name="key"/>, or null.</summary>
    public static TemplateMethod? ForV2Key(string key) => All.FirstOrDefault(m => m.V2Key == key);

    /// <summary>How a method is named in messages: its name, id and version (all three appear in the header).</summary>
    public override string ToString() => $"'{Name}' (method {Id} version {Version})";
}
