namespace ImageApi.Identification;

/// <summary>A gallery and its default match threshold: a target FAR of the reference ROC or a minimum score (exactly
/// one of the two is set).</summary>
public sealed record GalleryInfo(string Id, double? TargetFar, double? MinScore, DateTimeOffset CreatedAt);

/// <summary>A person of a gallery: the client's id, optional small JSON metadata (stored as text) and how many
/// templates are enrolled.</summary>
public sealed record PersonInfo(string Gallery, string Id, string? Metadata, int Templates, DateTimeOffset CreatedAt);

/// <summary>A template as stored: its row id, owner and blob (the canonical float32 ImageApi template).</summary>
public sealed record StoredTemplate(long Id, string Gallery, string PersonId, byte[] Blob);

/// <summary>The outcome of adding a person.</summary>
public enum AddPersonOutcome
{
    Added,
    Duplicate,
    NoGallery,
}

/// <summary>A change made by another replica of the same database, as announced by the store.</summary>
public sealed record StoreChange(StoreChangeKind Kind, string Gallery, string? PersonId, long[] TemplateIds);

public enum StoreChangeKind
{
    GalleryCreated,
    GalleryDeleted,
    PersonDeleted,
    TemplatesAdded,

    /// <summary>The change feed was interrupted (connection lost): changes may have been missed, rebuild everything.</summary>
    Resync,
}
