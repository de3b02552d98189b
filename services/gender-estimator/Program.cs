using ImageApi.Attributes;
using ImageApi.Contracts;
using ImageApi.Orchestration;

namespace ImageApi.Hosts.GenderEstimator;

/// <summary>gender-estimator alone (Dapr app-id <c>gender-estimator</c>): same libraries, routes and answers as the embedded host.
/// A class in its own namespace (not top-level statements) so tests can start every host in one process.</summary>
public sealed class Program
{
    public static void Main(string[] args) =>
        SingleServiceHost.Run(args, ServiceNames.GenderEstimator, services => services.AddFaceAttributes());
}
