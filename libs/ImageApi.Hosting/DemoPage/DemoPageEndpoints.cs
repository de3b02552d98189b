using System.Collections.Frozen;

namespace ImageApi.Hosting.DemoPage;

/// <summary>
/// <c>GET /</c>: the demo page (drop a photo, see every answer drawn; docs/demo.md), its script and style under
/// <c>/demo/</c>, and the repository's docs/ pages as plain text under <c>/guide/</c> (the API reference links each
/// service to its page). All embedded in the assembly and read once at start-up.
/// </summary>
public static class DemoPageEndpoints
{
    public const string GuideRoute = "/guide/";

    // The page may only talk to this host: no CDN, no fonts, no analytics. 'unsafe-inline' styles only for the
    // computed bar widths (style attributes); scripts stay 'self'.
    private const string PagePolicy = "default-src 'self'; img-src 'self' blob: data:; style-src 'self' 'unsafe-inline'; " +
                                      "script-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

    public static IEndpointRouteBuilder MapDemoPage(this IEndpointRouteBuilder app)
    {
        Map(app, "/", "demo/index.html", "text/html; charset=utf-8");
        Map(app, "/demo/demo.js", "demo/demo.js", "text/javascript; charset=utf-8");
        Map(app, "/demo/demo.css", "demo/demo.css", "text/css; charset=utf-8");

        var guides = EmbeddedFiles.Names("guide/").ToFrozenDictionary(n => n["guide/".Length..], EmbeddedFiles.Read, StringComparer.Ordinal);
        app.MapGet(GuideRoute + "{page}", (string page, HttpContext http) =>
        {
            if (!guides.TryGetValue(page, out var bytes)) return Results.NotFound();
            NoCache(http);
            // Markdown as plain text: every browser shows it, and its links between pages are relative.
            return Results.Bytes(bytes, "text/plain; charset=utf-8");
        }).ExcludeFromDescription();
        return app;
    }

    private static void Map(IEndpointRouteBuilder app, string route, string resource, string contentType)
    {
        var bytes = EmbeddedFiles.Read(resource);
        app.MapGet(route, (HttpContext http) =>
        {
            NoCache(http);
            http.Response.Headers.ContentSecurityPolicy = PagePolicy;
            return Results.Bytes(bytes, contentType);
        }).ExcludeFromDescription();
    }

    private static void NoCache(HttpContext http)
    {
        // Small files: revalidate every time so a new build's page is never mixed with an old script.
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers.XContentTypeOptions = "nosniff";
    }
}
