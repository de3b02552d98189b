namespace ImageApi.Distributed.Tests;

/// <summary>One app of the distributed mode, in-process.</summary>
public interface IAppHost : IDisposable
{
    /// <summary>A handler into the app (what its sidecar calls).</summary>
    HttpMessageHandler CreateHandler();

    /// <summary>A client calling the app directly (like a client through the ingress, or a probe).</summary>
    HttpClient CreateClient();

    /// <summary>The app's services (starts it).</summary>
    IServiceProvider Services { get; }
}
