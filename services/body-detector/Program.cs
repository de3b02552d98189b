using ImageApi.Bodies;
using ImageApi.Contracts;
using ImageApi.Orchestration;

namespace ImageApi.Hosts.BodyDetector;

/// <summary>body-detector alone (Dapr app-id <c>body-detector</c>): same libraries, routes and answers as the embedded host.
/// A class in its own namespace (not top-level statements) so tests can start every host in one process.</summary>
public sealed class Program
{
    public static void Main(string[] args) =>
        SingleServiceHost.Run(args, ServiceNames.BodyDetector, services => services.AddBodyDetection());
}
