using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace ImageApi.Hosting.DemoPage;

/// <summary>
/// The API reference at <c>/docs</c> (Scalar, its script embedded in Scalar.AspNetCore) over <c>/openapi/v1.json</c>:
/// each service gets a paragraph, a link to its docs/ page and v1/v2 request examples carrying a small real photo,
/// so that "Test Request" works from the page as it stands. Everything that would reach a service outside this host
/// is switched off, so the page works offline.
/// </summary>
public static class ApiReference
{
    public const string Route = "/docs";

    // The face's box in both example photos, rounded outwards from the face detector's answer (SOURCE.md).
    private static readonly double[] ExampleFaceBox = [0.2, 0.12, 0.8, 0.88];

    private static readonly Lazy<string> Photo1 = new(() => Convert.ToBase64String(EmbeddedFiles.Read("demo/example-face.jpg")));
    private static readonly Lazy<string> Photo2 = new(() => Convert.ToBase64String(EmbeddedFiles.Read("demo/example-face-2.jpg")));

    public static OpenApiOptions AddImageApiReference(this OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            DescribeDocument(document);
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, ct) =>
            DescribeOperationAsync(operation, context.Description.RelativePath ?? "", context.ApplicationServices, ct));
        return options;
    }

    public static IEndpointRouteBuilder MapImageApiReference(this IEndpointRouteBuilder app)
    {
        app.MapScalarApiReference(Route, o => o
            .WithTitle("ImageApi — API reference")
            .HideDeveloperTools()   // its toolbar's "Deploy" and "Generate SDK" lead to scalar.com
            .DisableAgent()         // "Ask AI" sends the document to an outside chat service
            .DisableMcp()
            .DisableTelemetry()
            .DisableDefaultFonts()); // Inter and JetBrains Mono come from a CDN; the system fonts need no network
        return app;
    }

    private static void DescribeDocument(OpenApiDocument document)
    {
        document.Info ??= new OpenApiInfo();
        document.Info.Title = "ImageApi";
        document.Info.Description =
            "Face and body analysis in the vendor's Image API 2.3.1 contract. Every service answers " +
            "`POST /{service}/process/sample` with a JSON sample — v1 when the body has `$image`, v2 when it has " +
            "`_image` — and answers with the request echoed back and `objects` filled in; add `?echo_image=false` to " +
            "leave the image out of the answer. The detectors also take a multipart upload on `/process/image`. " +
            "Errors come as `{\"detail\": ...}`. Each request example below carries a small real photo and runs as it " +
            "stands (Test Request). To see the answers drawn on your own photo, open the [demo page](/).";
        document.Tags ??= new HashSet<OpenApiTag>();
        foreach (var service in ServiceReferences.All)
        {
            var tag = document.Tags.FirstOrDefault(t => t.Name == service.Name);
            if (tag is null)
            {
                tag = new OpenApiTag { Name = service.Name };
                document.Tags.Add(tag);
            }

            tag.Description = service.Description + $" Details: [docs/{service.Guide}]({GuideUrl(service)}).";
            tag.ExternalDocs = new OpenApiExternalDocs { Description = "docs/" + service.Guide, Url = new Uri(GuideUrl(service), UriKind.Relative) };
        }
    }

    private static string GuideUrl(ServiceReference service) => DemoPageEndpoints.GuideRoute + service.Guide;

    private static async Task DescribeOperationAsync(OpenApiOperation operation, string path, IServiceProvider services, CancellationToken ct)
    {
        // "age-estimator/process/sample", "body-detector/process/image", "pipeline/process/sample"
        var parts = path.Trim('/').Split('/');
        if (parts.Length != 3 || ServiceReferences.Find(parts[0]) is not { } service) return;
        // Shorter than the routes' own summaries: the sidebar already groups the operations under the service's name.
        operation.Summary = service.Name == ServiceReferences.PipelineName ? "Several services over one sample"
            : parts[2] == "image" ? "Multipart upload (field image), answered in v2" : "JSON sample, v1 ($image) or v2 (_image)";
        operation.Description = service.Description + $"\n\nDetails: [docs/{service.Guide}]({GuideUrl(service)}).";
        operation.ExternalDocs = new OpenApiExternalDocs { Description = "docs/" + service.Guide, Url = new Uri(GuideUrl(service), UriKind.Relative) };
        operation.Parameters ??= new List<IOpenApiParameter>();
        operation.Parameters.Add(QueryParameter(SampleRequest.EchoImageQuery,
            "`false` leaves the (large) image out of the answer", "false", required: false));

        if (parts[2] == "image")
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Description = "The photo as a file in the multipart field `image`; answered in v2 shape.",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["multipart/form-data"] = new()
                    {
                        Schema = new OpenApiSchema
                        {
                            Type = JsonSchemaType.Object,
                            Required = new HashSet<string> { "image" },
                            Properties = new Dictionary<string, IOpenApiSchema>
                            {
                                ["image"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary", Description = "JPEG, PNG, BMP, WebP or GIF" },
                            },
                        },
                    },
                },
            };
            return;
        }

        if (service.Name == ServiceReferences.PipelineName)
        {
            operation.Parameters.Add(QueryParameter("services", "Comma-separated service names, run in this order",
                "face-detector-face-fitter,age-estimator,gender-estimator,emotion-estimator,quality-assessment-estimator", required: true));
            operation.Parameters.Add(QueryParameter("timings", "`true` adds `timings`: server milliseconds per stage and `total`", "true", required: false));
        }

        var (v2, v1) = service.Example switch
        {
            ExampleKind.Image => (ImageSample(Photo1.Value, v1: false, face: false), ImageSample(Photo1.Value, v1: true, face: false)),
            ExampleKind.ImageAndFace => (ImageSample(Photo1.Value, v1: false, face: true), ImageSample(Photo1.Value, v1: true, face: true)),
            _ => await TemplateSamplesAsync(services, ct),
        };
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = service.Example == ExampleKind.Templates
                ? "Two face objects with templates, as template-extractor answers them (the examples compare two photos of one person)."
                : "A v1 (`$image`) or v2 (`_image`) sample; the image is base64 (JPEG, PNG, BMP, WebP or GIF).",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new()
                {
                    Schema = new OpenApiSchema { Type = JsonSchemaType.Object },
                    Examples = new Dictionary<string, IOpenApiExample>
                    {
                        ["v2"] = new OpenApiExample { Summary = "v2 (_image)", Value = v2 },
                        ["v1"] = new OpenApiExample { Summary = "v1 ($image)", Value = v1 },
                    },
                },
            },
        };
    }

    private static OpenApiParameter QueryParameter(string name, string description, string example, bool required) => new()
    {
        Name = name,
        In = ParameterLocation.Query,
        Required = required,
        Description = description,
        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        Example = JsonValue.Create(example),
    };

    private static JsonObject ImageSample(string base64, bool v1, bool face)
    {
        var sample = v1
            ? new JsonObject { [FieldNames.ImageV1] = base64 }
            : new JsonObject { [FieldNames.ImageV2] = new JsonObject { ["blob"] = base64, ["format"] = "IMAGE" } };
        if (face)
        {
            sample["objects"] = new JsonArray(new JsonObject
            {
                ["id"] = 0, ["class"] = "face", ["bbox"] = new JsonArray([.. ExampleFaceBox.Select(v => (JsonNode?)JsonValue.Create(v))]),
            });
        }

        return sample;
    }

    private static Task<(JsonObject V2, JsonObject V1)>? _templates;

    /// <summary>verify-matcher's example needs real templates of this build's model: extracted once from the two
    /// example photos by this process's own face-detector-template-extractor. A host without it (the orchestrator)
    /// shows where the templates go instead.</summary>
    private static Task<(JsonObject V2, JsonObject V1)> TemplateSamplesAsync(IServiceProvider services, CancellationToken ct)
    {
        if (services.GetKeyedService<IImageApiService>(ServiceNames.FaceDetectorTemplateExtractor) is null)
        {
            return Task.FromResult((
                new JsonObject { ["objects"] = new JsonArray(PlaceholderTemplate(false), PlaceholderTemplate(false)) },
                new JsonObject { ["objects"] = new JsonArray(PlaceholderTemplate(true), PlaceholderTemplate(true)) }));
        }

        // Not cancelled with the first request: the result is shared by every later one.
        return LazyInitializer.EnsureInitialized(ref _templates, () => ExtractTemplatesAsync(services));
    }

    private static JsonObject PlaceholderTemplate(bool v1) => v1
        ? new JsonObject { ["class"] = "face", ["$template"] = "<$template from template-extractor>", ["template_size"] = 0 }
        : new JsonObject { ["class"] = "face", ["template"] = "<template from template-extractor>" };

    private static async Task<(JsonObject V2, JsonObject V1)> ExtractTemplatesAsync(IServiceProvider services)
    {
        try
        {
            return await ExtractTemplatesCoreAsync(services);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A reference page without the example is better than no reference page: the document stays servable.
            return (PlaceholderPair(false), PlaceholderPair(true));
        }
    }

    private static async Task<(JsonObject V2, JsonObject V1)> ExtractTemplatesCoreAsync(IServiceProvider services)
    {
        var extractor = services.GetRequiredKeyedService<IImageApiService>(ServiceNames.FaceDetectorTemplateExtractor);
        var parser = services.GetRequiredService<SampleParser>();
        var v2 = new JsonArray();
        var v1 = new JsonArray();
        foreach (var photo in new[] { Photo1.Value, Photo2.Value })
        {
            foreach (var (array, isV1) in new[] { (v2, false), (v1, true) })
            {
                var sample = parser.Parse(ImageSample(photo, isV1, face: false), needsImage: true, isDetector: true);
                await extractor.ProcessAsync(sample, CancellationToken.None);
                var face = sample.Root["objects"]?.AsArray().OfType<JsonObject>().FirstOrDefault();
                if (face is null) return (PlaceholderPair(false), PlaceholderPair(true));
                array.Add((JsonNode)(isV1
                    ? new JsonObject { ["class"] = "face", ["$template"] = face["$template"]?.DeepClone(), ["template_size"] = face["template_size"]?.DeepClone() }
                    : new JsonObject { ["class"] = "face", ["template"] = face["template"]?.DeepClone() }));
            }
        }

        return (new JsonObject { ["objects"] = v2 }, new JsonObject { ["objects"] = v1 });
    }

    private static JsonObject PlaceholderPair(bool v1) => new() { ["objects"] = new JsonArray(PlaceholderTemplate(v1), PlaceholderTemplate(v1)) };
}
