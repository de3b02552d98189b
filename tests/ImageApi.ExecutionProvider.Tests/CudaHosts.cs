using System.Diagnostics;
using System.Net;
using ImageApi.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

// Both hosts warm every model: one at a time keeps the 2-core CI machine from timing the other out.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace ImageApi.ExecutionProvider.Tests;

/// <summary>
/// The embedded host asked for CUDA on device 99, which no machine has: in the CPU flavour the CUDA provider is not
/// in the build, in the GPU flavour on a machine without a GPU its CUDA libraries or device are missing, and on a GPU
/// machine the device id is invalid. Every case must take the same documented path.
/// </summary>
public abstract class CudaHost : ImageApiFactory
{
    /// <summary>A CUDA device id beyond any real machine's (ids count from 0).</summary>
    public const int AbsentDevice = 99;

    protected abstract bool AllowCpuFallback { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureAppConfiguration(c => c.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Inference:ExecutionProvider"] = "CUDA",
            ["Inference:DeviceId"] = AbsentDevice.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Inference:AllowCpuFallback"] = AllowCpuFallback ? "true" : "false",
        }));
    }

    /// <summary>Polls <c>/health/ready</c> until it answers 200 or a failure (not "still loading"); returns the last
    /// status and body.</summary>
    public async Task<(HttpStatusCode Status, string Body)> SettledReadinessAsync()
    {
        using var client = CreateClient();
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            using var response = await client.GetAsync("/health/ready");
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.OK || body.StartsWith("Unhealthy", StringComparison.Ordinal)
                || deadline.Elapsed > TimeSpan.FromMinutes(4))
            {
                return (response.StatusCode, body);
            }

            await Task.Delay(200);
        }
    }
}

public sealed class CudaNoFallbackHost : CudaHost
{
    protected override bool AllowCpuFallback => false;
}

public sealed class CudaWithFallbackHost : CudaHost
{
    protected override bool AllowCpuFallback => true;
}
