using ImageApi.Attributes;
using ImageApi.Bodies;
using ImageApi.Faces;
using ImageApi.Hosting;
using ImageApi.Identification;
using ImageApi.Liveness;
using ImageApi.Orchestration;
using ImageApi.Quality;
using ImageApi.Templates;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ImageApi.Tests;

/// <summary>Every bound options type is checked by its source-generated validator when the host starts
/// (<c>ValidateOnStart</c>): one bad setting fails the start with a message naming it, the defaults pass. Range
/// failures read "The field Type.Property must be between …": the generator ignores <c>[Range]</c>'s ErrorMessage
/// (dotnet/runtime#123137), so the options types give none.</summary>
public sealed class OptionsValidationTests
{
    private static readonly Dictionary<string, Action<IServiceCollection>> Areas = new()
    {
        ["hosting"] = _ => { },
        ["faces"] = s => s.AddFaceFitting(),
        ["attributes"] = s => s.AddFaceAttributes(),
        ["bodies"] = s => s.AddBodyDetection(),
        ["quality"] = s => s.AddQualityAssessment(),
        ["templates"] = s => s.AddFaceTemplates(),
        ["liveness"] = s => s.AddLiveness(),
        ["identification"] = s => s.AddIdentification(),
        ["orchestration"] = s => s.AddDaprOrchestration(),
    };

    public static TheoryData<string> AreaNames => [.. Areas.Keys];

