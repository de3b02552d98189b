namespace ImageApi.Distributed.Tests;

/// <summary>A programmatic subscription an app listed at <c>/dapr/subscribe</c>.</summary>
public sealed record Subscription(string AppId, string PubSub, string Topic, string Route, string? DeadLetterTopic);
