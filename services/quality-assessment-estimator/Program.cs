using ImageApi.Contracts;
using ImageApi.Orchestration;
using ImageApi.Quality;

namespace ImageApi.Hosts.QualityAssessmentEstimator;

/// <summary>quality-assessment-estimator alone (Dapr app-id <c>quality-assessment-estimator</c>): same libraries, routes and answers as the embedded host.
/// A class in its own namespace (not top-level statements) so tests can start every host in one process.</summary>
public sealed class Program
{
    public static void Main(string[] args) =>
        SingleServiceHost.Run(args, ServiceNames.QualityAssessmentEstimator, services => services.AddQualityAssessment());
}
