namespace ImageApi.Distributed.Tests;

/// <summary>The twelve single-service hosts and face-identifier (services/&lt;name&gt;), by service name; each starts in-process.</summary>
public static class ServiceHosts
{
    public static readonly IReadOnlyDictionary<string, Func<IReadOnlyDictionary<string, string?>, IAppHost>> Create =
        new Dictionary<string, Func<IReadOnlyDictionary<string, string?>, IAppHost>>
    {
        [ServiceNames.BodyDetector] = s => new HostFactory<ImageApi.Hosts.BodyDetector.Program>(s),
        [ServiceNames.FaceDetectorFaceFitter] = s => new HostFactory<ImageApi.Hosts.FaceDetectorFaceFitter.Program>(s),
        [ServiceNames.FaceDetectorTemplateExtractor] = s => new HostFactory<ImageApi.Hosts.FaceDetectorTemplateExtractor.Program>(s),
        [ServiceNames.FaceDetectorLivenessEstimator] = s => new HostFactory<ImageApi.Hosts.FaceDetectorLivenessEstimator.Program>(s),
        [ServiceNames.GenderEstimator] = s => new HostFactory<ImageApi.Hosts.GenderEstimator.Program>(s),
        [ServiceNames.AgeEstimator] = s => new HostFactory<ImageApi.Hosts.AgeEstimator.Program>(s),
        [ServiceNames.EmotionEstimator] = s => new HostFactory<ImageApi.Hosts.EmotionEstimator.Program>(s),
        [ServiceNames.MaskEstimator] = s => new HostFactory<ImageApi.Hosts.MaskEstimator.Program>(s),
        [ServiceNames.LivenessEstimator] = s => new HostFactory<ImageApi.Hosts.LivenessEstimator.Program>(s),
        [ServiceNames.QualityAssessmentEstimator] = s => new HostFactory<ImageApi.Hosts.QualityAssessmentEstimator.Program>(s),
        [ServiceNames.TemplateExtractor] = s => new HostFactory<ImageApi.Hosts.TemplateExtractor.Program>(s),
        [ServiceNames.VerifyMatcher] = s => new HostFactory<ImageApi.Hosts.VerifyMatcher.Program>(s),
        [ServiceNames.FaceIdentifier] = s => new HostFactory<ImageApi.Hosts.FaceIdentifier.Program>(new Dictionary<string, string?>(s)
        {
            ["Identification:DataDirectory"] = Path.Combine(Path.GetTempPath(), "imageapi-tests", "distributed-" + Guid.NewGuid().ToString("N")),
        }),
    };
}
