namespace ImageApi.Identification;

/// <summary>
/// The system of record of galleries, persons and templates (never images). The search index is built from it at
/// start-up and kept in step with it; it is the only thing that survives a restart. Implementations: SQLite
/// (embedded, one process) and PostgreSQL (distributed, several replicas).
/// </summary>
public interface IGalleryStore : IAsyncDisposable
{
    /// <summary>Creates the schema if missing (idempotent; run at start-up).</summary>
    Task InitializeAsync(CancellationToken ct);

    /// <summary>False when a gallery of that id exists.</summary>
    Task<bool> CreateGalleryAsync(GalleryInfo gallery, CancellationToken ct);

    Task<IReadOnlyList<GalleryInfo>> ListGalleriesAsync(CancellationToken ct);

    /// <summary>Deletes the gallery with all its persons and templates; false when there was none.</summary>
    Task<bool> DeleteGalleryAsync(string gallery, CancellationToken ct);

    Task<AddPersonOutcome> AddPersonAsync(string gallery, string personId, string? metadata, CancellationToken ct);

    Task<PersonInfo?> GetPersonAsync(string gallery, string personId, CancellationToken ct);

    Task<IReadOnlyList<PersonInfo>> ListPersonsAsync(string gallery, int offset, int limit, CancellationToken ct);

    /// <summary>Deletes the person and every template of it; false when there was none.</summary>
    Task<bool> DeletePersonAsync(string gallery, string personId, CancellationToken ct);

    /// <summary>Stores templates of an existing person in one transaction; their ids, or null when the person does
    /// not exist.</summary>
    Task<IReadOnlyList<long>?> AddTemplatesAsync(string gallery, string personId, IReadOnlyList<byte[]> blobs, CancellationToken ct);

    /// <summary>Every template (start-up rebuild), or those of the given ids.</summary>
    IAsyncEnumerable<StoredTemplate> ReadTemplatesAsync(IReadOnlyCollection<long>? ids, CancellationToken ct);

    /// <summary>Changes made by other processes on the same store, for as long as <paramref name="ct"/> runs; an
    /// empty sequence for a store only this process uses.</summary>
    IAsyncEnumerable<StoreChange> WatchAsync(CancellationToken ct);
}
