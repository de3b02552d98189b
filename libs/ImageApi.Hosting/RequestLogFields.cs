using ImageApi.Contracts;
using ImageApi.Pipeline;
using Microsoft.AspNetCore.Http;

namespace ImageApi.Hosting;

/// <summary>What the one-line request log may say about a request: service and face count — never the payload.</summary>
internal static class RequestLogFields
{
    public const string ServiceKey = "imageapi.service";
    public const string FacesKey = "imageapi.faces";

    public static void Set(HttpContext http, string service, Sample sample)
    {
        http.Items[ServiceKey] = service;
        http.Items[FacesKey] = sample.Root[FieldNames.Objects] is System.Text.Json.Nodes.JsonArray a ? a.Count : 0;
    }
}
