using System.ComponentModel.DataAnnotations;

namespace ImageApi.Identification;

/// <summary>Which system of record holds the galleries.</summary>
public enum GalleryStoreKind
{
    /// <summary>A SQLite file under <see cref="IdentificationOptions.DataDirectory"/>: the embedded default, one process.</summary>
    Sqlite,

    /// <summary>PostgreSQL: the distributed mode; several replicas share it and follow each other by LISTEN/NOTIFY.</summary>
    Postgres,
}

/// <summary>Galleries, enrolment and search settings, bound from <c>Identification</c> (docs/identification.md).</summary>
public sealed class IdentificationOptions : IValidatableObject
{
    public const string SectionName = "Identification";

    public GalleryStoreKind Store { get; set; } = GalleryStoreKind.Sqlite;

    /// <summary>Folder of the SQLite file (<c>identification.db</c>); relative paths are under the content root.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Npgsql connection string (Store = Postgres); in the chart it comes from a Secret.</summary>
    public string PostgresConnectionString { get; set; } = "";

    /// <summary>LISTEN/NOTIFY channel the replicas of one database use to keep their indexes in step.</summary>
    public string NotifyChannel { get; set; } = "imageapi_identification";

    /// <summary>Matches per face when the request gives no <c>k</c>.</summary>
    public int DefaultK { get; set; } = 5;

    /// <summary>Largest <c>k</c> a request may ask for.</summary>
    [Range(1, int.MaxValue)]
    public int MaxK { get; set; } = 100;

    /// <summary>Target FAR of a new gallery's default threshold when its creation names none (1e-3: the reference
    /// ROC's middle operating point, docs/templates.md).</summary>
    public double DefaultTargetFar { get; set; } = 1e-3;

    /// <summary>Largest person metadata (JSON object, UTF-8 bytes): metadata is a label, not a document store.</summary>
    [Range(0, int.MaxValue)]
    public int MaxMetadataBytes { get; set; } = 4096;

    /// <summary>Most templates one person may hold.</summary>
    [Range(1, int.MaxValue)]
    public int MaxTemplatesPerPerson { get; set; } = 64;

    /// <summary>Templates above which a gallery's index turns approximate: int8 codes (a quarter of the float matrix's
    /// memory, scanned on every core) whose best candidates are re-scored exactly from the store. 200 000: below it
    /// exact search is a few ms on one core (2.6 ms at 100 k, bench/results/identification.md) and needs no store read
    /// per query; above it the float matrix's memory (512 MB per million 128-d templates) and scan time grow past the
    /// targets.</summary>
    [Range(0, int.MaxValue)]
    public int ApproximateAbove { get; set; } = 200_000;

    /// <summary>Candidates the approximate index re-scores exactly, as a multiple of k (k · factor rows; recall@10
    /// against exact search measured at the default, docs/identification.md).</summary>
    [Range(1, int.MaxValue)]
    public int CandidateFactor { get; set; } = 8;

    /// <summary>Cores one approximate search scans on; 0 = every core of the machine.</summary>
    [Range(0, int.MaxValue)]
    public int SearchThreads { get; set; }

    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        if (DefaultK < 1 || DefaultK > MaxK) yield return new ValidationResult("Identification:DefaultK must be in [1, MaxK]", [nameof(DefaultK)]);
        if (!(DefaultTargetFar > 0 && DefaultTargetFar <= 1))
            yield return new ValidationResult("Identification:DefaultTargetFar must be in (0, 1]", [nameof(DefaultTargetFar)]);
        if (!Enum.IsDefined(Store)) yield return new ValidationResult("Identification:Store must be Sqlite or Postgres", [nameof(Store)]);
        if (Store == GalleryStoreKind.Postgres && string.IsNullOrWhiteSpace(PostgresConnectionString))
            yield return new ValidationResult("Identification:PostgresConnectionString is required when Identification:Store is Postgres",
                [nameof(PostgresConnectionString)]);
    }
}

/// <summary>Start-up check of <see cref="IdentificationOptions"/>: its attributes, k within the maximum, the FAR range and the store's connection string.</summary>
[OptionsValidator]
public sealed partial class IdentificationOptionsValidator : IValidateOptions<IdentificationOptions>;
