using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace ImageApi.Identification;

/// <summary>
/// The embedded store: one SQLite file (<c>identification.db</c>) in the data directory. WAL journal (searches never
/// touch it; writes are serialised by <see cref="Galleries"/>), foreign keys so that deleting a person or gallery
/// deletes its templates, and <c>secure_delete</c> so a deleted template's bytes are overwritten in the file rather
/// than left in free pages — the right to be forgotten applies to the disk too.
/// </summary>
public sealed class SqliteGalleryStore : IGalleryStore
{
    public const string FileName = "identification.db";

    private readonly string _connectionString;

    public SqliteGalleryStore(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        Path = System.IO.Path.Combine(dataDirectory, FileName);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            ForeignKeys = true,
        }.ToString();
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    private const string Schema = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS galleries (
            id          TEXT PRIMARY KEY,
            target_far  REAL,
            min_score   REAL,
            created_at  TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS persons (
            gallery     TEXT NOT NULL REFERENCES galleries(id) ON DELETE CASCADE,
            id          TEXT NOT NULL,
            metadata    TEXT,
            created_at  TEXT NOT NULL,
            PRIMARY KEY (gallery, id)
        );
        CREATE TABLE IF NOT EXISTS templates (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            gallery     TEXT NOT NULL,
            person      TEXT NOT NULL,
            template    BLOB NOT NULL,
            created_at  TEXT NOT NULL,
            FOREIGN KEY (gallery, person) REFERENCES persons(gallery, id) ON DELETE CASCADE
        );
        CREATE INDEX IF NOT EXISTS templates_by_person ON templates (gallery, person);
        """;

    public async Task InitializeAsync(CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await ExecuteAsync(c, Schema, ct);
    }

    public async Task<bool> CreateGalleryAsync(GalleryInfo gallery, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await using var cmd = Command(c, "INSERT INTO galleries (id, target_far, min_score, created_at) VALUES ($id, $far, $score, $at) ON CONFLICT (id) DO NOTHING");
        cmd.Parameters.AddWithValue("$id", gallery.Id);
        cmd.Parameters.AddWithValue("$far", (object?)gallery.TargetFar ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$score", (object?)gallery.MinScore ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$at", gallery.CreatedAt.ToString("O", CultureInfo.InvariantCulture));
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }

    public async Task<IReadOnlyList<GalleryInfo>> ListGalleriesAsync(CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await using var cmd = Command(c, "SELECT id, target_far, min_score, created_at FROM galleries ORDER BY id");
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<GalleryInfo>();
        while (await r.ReadAsync(ct))
        {
            list.Add(new GalleryInfo(r.GetString(0), r.IsDBNull(1) ? null : r.GetDouble(1), r.IsDBNull(2) ? null : r.GetDouble(2),
                DateTimeOffset.Parse(r.GetString(3), CultureInfo.InvariantCulture)));
        }

        return list;
    }

    public async Task<bool> DeleteGalleryAsync(string gallery, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await using var cmd = Command(c, "DELETE FROM galleries WHERE id = $g");
        cmd.Parameters.AddWithValue("$g", gallery);
        return await cmd.ExecuteNonQueryAsync(ct) > 0;
    }

    public async Task<AddPersonOutcome> AddPersonAsync(string gallery, string personId, string? metadata, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await using var cmd = Command(c, """
            INSERT INTO persons (gallery, id, metadata, created_at)
            SELECT $g, $p, $m, $at WHERE EXISTS (SELECT 1 FROM galleries WHERE id = $g)
            ON CONFLICT (gallery, id) DO NOTHING
            """);
        cmd.Parameters.AddWithValue("$g", gallery);
        cmd.Parameters.AddWithValue("$p", personId);
        cmd.Parameters.AddWithValue("$m", (object?)metadata ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
        if (await cmd.ExecuteNonQueryAsync(ct) == 1) return AddPersonOutcome.Added;
        await using var exists = Command(c, "SELECT COUNT(*) FROM galleries WHERE id = $g");
        exists.Parameters.AddWithValue("$g", gallery);
        return Convert.ToInt64(await exists.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture) == 0
            ? AddPersonOutcome.NoGallery
            : AddPersonOutcome.Duplicate;
    }

    private const string PersonColumns =
        "p.gallery, p.id, p.metadata, (SELECT COUNT(*) FROM templates t WHERE t.gallery = p.gallery AND t.person = p.id), p.created_at";

    public async Task<PersonInfo?> GetPersonAsync(string gallery, string personId, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await using var cmd = Command(c, $"SELECT {PersonColumns} FROM persons p WHERE p.gallery = $g AND p.id = $p");
        cmd.Parameters.AddWithValue("$g", gallery);
        cmd.Parameters.AddWithValue("$p", personId);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? ReadPerson(r) : null;
    }

    public async Task<IReadOnlyList<PersonInfo>> ListPersonsAsync(string gallery, int offset, int limit, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await using var cmd = Command(c, $"SELECT {PersonColumns} FROM persons p WHERE p.gallery = $g ORDER BY p.id LIMIT $limit OFFSET $offset");
        cmd.Parameters.AddWithValue("$g", gallery);
        cmd.Parameters.AddWithValue("$limit", limit);
        cmd.Parameters.AddWithValue("$offset", offset);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<PersonInfo>();
        while (await r.ReadAsync(ct)) list.Add(ReadPerson(r));
        return list;
    }

    private static PersonInfo ReadPerson(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetInt32(3),
            DateTimeOffset.Parse(r.GetString(4), CultureInfo.InvariantCulture));

    public async Task<bool> DeletePersonAsync(string gallery, string personId, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await using var cmd = Command(c, "DELETE FROM persons WHERE gallery = $g AND id = $p");
        cmd.Parameters.AddWithValue("$g", gallery);
        cmd.Parameters.AddWithValue("$p", personId);
        return await cmd.ExecuteNonQueryAsync(ct) > 0;
    }

    public async Task<IReadOnlyList<long>?> AddTemplatesAsync(string gallery, string personId, IReadOnlyList<byte[]> blobs, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await using var tx = (SqliteTransaction)await c.BeginTransactionAsync(ct);
        await using (var exists = Command(c, "SELECT COUNT(*) FROM persons WHERE gallery = $g AND id = $p", tx))
        {
            exists.Parameters.AddWithValue("$g", gallery);
            exists.Parameters.AddWithValue("$p", personId);
            if (Convert.ToInt64(await exists.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture) == 0) return null;
        }

        var ids = new List<long>(blobs.Count);
        var at = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        foreach (var blob in blobs)
        {
            await using var cmd = Command(c, "INSERT INTO templates (gallery, person, template, created_at) VALUES ($g, $p, $t, $at) RETURNING id", tx);
            cmd.Parameters.AddWithValue("$g", gallery);
            cmd.Parameters.AddWithValue("$p", personId);
            cmd.Parameters.Add("$t", SqliteType.Blob).Value = blob;
            cmd.Parameters.AddWithValue("$at", at);
            ids.Add(Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture));
        }

        await tx.CommitAsync(ct);
        return ids;
    }

    public async IAsyncEnumerable<StoredTemplate> ReadTemplatesAsync(IReadOnlyCollection<long>? ids, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await using var cmd = Command(c, ids is null
            ? "SELECT id, gallery, person, template FROM templates ORDER BY id"
            : "SELECT id, gallery, person, template FROM templates WHERE id IN (SELECT value FROM json_each($ids)) ORDER BY id");
        if (ids is not null) cmd.Parameters.AddWithValue("$ids", "[" + string.Join(',', ids) + "]");
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            yield return new StoredTemplate(r.GetInt64(0), r.GetString(1), r.GetString(2), (byte[])r.GetValue(3));
        }
    }

    /// <summary>One process owns the file: there is nobody else's change to follow.</summary>
    public async IAsyncEnumerable<StoreChange> WatchAsync([EnumeratorCancellation] CancellationToken ct)
    {
        await Task.CompletedTask;
        yield break;
    }

    public ValueTask DisposeAsync()
    {
        // Pooled connections hold the file (and its WAL) open; release them so the folder can be removed or reused.
        SqliteConnection.ClearAllPools();
        return ValueTask.CompletedTask;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        var c = new SqliteConnection(_connectionString);
        await c.OpenAsync(ct);
        await ExecuteAsync(c, "PRAGMA secure_delete = ON; PRAGMA busy_timeout = 5000;", ct);
        return c;
    }

    private static SqliteCommand Command(SqliteConnection c, string sql, SqliteTransaction? tx = null)
    {
        var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        return cmd;
    }

    private static async Task ExecuteAsync(SqliteConnection c, string sql, CancellationToken ct)
    {
        await using var cmd = Command(c, sql);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
