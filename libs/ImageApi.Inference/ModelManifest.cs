using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImageApi.Inference;

/// <summary>One model of <c>models/models.json</c>.</summary>
public sealed record ModelEntry(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("file")] string File,
    [property: JsonPropertyName("sha256")] string Sha256,
    [property: JsonPropertyName("license")] string License,
    [property: JsonPropertyName("input")] string Input,
    [property: JsonPropertyName("version")] string Version);

/// <summary><c>models/models.json</c>: every model the product ships, with its licence and checksum.</summary>
public sealed class ModelManifest
{
    public const string FileName = "models.json";

    public ModelManifest(string directory, IReadOnlyList<ModelEntry> models)
    {
        Directory = directory;
        Models = models;
    }

    public string Directory { get; }
    public IReadOnlyList<ModelEntry> Models { get; }

    public ModelEntry Get(string name) =>
        Models.FirstOrDefault(m => m.Name == name)
        ?? throw new InvalidOperationException($"Model '{name}' is not in {Path.Combine(Directory, FileName)}");

    public string PathOf(ModelEntry entry) => Path.Combine(Directory, entry.File);

    public static ModelManifest Load(string directory)
    {
        var path = Path.Combine(directory, FileName);
        using var stream = System.IO.File.OpenRead(path);
        var models = JsonSerializer.Deserialize(stream, ManifestJsonContext.Default.ListModelEntry)
                     ?? throw new InvalidOperationException($"{path} is empty");
        return new ModelManifest(directory, models);
    }
}

[JsonSerializable(typeof(List<ModelEntry>))]
internal sealed partial class ManifestJsonContext : JsonSerializerContext;
