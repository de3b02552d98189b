using ImageApi.Contracts;
using ImageApi.Faces;
using ImageApi.Orchestration;

namespace ImageApi.Hosts.FaceDetectorFaceFitter;

/// <summary>face-detector-face-fitter alone (Dapr app-id <c>face-detector-face-fitter</c>): same libraries, routes and answers as the embedded host.
/// A class in its own namespace (not top-level statements) so tests can start every host in one process.</summary>
public sealed class Program
{
    public static void Main(string[] args) =>
        SingleServiceHost.Run(args, ServiceNames.FaceDetectorFaceFitter, services => services.AddFaceFitting());
}
