using System.Text.Json;
using ImageApi.Hosting;

namespace ImageApi.Orchestration;

/// <summary>
/// The orchestrator's side of Dapr pub/sub, served by hand because Dapr.AspNetCore's <c>MapSubscribeHandler</c> and
/// <c>UseCloudEvents</c> fail under Native AOT (re-measured with 1.19.1, docs/distributed.md): <c>GET /dapr/subscribe</c>
/// lists the requests subscription (with its dead-letter topic) and <c>POST /pubsub/requests</c> takes the CloudEvents.
/// </summary>
public static class PubSubEndpoints
{
    public static IEndpointRouteBuilder MapRequestSubscription(this IEndpointRouteBuilder app)
    {
        app.MapGet(DaprNames.SubscribeRoute, (HttpContext http, CancellationToken ct) => SubscribeAsync(http))
            .RequireDaprAppToken().WithTags("dapr").ExcludeFromDescription();
        app.MapPost(DaprNames.RequestsRoute, (HttpContext http, CancellationToken ct) => DeliverAsync(http))
            .RequireDaprAppToken().WithTags("dapr").ExcludeFromDescription();
        return app;
    }

    private static Task SubscribeAsync(HttpContext http)
    {
        var options = http.RequestServices.GetRequiredService<IOptions<OrchestratorOptions>>().Value;
        var pubsub = http.RequestServices.GetRequiredService<IOptions<DaprOptions>>().Value.PubSubName;
        var subscriptions = new JsonArray();
        if (options.ProgrammaticSubscription)
        {
            subscriptions.Add((JsonNode)new JsonObject
            {
                ["pubsubname"] = pubsub,
                ["topic"] = DaprNames.RequestsTopic,
                ["route"] = DaprNames.RequestsRoute,
                ["deadLetterTopic"] = DaprNames.DeadLetterTopic,
            });
        }

        return JsonResponse.WriteAsync(http.Response, StatusCodes.Status200OK, subscriptions, http.RequestAborted);
    }

    private static async Task DeliverAsync(HttpContext http)
    {
        var handler = http.RequestServices.GetRequiredService<RequestEventHandler>();
        JsonNode? envelope;
        try
        {
            envelope = JsonNode.Parse((await SampleRequest.ReadBodyAsync(http)).Span, documentOptions: new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (Exception e) when (e is JsonException or ImageApi.Contracts.ApiException)
        {
            envelope = null; // not JSON or too large: can never be processed → DROP (dead-letter)
        }

        var status = await handler.HandleAsync(envelope, http.RequestAborted);
        var body = new JsonObject { ["status"] = status.ToString().ToUpperInvariant() };
        await JsonResponse.WriteAsync(http.Response, StatusCodes.Status200OK, body, http.RequestAborted);
    }
}
