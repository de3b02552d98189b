using System.Globalization;
using System.Text.Json;
using ImageApi.Hosting;
using ImageApi.Identification;

// In the ASP.NET namespace like MapImageApiPipeline: a host maps the routes with one line.
namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// Gallery and person management (docs/identification.md), JSON in and out, errors in the vendor's
/// <c>{"detail": …}</c> format: unknown gallery or person 404, duplicate gallery or person 409, a template of
/// another method 422. No image is ever stored: enrolment keeps the template only.
/// </summary>
public static class GalleryEndpoints
{
    public const string Prefix = "/galleries";
    private const string Tag = "galleries";

    public static IEndpointRouteBuilder MapGalleries(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup(Prefix).WithTags(Tag);
        g.MapPost("/", (HttpContext http) => CreateGalleryAsync(http))
            .WithSummary("Create a gallery: {\"id\": \"staff\", \"far\": 0.001} (default threshold: far or score)");
        g.MapGet("/", (HttpContext http) => ListGalleriesAsync(http)).WithSummary("List galleries with person and template counts");
        g.MapGet("/{gallery}", (string gallery, HttpContext http) => GetGalleryAsync(http, gallery)).WithSummary("One gallery");
        g.MapDelete("/{gallery}", (string gallery, HttpContext http) => DeleteGalleryAsync(http, gallery))
            .WithSummary("Delete a gallery with every person and template");
        g.MapPost("/{gallery}/persons", (string gallery, HttpContext http) => AddPersonAsync(http, gallery))
            .WithSummary("Add a person: {\"id\": \"p-17\", \"metadata\": {…}}");
        g.MapGet("/{gallery}/persons", (string gallery, HttpContext http) => ListPersonsAsync(http, gallery))
            .WithSummary("List persons (?offset=0&limit=100)");
        g.MapGet("/{gallery}/persons/{person}", (string gallery, string person, HttpContext http) => GetPersonAsync(http, gallery, person))
            .WithSummary("One person");
        g.MapDelete("/{gallery}/persons/{person}", (string gallery, string person, HttpContext http) => DeletePersonAsync(http, gallery, person))
            .WithSummary("Delete a person and every template of it (right to be forgotten)");
        g.MapPost("/{gallery}/persons/{person}/templates", (string gallery, string person, HttpContext http) => EnrolAsync(http, gallery, person))
            .WithSummary("Enrol from a v1/v2 sample: objects with templates, or an image (the faces given by objects, else the largest face)");
        return app;
    }

    private static Galleries Galleries(HttpContext http) => http.RequestServices.GetRequiredService<Galleries>();

    private static async Task CreateGalleryAsync(HttpContext http)
    {
        var body = await ReadObjectAsync(http);
        var id = RequiredString(body, "id");
        var far = OptionalNumber(body, "far");
        var score = OptionalNumber(body, "score");
        var info = await Galleries(http).CreateGalleryAsync(id, far, score, http.RequestAborted);
        await WriteAsync(http, StatusCodes.Status201Created, GalleryJson(info, 0, 0));
    }

    private static async Task ListGalleriesAsync(HttpContext http)
    {
        var list = new JsonArray();
        foreach (var (info, persons, templates) in await Galleries(http).ListGalleriesAsync(http.RequestAborted))
        {
            list.Add((JsonNode)GalleryJson(info, persons, templates));
        }

        await WriteAsync(http, StatusCodes.Status200OK, new JsonObject { ["galleries"] = list });
    }

    private static async Task GetGalleryAsync(HttpContext http, string gallery)
    {
        var (info, persons, templates) = await Galleries(http).GetGalleryAsync(gallery, http.RequestAborted);
        await WriteAsync(http, StatusCodes.Status200OK, GalleryJson(info, persons, templates));
    }

