using ImageApi.Inference;

namespace ImageApi.Identification;

/// <summary>
/// <c>face-identifier</c>: every face of the sample (objects carrying templates; else faces extracted from the image
/// first, see <see cref="SampleFaces"/>) gets <c>matches</c>: its top-k persons of the gallery that pass the
/// threshold, best first, each <c>{person_id, score, distance, fa_r, fr_r}</c> — verify-matcher's fields for the
/// probe and the person's best template. Everything else of the sample is echoed.
/// </summary>
public sealed class FaceIdentifierService(Galleries galleries, SampleFaces faces, IHttpContextAccessor http,
    IOptions<IdentificationOptions> options) : IImageApiService
{
    public const string MatchesField = "matches";

    /// <summary>Templates alone are enough; an image is used only when no object carries a template.</summary>
    public bool NeedsImage => false;

    public async ValueTask ProcessAsync(Sample sample, CancellationToken ct)
    {
        var query = IdentificationQuery.From(http.HttpContext?.Request.Query, sample.Root, options.Value);
        await galleries.RequireGalleryAsync(query.Gallery, ct); // 404 for an unknown gallery before any model work
        var probes = await faces.TemplatesAsync(sample, ct);
        using var activity = ImageApiTelemetry.StartStage("identify");
        foreach (var face in probes)
        {
            var matches = new JsonArray();
            foreach (var m in await galleries.SearchAsync(query.Gallery, face.Template, query.K, query.Threshold, ct))
            {
                matches.Add((JsonNode)new JsonObject
                {
                    ["person_id"] = m.PersonId,
                    ["score"] = m.Verification.Score,
                    ["distance"] = m.Verification.Distance,
                    ["fa_r"] = m.Verification.FaR,
                    ["fr_r"] = m.Verification.FrR,
                });
            }

            face.Object[MatchesField] = matches;
        }
    }
}
