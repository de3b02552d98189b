namespace ImageApi.Contracts;

/// <summary>
/// The twelve vendor service names. Each one is the route prefix, the Dapr app-id, the Helm
/// <c>services:</c> key and the tye/dapr.yaml app name — defined once, here.
/// </summary>
public static class ServiceNames
{
    public const string BodyDetector = "body-detector";
    public const string FaceDetectorFaceFitter = "face-detector-face-fitter";
    public const string FaceDetectorTemplateExtractor = "face-detector-template-extractor";
    public const string FaceDetectorLivenessEstimator = "face-detector-liveness-estimator";
    public const string GenderEstimator = "gender-estimator";
    public const string AgeEstimator = "age-estimator";
    public const string EmotionEstimator = "emotion-estimator";
    public const string MaskEstimator = "mask-estimator";
    public const string LivenessEstimator = "liveness-estimator";
    public const string QualityAssessmentEstimator = "quality-assessment-estimator";
    public const string TemplateExtractor = "template-extractor";
    public const string VerifyMatcher = "verify-matcher";

    /// <summary>1:N identification against a gallery (ImageApi's addition to the contract, docs/identification.md).</summary>
    public const string FaceIdentifier = "face-identifier";

    /// <summary>The front door of the distributed mode (not a vendor service).</summary>
    public const string Orchestrator = "orchestrator";

    public static readonly IReadOnlyList<string> All =
    [
        BodyDetector, FaceDetectorFaceFitter, FaceDetectorTemplateExtractor, FaceDetectorLivenessEstimator,
        GenderEstimator, AgeEstimator, EmotionEstimator, MaskEstimator, LivenessEstimator,
        QualityAssessmentEstimator, TemplateExtractor, VerifyMatcher,
    ];

    /// <summary>Services ImageApi adds to the contract's twelve, in the contract's style (route, sample in, sample out).</summary>
    public static readonly IReadOnlyList<string> Additional = [FaceIdentifier];

    /// <summary>Every service a host can serve: the twelve and <see cref="Additional"/>.</summary>
    public static readonly IReadOnlyList<string> AllWithAdditional = [.. All, .. Additional];

    /// <summary>Services that need nothing but the image: they also accept multipart <c>/process/image</c>
    /// and are subject to the 4.7 MB image limit.</summary>
    public static readonly IReadOnlySet<string> Detectors = new HashSet<string>
    {
        BodyDetector, FaceDetectorFaceFitter, FaceDetectorTemplateExtractor, FaceDetectorLivenessEstimator,
    };

    public static bool IsKnown(string name) => All.Contains(name) || Additional.Contains(name);
}
