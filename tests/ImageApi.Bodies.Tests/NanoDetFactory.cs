using Microsoft.AspNetCore.Hosting;

namespace ImageApi.Bodies.Tests;

/// <summary>The embedded host with <c>BodyDetector:Model = body-detector-nanodet-m-416</c>.</summary>
public sealed class NanoDetFactory : ImageApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("BodyDetector:Model", BodyModels.NanoDetM416);
    }
}
