namespace ImageApi.Distributed.Tests;

/// <summary>A fault injected at an app's process boundary: down, slow, or failing with a status.</summary>
public sealed record AppFault(bool Down = false, TimeSpan? Delay = null, int? Status = null);
