using System.Runtime.CompilerServices;
using ImageApi.Hosting;
using ImageApi.Imaging;
using ImageApi.Samples;

namespace ImageApi.Orchestration;

/// <summary>
/// Runs a stage with the <see cref="IImageApiService"/> registered in this process under the service's name — the
/// same parse and validation as the HTTP route of that service (<see cref="SampleRequest"/>).
/// </summary>
public sealed class InProcessStageInvoker(IServiceProvider services) : IStageInvoker
{
    private readonly SampleParser _parser = services.GetRequiredService<SampleParser>();
    private readonly SampleLimits _limits = services.GetRequiredService<SampleLimits>();
    private readonly InferenceThreads _inference = services.GetRequiredService<InferenceThreads>();

    // The pipeline hands every stage the same image node; remembering its ImageSource means the photo is decoded
    // once per resolution for the whole pipeline, not once per stage (ImageSource caches its decodes).
    private readonly ConditionalWeakTable<JsonNode, ImageSource> _images = new();

    public bool StagesRunApart => false;

    public async ValueTask<JsonObject> InvokeAsync(string service, JsonObject sample, CancellationToken ct)
    {
        var implementation = SampleRequest.Resolve(services, service);
        var parsed = Parse(sample, implementation.NeedsImage, ServiceNames.Detectors.Contains(service));
        await _inference.RunAsync(() => implementation.ProcessAsync(parsed, ct)); // the same priority as the service route
        SampleRequest.RemoveImage(parsed.Root);
        return parsed.Root;
    }

    /// <summary>All the stages on one inference thread: their own <see cref="InvokeAsync"/> calls then run inline.</summary>
    public Task<T> RunStagesAsync<T>(Func<Task<T>> stages) => _inference.RunAsync(stages);

    private Sample Parse(JsonObject sample, bool needsImage, bool isDetector)
    {
        var (key, image) = ImageField.Find(sample);
        if (image is not null && _images.TryGetValue(image, out var source))
        {
            // Validated by the first stage that parsed this image; later stages get our own services' answers. Only
            // the detectors' image limit is per service (SampleParser.Parse), so it is checked here too.
            if (isDetector && source.Bytes.Length > _limits.MaxImageBytes) throw ApiException.TooLarge();
            return new Sample(sample, key == FieldNames.ImageV1 ? ApiVersion.V1 : ApiVersion.V2, source);
        }

        var parsed = _parser.Parse(sample, needsImage, isDetector);
        if (image is not null && parsed.Image is not null) _images.AddOrUpdate(image, parsed.Image);
        return parsed;
    }
}