    public static TheoryData<string, string, string, string> BadSettings => new()
    {
        // Hosting defaults
        { "hosting", "Inference:ExecutionProvider", "TPU", "Unknown Inference:ExecutionProvider 'TPU' (CPU or CUDA)" },
        { "hosting", "Inference:GraphOptimizationLevel", "ORT_ENABLE_MOST", "Inference:GraphOptimizationLevel must be one of" },
        { "hosting", "Inference:DeviceId", "-1", "The field InferenceOptions.DeviceId must be between 0 and 2147483647." },
        { "hosting", "Limits:MaxRequestBytes", "0", "The field SampleLimits.MaxRequestBytes must be between 1 and " },
        { "hosting", "Limits:MaxObjects", "-1", "The field SampleLimits.MaxObjects must be between 0 and 2147483647." },
        { "hosting", "Decoder:MaxPixels", "0", "The field DecoderOptions.MaxPixels must be between 1 and " },
        { "hosting", "Reliability:RequestTimeout", "00:00:00", "Reliability:RequestTimeout must be positive" },
        { "hosting", "Reliability:ShutdownGrace", "-00:00:01", "Reliability:ShutdownGrace must not be negative" },
        { "hosting", "Reliability:RetryAfterSeconds", "-1", "The field ReliabilityOptions.RetryAfterSeconds must be between 0 and 2147483647." },
        { "hosting", "Reliability:InferenceNice", "20", "The field ReliabilityOptions.InferenceNice must be between 0 and 19." },
        { "hosting", "ApiKeys:Sha256:0", "not-a-hash", "ApiKeys:Sha256: each entry must be 64 hex digits (a SHA-256 hash)" },
        { "hosting", "ApiKeys:Sha256", new string('a', 64) + "," + new string('b', 64), "ApiKeys:Sha256 is a list: set ApiKeys__Sha256__0=" },
        // Areas
        { "faces", "FaceDetector:ScoreThreshold", "1.5", "The field FaceDetectorOptions.ScoreThreshold must be between 0 and 1." },
        { "faces", "FaceDetector:InputLongSide", "0", "The field FaceDetectorOptions.InputLongSide must be between 1 and 2147483647." },
        { "faces", "FaceFitting:MaxInsideStrongerFace", "2", "The field FaceFittingOptions.MaxInsideStrongerFace must be between 0 and 1." },
        { "faces", "FaceFitting:LandmarkModel", "", "FaceFitting:LandmarkModel must name a model" },
        { "attributes", "FaceAttributes:GenderModels:0", "gender-nope",
            "FaceAttributes:GenderModels: 'gender-nope' is not one of age-gender-faceapi-tinyxception, age-gender-insightface-fmobilenet, gender-mini-xception-imdb" },
        { "attributes", "FaceAttributes:EmotionModels", "", "FaceAttributes:EmotionModels names no model: name one or more of emotion-faceapi-densenet" },
        { "attributes", "FaceAttributes:EmotionModels:0", "emotion-nope", "FaceAttributes:EmotionModels: 'emotion-nope' is not one of emotion-faceapi-densenet" },
        { "attributes", "FaceAttributes:EmotionFlip:0", "true", "FaceAttributes:EmotionFlip: 'true' is not one of emotion-faceapi-densenet" },
        { "attributes", "FaceAttributes:AgeModel", "gender-mini-xception-imdb",
            "FaceAttributes:AgeModel: 'gender-mini-xception-imdb' is not one of age-gender-faceapi-tinyxception, age-gender-insightface-fmobilenet" },
        { "attributes", "FaceAttributes:MaskModel", "mask-nope", "FaceAttributes:MaskModel: 'mask-nope' is not one of mask-ultraface-rfb640-masked" },
        { "attributes", "FaceAttributes:GenderCropScales:0", "0", "FaceAttributes:GenderCropScales: 0 is not a crop scale in [0.5, 3]" },
        { "attributes", "FaceAttributes:AgeCropScales:0", "-1", "FaceAttributes:AgeCropScales: -1 is not a crop scale in [0.5, 3]" },
        { "attributes", "FaceAttributes:AgeCropScales", "", "FaceAttributes:AgeCropScales names no crop scale" },
        { "attributes", "FaceAttributes:GenderCropScales", "1.05,1.15,1.25",
            "FaceAttributes:GenderCropScales is a list: set FaceAttributes__GenderCropScales__0=1.05 (one key per entry), not a comma-separated value" },
        { "attributes", "FaceAttributes:EmotionCropScale", "0", "The field FaceAttributesOptions.EmotionCropScale must be between 0.5 and 3." },
        { "attributes", "FaceAttributes:FemaleThreshold", "1.5", "The field FaceAttributesOptions.FemaleThreshold must be between 0 and 1." },
        { "attributes", "FaceAttributes:AgeCalibration:0", "60", "FaceAttributes:AgeCalibration: '60' is not 'predicted:corrected'" },
        { "attributes", "FaceAttributes:EmotionCalibration:0", "CONTEMPT:1", "FaceAttributes:EmotionCalibration: 'CONTEMPT:1' is not EMOTION:offset" },
        { "bodies", "BodyDetector:Model", "yolov8", "BodyDetector:Model must be body-detector-yolox-nano or body-detector-nanodet-m-416" },
        { "bodies", "BodyDetector:ScoreThreshold", "1.2", "The field BodyDetectorOptions.ScoreThreshold must be between 0 and 1." },
        { "bodies", "BodyDetector:NmsIou", "0", "BodyDetector:NmsIou must lie in (0, 1]" },
        { "quality", "QualityAssessment:MaxYaw", "-1", "The field QualityOptions.MaxYaw must be between 0 and " },
        { "quality", "QualityAssessment:MaxFlareFraction", "1.5", "The field QualityOptions.MaxFlareFraction must be between 0 and 1." },
        { "quality", "QualityAssessment:EyeOpenRatioWidth", "0", "QualityAssessment:EyeOpenRatioWidth must be positive" },
        { "templates", "FaceTemplates:Method", "arcface", "FaceTemplates:Method must name a template method: " },
        { "templates", "FaceTemplates:RocTablePath", "a.json;b.json", "FaceTemplates:RocTablePath is a list: set FaceTemplates__RocTablePath__0=a.json;b.json" },
        { "templates", "FaceTemplates:V2TemplateKey", "template_1", "FaceTemplates:V2TemplateKey must be empty or start with '_face_template_extractor_'" },
        { "liveness", "Liveness:Threshold", "1.01", "The field LivenessOptions.Threshold must be between 0 and 1." },
        { "liveness", "Liveness:Method", "99", "Liveness:Method is not a known method" },
        { "identification", "Identification:DefaultK", "101", "Identification:DefaultK must be in [1, MaxK]" },
        { "identification", "Identification:DefaultTargetFar", "0", "Identification:DefaultTargetFar must be in (0, 1]" },
        { "identification", "Identification:CandidateFactor", "0", "The field IdentificationOptions.CandidateFactor must be between 1 and 2147483647." },
        { "identification", "Identification:Store", "Postgres", "Identification:PostgresConnectionString is required when Identification:Store is Postgres" },
        { "orchestration", "Orchestrator:StageTimeout", "00:00:00", "Orchestrator:StageTimeout must be positive" },
        { "orchestration", "Orchestrator:ComposedServices:0", "face-detector-face-fitter",
            "Orchestrator:ComposedServices may only name face-detector-template-extractor and face-detector-liveness-estimator" },
        { "orchestration", "Orchestrator:ComposedServices", "face-detector-liveness-estimator,face-detector-template-extractor",
            "Orchestrator:ComposedServices is a list: set Orchestrator__ComposedServices__0=face-detector-liveness-estimator" },
        { "orchestration", "Dapr:PubSubName", "", "Dapr:PubSubName must name a component" },
        { "orchestration", "Dapr:HttpEndpoint", "localhost 3500", "Dapr:HttpEndpoint must be empty or an absolute URI" },
    };

