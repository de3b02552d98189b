using System.Text.Json.Nodes;

namespace ImageApi.Hosting;

/// <summary>What the one-line request log, the request-duration metric and the request span may say about a request:
/// which service (or the pipeline route) answered and how many objects — never the payload.</summary>
public static class RequestLogFields
{
    public const string ServiceKey = "imageapi.service";
    public const string FacesKey = "imageapi.faces";

    internal static void Set(HttpContext http, string service, Sample sample) => Set(http, service, sample.Root);

    /// <summary>Names the route's service for the request log; set it as soon as the route is known so that a
    /// rejected request is logged under it too, and again with the answer to count its objects.</summary>
    public static void Set(HttpContext http, string service, JsonNode? answer)
    {
        http.Items[ServiceKey] = service;
        http.Items[FacesKey] = answer?[FieldNames.Objects] is JsonArray a ? a.Count : 0;
    }
}
