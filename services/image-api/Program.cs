using ImageApi.Attributes;
using ImageApi.Bodies;
using ImageApi.Contracts;
using ImageApi.Faces;
using ImageApi.Hosting;
using ImageApi.Identification;
using ImageApi.Liveness;
using ImageApi.Quality;
using ImageApi.Templates;

// The embedded default: every service of the contract, and face-identifier, in one process.
var builder = WebApplication.CreateSlimBuilder(args);
builder.AddImageApiDefaults();
builder.Services.AddFaceFitting().AddFaceAttributes().AddLiveness().AddFaceTemplates().AddQualityAssessment().AddBodyDetection()
    .AddIdentification();

var app = builder.Build();
app.MapImageApiDefaults();
app.MapImageApiServices(ServiceNames.AllWithAdditional);
app.MapGalleries(); // /galleries: gallery and person management for face-identifier (libs/ImageApi.Identification)
app.MapImageApiPipeline(); // POST /pipeline/process/sample, stages in-process (libs/ImageApi.Orchestration)
app.RunImageApi(args); // or, with --list-models, print the model folders it opens and exit (services/Dockerfile)

/// <summary>Entry point, public for <c>WebApplicationFactory</c> tests.</summary>
public partial class Program;
