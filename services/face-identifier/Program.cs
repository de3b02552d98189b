using ImageApi.Contracts;
using ImageApi.Identification;
using ImageApi.Orchestration;

namespace ImageApi.Hosts.FaceIdentifier;

/// <summary>face-identifier alone (Dapr app-id <c>face-identifier</c>) with its /galleries management routes; in the
/// distributed mode its replicas share one PostgreSQL (Identification__Store=Postgres). A class in its own namespace
/// (not top-level statements) so tests can start it beside other hosts.</summary>
public sealed class Program
{
    public static void Main(string[] args) =>
        SingleServiceHost.Run(args, ServiceNames.FaceIdentifier, services => services.AddIdentification(), app => app.MapGalleries());
}