    [Theory]
    [MemberData(nameof(AreaNames))]
    public void Defaults_PassStartUpValidation(string area)
    {
        using var app = Build(area, []);
        app.Services.GetRequiredService<IStartupValidator>().Validate();
    }

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void BadSetting_FailsStartUp_WithItsMessage(string area, string key, string value, string message)
    {
        using var app = Build(area, new() { [key] = value });
        var e = Assert.Throws<OptionsValidationException>(() => app.Services.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ComposedServices_DefaultsToTheLivenessComposite_WhenAbsent()
    {
        using var app = Build("orchestration", []);
        Assert.Equal([OrchestrationRegistration.DefaultComposedServices], Orchestrator(app).ComposedServices);
    }

    [Fact]
    public void ComposedServices_BindsAsAList_ReplacingTheDefault()
    {
        using var app = Build("orchestration", new()
        {
            ["Orchestrator:ComposedServices:0"] = "face-detector-template-extractor",
            ["Orchestrator:ComposedServices:1"] = "face-detector-liveness-estimator",
        });
        Assert.Equal(["face-detector-template-extractor", "face-detector-liveness-estimator"], Orchestrator(app).ComposedServices);
    }

    [Fact]
    public void ComposedServices_EmptyValue_ForwardsEverything()
    {
        using var app = Build("orchestration", new() { ["Orchestrator:ComposedServices"] = "" });
        Assert.Empty(Orchestrator(app).ComposedServices);
    }

    [Fact]
    public void AttributeLists_DefaultWhenAbsent()
    {
        using var app = Build("attributes", []);
        var o = Attributes(app);
        Assert.Equal([AttributeModels.FaceApiAgeGender], o.GenderModels);
        Assert.Equal([AttributeModels.EmotionBig, AttributeModels.EmotionFaceApi], o.EmotionModels);
        Assert.Equal([1.0f], o.AgeCropScales);
        Assert.Equal([1.05f, 1.15f, 1.25f], o.GenderCropScales);
        Assert.Equal([AttributeModels.EmotionFaceApi], o.EmotionFlip);
        Assert.Empty(o.EmotionCalibration);
        Assert.Empty(o.AgeCalibration);
    }

    [Fact]
    public void AttributeLists_BindOneKeyPerEntry_ReplacingTheDefault()
    {
        // Arrays bind by appending: without clearing first, [1.15] would read [1.05, 1.15, 1.25] (index 0 overwritten) and
        // [faceapi] for EmotionModels would keep big-Xception as the second model.
        using var app = Build("attributes", new()
        {
            ["FaceAttributes:GenderCropScales:0"] = "1.15",
            ["FaceAttributes:EmotionModels:0"] = AttributeModels.EmotionFaceApi,
            ["FaceAttributes:GenderModels:0"] = AttributeModels.FaceApiAgeGender,
            ["FaceAttributes:GenderModels:1"] = AttributeModels.GenderMini,
            ["FaceAttributes:EmotionFlip"] = "",
            ["FaceAttributes:AgeCalibration:0"] = "10:10",
            ["FaceAttributes:AgeCalibration:1"] = "50:60",
        });
        app.Services.GetRequiredService<IStartupValidator>().Validate();
        var o = Attributes(app);
        Assert.Equal([1.15f], o.GenderCropScales);
        Assert.Equal([AttributeModels.EmotionFaceApi], o.EmotionModels);
        Assert.Equal([AttributeModels.FaceApiAgeGender, AttributeModels.GenderMini], o.GenderModels);
        Assert.Empty(o.EmotionFlip);
        Assert.Equal(["10:10", "50:60"], o.AgeCalibration);
    }

    [Fact]
    public void FastProfile_SetsTheAttributeLists_AndAnExplicitListStillWins()
    {
        using var fast = Build("attributes", new() { [PerformanceProfile.SettingName] = PerformanceProfile.Fast });
        fast.Services.GetRequiredService<IStartupValidator>().Validate();
        Assert.Equal([AttributeModels.EmotionFaceApi], Attributes(fast).EmotionModels);
        Assert.Equal([1.05f], Attributes(fast).GenderCropScales);
        Assert.Empty(Attributes(fast).EmotionFlip);

        using var explicitList = Build("attributes", new()
        {
            [PerformanceProfile.SettingName] = PerformanceProfile.Fast,
            ["FaceAttributes:EmotionModels:0"] = AttributeModels.EmotionBig,
            ["FaceAttributes:EmotionModels:1"] = AttributeModels.EmotionFaceApi,
        });
        Assert.Equal([AttributeModels.EmotionBig, AttributeModels.EmotionFaceApi], Attributes(explicitList).EmotionModels);
    }

    [Fact]
    public void ApiKeys_BindOneHashPerEntry()
    {
        using var app = Build("hosting", new() { ["ApiKeys:Sha256:0"] = new string('a', 64), ["ApiKeys:Sha256:1"] = new string('B', 64) });
        app.Services.GetRequiredService<IStartupValidator>().Validate();
        Assert.Equal(2, app.Services.GetRequiredService<IOptions<ApiKeyOptions>>().Value.Hashes().Count);
    }

    private static FaceAttributesOptions Attributes(WebApplication app) =>
        app.Services.GetRequiredService<IOptions<FaceAttributesOptions>>().Value;

    private static OrchestratorOptions Orchestrator(WebApplication app) =>
        app.Services.GetRequiredService<IOptions<OrchestratorOptions>>().Value;

    /// <summary>The host's own registration (<c>AddImageApiDefaults</c> and the area's <c>AddXxx()</c>) over
    /// <paramref name="settings"/>, built but not started: no model is loaded.</summary>
    private static WebApplication Build(string area, Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddImageApiDefaults();
        Areas[area](builder.Services);
        return builder.Build();
    }
}
