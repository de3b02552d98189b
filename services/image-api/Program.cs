using ImageApi.Attributes;
using ImageApi.Bodies;
using ImageApi.Contracts;
using ImageApi.Faces;
using ImageApi.Hosting;
using ImageApi.Liveness;
using ImageApi.Quality;
using ImageApi.Templates;

// The embedded default: every service of the contract in one process.
var builder = WebApplication.CreateSlimBuilder(args);
builder.AddImageApiDefaults();
builder.Services.AddFaceFitting().AddFaceAttributes().AddLiveness().AddFaceTemplates().AddQualityAssessment().AddBodyDetection();

var app = builder.Build();
app.MapImageApiDefaults();
app.MapImageApiServices(ServiceNames.All);
app.MapImageApiPipeline(); // POST /pipeline/process/sample, stages in-process (libs/ImageApi.Orchestration)
app.Run();

/// <summary>Entry point, public for <c>WebApplicationFactory</c> tests.</summary>
public partial class Program;
