using ImageApi.Inference;

namespace ImageApi.Hosting;

/// <summary>
/// <c>--list-models</c>: opens every model family the host registered, exactly as the start-up warm-up does with the
/// host's configuration, prints the model folders it opened (one per line, relative to the models directory) and exits
/// without serving. The image build (services/Dockerfile) copies only those folders into a single-service image.
/// </summary>
public static class ModelInventory
{
    public const string Switch = "--list-models";

    /// <summary>Serves — or, with <see cref="Switch"/> among <paramref name="args"/>, lists the models and returns.</summary>
    public static void RunImageApi(this WebApplication app, string[] args)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (args.Contains(Switch, StringComparer.Ordinal))
        {
            foreach (var folder in Folders(app.Services)) Console.Out.WriteLine(folder);
            return;
        }

        app.Run();
    }

    public static IReadOnlyList<string> Folders(IServiceProvider services)
    {
        foreach (var warmable in services.GetServices<IWarmable>()) warmable.WarmUp();
        // The orchestrator registers no model family and no catalog: it lists nothing.
        if (services.GetService<ModelCatalog>() is not { } catalog) return [];
        return [.. catalog.Loaded
            .Select(m => Path.GetDirectoryName(m.Entry.File.Replace('\\', '/'))!)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }
}
