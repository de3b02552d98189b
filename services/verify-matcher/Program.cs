using ImageApi.Contracts;
using ImageApi.Orchestration;
using ImageApi.Templates;

namespace ImageApi.Hosts.VerifyMatcher;

/// <summary>verify-matcher alone (Dapr app-id <c>verify-matcher</c>): same libraries, routes and answers as the embedded host.
/// A class in its own namespace (not top-level statements) so tests can start every host in one process.</summary>
public sealed class Program
{
    public static void Main(string[] args) =>
        SingleServiceHost.Run(args, ServiceNames.VerifyMatcher, services => services.AddTemplateVerification());
}
