namespace ImageApi.Distributed.Tests;

/// <summary>An HTTP answer: status, parsed body (null when empty or not JSON) and how long it took.</summary>
public sealed record Answer(int Status, JsonNode? Body, TimeSpan Elapsed);
