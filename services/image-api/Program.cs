using ImageApi.Contracts;
using ImageApi.Faces;
using ImageApi.Hosting;

// The embedded default: every service of the contract in one process.
var builder = WebApplication.CreateSlimBuilder(args);
builder.AddImageApiDefaults();
builder.Services.AddFaceFitting();

var app = builder.Build();
app.MapImageApiDefaults();
app.MapImageApiServices(ServiceNames.All);
app.Run();

/// <summary>Entry point, public for <c>WebApplicationFactory</c> tests.</summary>
public partial class Program;
