namespace ImageApi.Samples;

/// <summary>Adds a section to <c>/info</c> (e.g. a model's decision threshold and measured operating point). Declared
/// here, beside the service interface, so model libraries describe themselves without depending on the host.</summary>
public interface IInfoContributor
{
    string Key { get; }
    JsonNode Describe();
}
