using ImageApi.Contracts;
using ImageApi.Orchestration;
using ImageApi.Templates;

namespace ImageApi.Hosts.FaceDetectorTemplateExtractor;

/// <summary>face-detector-template-extractor alone (Dapr app-id <c>face-detector-template-extractor</c>): same libraries, routes and answers as the embedded host.
/// A class in its own namespace (not top-level statements) so tests can start every host in one process.</summary>
public sealed class Program
{
    public static void Main(string[] args) =>
        SingleServiceHost.Run(args, ServiceNames.FaceDetectorTemplateExtractor, services => services.AddFaceTemplates());
}
