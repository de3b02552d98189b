using ImageApi.Contracts;
using ImageApi.Liveness;
using ImageApi.Orchestration;

namespace ImageApi.Hosts.FaceDetectorLivenessEstimator;

/// <summary>face-detector-liveness-estimator alone (Dapr app-id <c>face-detector-liveness-estimator</c>): same libraries, routes and answers as the embedded host.
/// A class in its own namespace (not top-level statements) so tests can start every host in one process.</summary>
public sealed class Program
{
    public static void Main(string[] args) =>
        SingleServiceHost.Run(args, ServiceNames.FaceDetectorLivenessEstimator, services => services.AddLiveness());
}
