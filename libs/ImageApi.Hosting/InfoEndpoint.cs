using System.Reflection;
using System.Text.Json.Nodes;
using ImageApi.Imaging;
using ImageApi.Inference;

namespace ImageApi.Hosting;

/// <summary><c>GET /info</c>: version, execution provider (asked for, the ONNX Runtime build, any CPU fallback) and every
/// loaded model (name, sha256, licence, input, provider, fallback),
/// plus whatever the area libraries contribute (e.g. the liveness operating point) so results are reproducible.</summary>
internal static class InfoEndpoint
{
    public static async Task HandleAsync(HttpContext http)
    {
        var catalog = http.RequestServices.GetRequiredService<ModelCatalog>();
        var readiness = http.RequestServices.GetRequiredService<ReadinessState>();
        var models = new JsonArray();
        foreach (var m in catalog.Loaded)
        {
            models.Add((JsonNode)new JsonObject
            {
                ["name"] = m.Name,
                ["version"] = m.Entry.Version,
                ["sha256"] = m.Entry.Sha256,
                ["license"] = m.Entry.License,
                ["input"] = m.Entry.Input,
                ["provider"] = m.Provider,
                ["fallback"] = m.Fallback,
            });
        }

        var services = new JsonArray();
        foreach (var s in http.RequestServices.GetRequiredService<HostedServices>().Names) services.Add((JsonNode?)JsonValue.Create(s));

        var info = new JsonObject
        {
            ["name"] = "ImageApi",
            ["version"] = typeof(InfoEndpoint).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0",
            // As asked for; each model's provider says where it really runs, and fallback why that differs.
            ["execution_provider"] = catalog.ExecutionProvider,
            ["profile"] = http.RequestServices.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()[PerformanceProfile.SettingName] is { Length: > 0 } p
                ? p.ToLowerInvariant() : PerformanceProfile.Default,
            ["onnxruntime"] = ModelCatalog.Flavour,
            ["fallback"] = catalog.Fallback,
            // libjpeg-turbo's library file where it decodes whole JPEGs, else "skia" (the same pixels, slower).
            ["jpeg_decoder"] = http.RequestServices.GetRequiredService<ImageDecoder>().JpegDecoder,
            ["ready"] = readiness.IsReady,
            ["services"] = services,
            ["models"] = models,
        };
        foreach (var contributor in http.RequestServices.GetServices<IInfoContributor>())
        {
            // One area failing to describe itself (e.g. a model that did not load) must not hide the rest of /info,
            // which is what an operator reads to find out what is wrong.
            try
            {
                info[contributor.Key] = contributor.Describe();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                info[contributor.Key] = new JsonObject { ["error"] = e.Message };
            }
        }

        await JsonResponse.WriteAsync(http.Response, 200, info, http.RequestAborted);
    }
}

/// <summary>The services this host serves (set by <c>MapImageApiServices</c>).</summary>
public sealed class HostedServices
{
    public List<string> Names { get; } = [];
}