    private static async Task DeleteGalleryAsync(HttpContext http, string gallery)
    {
        await Galleries(http).DeleteGalleryAsync(gallery, http.RequestAborted);
        http.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static async Task AddPersonAsync(HttpContext http, string gallery)
    {
        var body = await ReadObjectAsync(http);
        var id = RequiredString(body, "id");
        string? metadata = null;
        if (body["metadata"] is { } m)
        {
            if (m is not JsonObject) throw ApiException.Invalid("metadata must be a JSON object", "dict_type", "metadata");
            metadata = m.ToJsonString();
        }

        var galleries = Galleries(http);
        await galleries.AddPersonAsync(gallery, id, metadata, http.RequestAborted);
        await WriteAsync(http, StatusCodes.Status201Created, PersonJson(await galleries.GetPersonAsync(gallery, id, http.RequestAborted)));
    }

    private static async Task ListPersonsAsync(HttpContext http, string gallery)
    {
        var offset = QueryInt(http, "offset", 0, 0, int.MaxValue);
        var limit = QueryInt(http, "limit", 100, 1, 1000);
        var list = new JsonArray();
        foreach (var p in await Galleries(http).ListPersonsAsync(gallery, offset, limit, http.RequestAborted)) list.Add((JsonNode)PersonJson(p));
        await WriteAsync(http, StatusCodes.Status200OK, new JsonObject { ["gallery"] = gallery, ["offset"] = offset, ["persons"] = list });
    }

    private static async Task GetPersonAsync(HttpContext http, string gallery, string person) =>
        await WriteAsync(http, StatusCodes.Status200OK, PersonJson(await Galleries(http).GetPersonAsync(gallery, person, http.RequestAborted)));

    private static async Task DeletePersonAsync(HttpContext http, string gallery, string person)
    {
        await Galleries(http).DeletePersonAsync(gallery, person, http.RequestAborted);
        http.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static async Task EnrolAsync(HttpContext http, string gallery, string person)
    {
        var galleries = Galleries(http);
        // Unknown gallery or person: 404 before the image is decoded or any model runs.
        await galleries.GetPersonAsync(gallery, person, http.RequestAborted);
        var body = await ReadObjectAsync(http);
        var sample = http.RequestServices.GetRequiredService<SampleParser>().Parse(body, needsImage: false, isDetector: true);
        var faces = await http.RequestServices.GetRequiredService<SampleFaces>().EnrolmentAsync(sample, http.RequestAborted);
        var ids = await galleries.EnrolAsync(gallery, person, [.. faces.Select(f => f.Template)], http.RequestAborted);
        var enrolled = new JsonArray();
        for (var i = 0; i < faces.Count; i++)
        {
            var e = new JsonObject { ["template_id"] = ids[i], ["object"] = faces[i].Index };
            if (faces[i].Object[FieldNames.Bbox] is { } bbox) e[FieldNames.Bbox] = bbox.DeepClone();
            enrolled.Add((JsonNode)e);
        }

        var info = await galleries.GetPersonAsync(gallery, person, http.RequestAborted);
        var answer = PersonJson(info);
        answer["enrolled"] = enrolled;
        await WriteAsync(http, StatusCodes.Status201Created, answer);
    }

    private static JsonObject GalleryJson(GalleryInfo info, int persons, int templates)
    {
        var o = new JsonObject { ["id"] = info.Id };
        if (info.TargetFar is { } far) o["far"] = far;
        if (info.MinScore is { } score) o["score"] = score;
        o["persons"] = persons;
        o["templates"] = templates;
        o["created_at"] = info.CreatedAt.ToString("O", CultureInfo.InvariantCulture);
        return o;
    }

    private static JsonObject PersonJson(PersonInfo p) => new()
    {
        ["gallery"] = p.Gallery,
        ["id"] = p.Id,
        ["metadata"] = p.Metadata is null ? null : JsonNode.Parse(p.Metadata),
        ["templates"] = p.Templates,
        ["created_at"] = p.CreatedAt.ToString("O", CultureInfo.InvariantCulture),
    };

    private static async Task<JsonObject> ReadObjectAsync(HttpContext http)
    {
        var max = http.RequestServices.GetRequiredService<IOptions<SampleLimits>>().Value.MaxRequestBytes;
        if (http.Request.ContentLength > max) throw ApiException.TooLarge();
        using var ms = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = await http.Request.Body.ReadAsync(buffer, http.RequestAborted)) > 0)
        {
            if (ms.Length + read > max) throw ApiException.TooLarge();
            ms.Write(buffer, 0, read);
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(ms.ToArray(), documentOptions: new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw new ApiException([new ValidationIssue(["body", (int)(e.BytePositionInLine ?? 0)], "JSON decode error", "json_invalid")]);
        }

        return node as JsonObject ?? throw new ApiException([new ValidationIssue(["body"], "Input should be a valid dictionary", "dict_type")]);
    }

    private static string RequiredString(JsonObject body, string field) =>
        body[field] switch
        {
            null => throw ApiException.Invalid("Field required", "missing", field),
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            _ => throw ApiException.Invalid("Input should be a valid string", "string_type", field),
        };

    private static double? OptionalNumber(JsonObject body, string field) =>
        body[field] switch
        {
            null => null,
            JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.GetValue<double>(),
            _ => throw ApiException.Invalid("Input should be a valid number", "float_type", field),
        };

    private static int QueryInt(HttpContext http, string name, int fallback, int min, int max)
    {
        if (!http.Request.Query.TryGetValue(name, out var v)) return fallback;
        return int.TryParse(v.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new ApiException([new ValidationIssue(["query", name], $"{name} must be an integer in [{min}, {max}]", "value_error")]);
    }

    private static Task WriteAsync(HttpContext http, int status, JsonNode body) =>
        JsonResponse.WriteAsync(http.Response, status, body, http.RequestAborted);
}
