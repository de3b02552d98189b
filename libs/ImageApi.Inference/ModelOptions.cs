namespace ImageApi.Inference;

/// <summary>Where the models live, bound from the <c>Models</c> configuration section.</summary>
public sealed class ModelOptions
{
    public const string SectionName = "Models";

    /// <summary>Folder holding <c>models.json</c> and one sub-folder per model. Empty: <c>models/</c> next to the
    /// binary, else the repository's <c>models/</c> found by walking up from it (so <c>dotnet run</c> and tests work).</summary>
    public string Directory { get; set; } = "";

    /// <summary>Check each model file's sha256 against the manifest when it is loaded.</summary>
    public bool VerifySha256 { get; set; } = true;

    public string ResolveDirectory()
    {
        if (!string.IsNullOrWhiteSpace(Directory)) return Path.GetFullPath(Directory);
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null)
        {
            var candidate = Path.Combine(dir.FullName, "models", ModelManifest.FileName);
            if (File.Exists(candidate)) return Path.GetDirectoryName(candidate)!;
            dir = dir.Parent;
        }

        throw new InvalidOperationException(
            $"No models/{ModelManifest.FileName} found next to {AppContext.BaseDirectory} or above it; set Models__Directory.");
    }
}
