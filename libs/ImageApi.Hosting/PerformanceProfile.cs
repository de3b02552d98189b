using Microsoft.Extensions.Configuration.Memory;

namespace ImageApi.Hosting;

/// <summary>
/// One setting, <c>Profile=fast</c> (environment <c>Profile=fast</c>), that takes the cheapest row of every test-time
/// augmentation measured in docs/performance.md: one landmark pass, one pose model without the mirrored crop, one
/// gender view pair → one view, no mirrored views for age/gender and emotion, one emotion model (face-api) instead of
/// the default two, MobileFaceNet templates. The values sit under every other source, so a setting given explicitly
/// still wins. Liveness keeps its 3-model mean: its threshold and calibration are measured for that method only
/// (docs/liveness.md).
/// </summary>
public static class PerformanceProfile
{
    public const string SettingName = "Profile";
    public const string Fast = "fast";
    public const string Default = "default";

    /// <summary>The settings of the fast profile (section:key → value).</summary>
    public static readonly IReadOnlyDictionary<string, string?> FastSettings = new Dictionary<string, string?>
    {
        ["FaceFitting:LandmarkSecondPass"] = "false",
        ["FaceFitting:PoseModelVar"] = "",
        ["FaceFitting:PoseFlipAverage"] = "false",
        // Lists are one key per entry; the profile's have one entry, so any list set explicitly (…__0=…) replaces it.
        // An empty value is an empty list (ListSetting).
        ["FaceAttributes:GenderCropScales:0"] = "1.05",
        ["FaceAttributes:AgeGenderFlip"] = "false",
        ["FaceAttributes:EmotionFlip"] = "",
        // One emotion model instead of the default two: face-api alone (docs/attributes.md, "Emotion").
        ["FaceAttributes:EmotionModels:0"] = "emotion-faceapi-densenet",
        // The cheaper template method (docs/templates.md "Choosing the method": ~half the embedding cost per face).
        ["FaceTemplates:Method"] = "mobilefacenet_1",
    };

    /// <summary>Applies the profile named by <see cref="SettingName"/> (default: none); an unknown name fails start-up.</summary>
    public static void Apply(IConfigurationBuilder configuration, IConfiguration current)
    {
        var profile = current[SettingName];
        if (string.IsNullOrWhiteSpace(profile) || string.Equals(profile, Default, StringComparison.OrdinalIgnoreCase)) return;
        if (!string.Equals(profile, Fast, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"{SettingName} '{profile}' is not a profile: use '{Default}' or '{Fast}'");
        }

        // Lowest precedence: the first source is read first and overridden by every later one.
        configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = FastSettings });
    }
}
