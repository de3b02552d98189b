using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using Npgsql;
using NpgsqlTypes;

namespace ImageApi.Identification;

/// <summary>
/// The distributed store: PostgreSQL as the system of record of every replica. Each write commits together with a
/// <c>pg_notify</c> on <see cref="IdentificationOptions.NotifyChannel"/> (delivered on commit, so a replica never
/// hears of a change it cannot read yet); each replica LISTENs on a connection of its own from start-up — before
/// its index is rebuilt, so a change made meanwhile is queued, not lost — and applies the others' changes to its
/// index. If that connection drops, the replica reconnects and rebuilds (a <see cref="StoreChangeKind.Resync"/>).
/// Npgsql's slim data source keeps the host Native AOT clean.
/// </summary>
public sealed partial class PostgresGalleryStore : IGalleryStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _channel;
    private readonly string _instance = Guid.NewGuid().ToString("N");
    private readonly Channel<StoreChange> _changes = Channel.CreateUnbounded<StoreChange>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _listener;

    public PostgresGalleryStore(string connectionString, string channel)
    {
        if (!ChannelPattern().IsMatch(channel)) throw new ArgumentException("the notify channel must be a lower-case SQL identifier", nameof(channel));
        _channel = channel;
        var builder = new NpgsqlSlimDataSourceBuilder(connectionString);
        builder.EnableArrays();
        _dataSource = builder.Build();
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex ChannelPattern();

    private const string Schema = """
        SELECT pg_advisory_xact_lock(7305519113);
        CREATE TABLE IF NOT EXISTS identification_galleries (
            id          TEXT PRIMARY KEY,
            target_far  DOUBLE PRECISION,
            min_score   DOUBLE PRECISION,
            created_at  TIMESTAMPTZ NOT NULL
        );
        CREATE TABLE IF NOT EXISTS identification_persons (
            gallery     TEXT NOT NULL REFERENCES identification_galleries(id) ON DELETE CASCADE,
            id          TEXT NOT NULL,
            metadata    TEXT,
            created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
            PRIMARY KEY (gallery, id)
        );
        CREATE TABLE IF NOT EXISTS identification_templates (
            id          BIGSERIAL PRIMARY KEY,
            gallery     TEXT NOT NULL,
            person      TEXT NOT NULL,
            template    BYTEA NOT NULL,
            created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
            FOREIGN KEY (gallery, person) REFERENCES identification_persons(gallery, id) ON DELETE CASCADE
        );
        CREATE INDEX IF NOT EXISTS identification_templates_by_person ON identification_templates (gallery, person);
        """;

    public async Task InitializeAsync(CancellationToken ct)
    {
        await using (var c = await _dataSource.OpenConnectionAsync(ct))
        await using (var tx = await c.BeginTransactionAsync(ct))
        {
            // The advisory lock serialises replicas that start together: CREATE … IF NOT EXISTS alone can race.
            await using (var cmd = new NpgsqlCommand(Schema, c, tx)) await cmd.ExecuteNonQueryAsync(ct);
            await tx.CommitAsync(ct);
        }

        _listener ??= Task.Run(() => ListenAsync(_stop.Token), CancellationToken.None);
        await _listening.Task.WaitAsync(ct);
    }

    public async Task<bool> CreateGalleryAsync(GalleryInfo gallery, CancellationToken ct)
    {
        await using var c = await _dataSource.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await using var cmd = new NpgsqlCommand(
            "INSERT INTO identification_galleries (id, target_far, min_score, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING", c, tx);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = gallery.Id });
        cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Double, Value = (object?)gallery.TargetFar ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Double, Value = (object?)gallery.MinScore ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = gallery.CreatedAt.UtcDateTime });
        if (await cmd.ExecuteNonQueryAsync(ct) != 1) return false;
        await NotifyAsync(c, tx, "g+", gallery.Id, null, null, ct);
        await tx.CommitAsync(ct);
        return true;
    }

    public async Task<IReadOnlyList<GalleryInfo>> ListGalleriesAsync(CancellationToken ct)
    {
        await using var c = await _dataSource.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand("SELECT id, target_far, min_score, created_at FROM identification_galleries ORDER BY id", c);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<GalleryInfo>();
        while (await r.ReadAsync(ct))
        {
            list.Add(new GalleryInfo(r.GetString(0), r.IsDBNull(1) ? null : r.GetDouble(1), r.IsDBNull(2) ? null : r.GetDouble(2),
                new DateTimeOffset(r.GetFieldValue<DateTime>(3), TimeSpan.Zero)));
        }

        return list;
    }

    public async Task<bool> DeleteGalleryAsync(string gallery, CancellationToken ct)
    {
        await using var c = await _dataSource.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await using var cmd = new NpgsqlCommand("DELETE FROM identification_galleries WHERE id = $1", c, tx);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = gallery });
        if (await cmd.ExecuteNonQueryAsync(ct) == 0) return false;
        await NotifyAsync(c, tx, "g-", gallery, null, null, ct);
        await tx.CommitAsync(ct);
        return true;
    }

    public async Task<AddPersonOutcome> AddPersonAsync(string gallery, string personId, string? metadata, CancellationToken ct)
    {
        await using var c = await _dataSource.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO identification_persons (gallery, id, metadata)
            SELECT $1, $2, $3 WHERE EXISTS (SELECT 1 FROM identification_galleries WHERE id = $1)
            ON CONFLICT (gallery, id) DO NOTHING
            """, c);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = gallery });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = personId });
        cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)metadata ?? DBNull.Value });
        if (await cmd.ExecuteNonQueryAsync(ct) == 1) return AddPersonOutcome.Added;
        await using var exists = new NpgsqlCommand("SELECT COUNT(*) FROM identification_galleries WHERE id = $1", c);
        exists.Parameters.Add(new NpgsqlParameter<string> { TypedValue = gallery });
        return (long)(await exists.ExecuteScalarAsync(ct))! == 0 ? AddPersonOutcome.NoGallery : AddPersonOutcome.Duplicate;
    }

    private const string PersonColumns =
        "p.gallery, p.id, p.metadata, (SELECT COUNT(*) FROM identification_templates t WHERE t.gallery = p.gallery AND t.person = p.id)::int, p.created_at";

    public async Task<PersonInfo?> GetPersonAsync(string gallery, string personId, CancellationToken ct)
    {
        await using var c = await _dataSource.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand($"SELECT {PersonColumns} FROM identification_persons p WHERE p.gallery = $1 AND p.id = $2", c);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = gallery });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = personId });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? ReadPerson(r) : null;
    }

    public async Task<IReadOnlyList<PersonInfo>> ListPersonsAsync(string gallery, int offset, int limit, CancellationToken ct)
    {
        await using var c = await _dataSource.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand(
            $"SELECT {PersonColumns} FROM identification_persons p WHERE p.gallery = $1 ORDER BY p.id LIMIT $2 OFFSET $3", c);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = gallery });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = offset });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<PersonInfo>();
        while (await r.ReadAsync(ct)) list.Add(ReadPerson(r));
        return list;
    }

    private static PersonInfo ReadPerson(NpgsqlDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetInt32(3),
            new DateTimeOffset(r.GetFieldValue<DateTime>(4), TimeSpan.Zero));

    public async Task<bool> DeletePersonAsync(string gallery, string personId, CancellationToken ct)
    {
        await using var c = await _dataSource.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await using var cmd = new NpgsqlCommand("DELETE FROM identification_persons WHERE gallery = $1 AND id = $2", c, tx);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = gallery });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = personId });
        if (await cmd.ExecuteNonQueryAsync(ct) == 0) return false;
        await NotifyAsync(c, tx, "p-", gallery, personId, null, ct);
        await tx.CommitAsync(ct);
        return true;
    }

    public async Task<IReadOnlyList<long>?> AddTemplatesAsync(string gallery, string personId, IReadOnlyList<byte[]> blobs, CancellationToken ct)
    {
        await using var c = await _dataSource.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await using (var exists = new NpgsqlCommand(
                         "SELECT 1 FROM identification_persons WHERE gallery = $1 AND id = $2 FOR SHARE", c, tx))
        {
            // FOR SHARE: a concurrent delete of the person waits for this enrolment (then removes its templates too).
            exists.Parameters.Add(new NpgsqlParameter<string> { TypedValue = gallery });
            exists.Parameters.Add(new NpgsqlParameter<string> { TypedValue = personId });
            if (await exists.ExecuteScalarAsync(ct) is null) return null;
        }

        var ids = new List<long>(blobs.Count);
        foreach (var blob in blobs)
        {
            await using var cmd = new NpgsqlCommand(
                "INSERT INTO identification_templates (gallery, person, template) VALUES ($1, $2, $3) RETURNING id", c, tx);
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = gallery });
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = personId });
            cmd.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = blob });
            ids.Add((long)(await cmd.ExecuteScalarAsync(ct))!);
        }

        await NotifyAsync(c, tx, "t+", gallery, personId, ids, ct);
        await tx.CommitAsync(ct);
        return ids;
    }

    public async IAsyncEnumerable<StoredTemplate> ReadTemplatesAsync(IReadOnlyCollection<long>? ids, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var c = await _dataSource.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand(ids is null
            ? "SELECT id, gallery, person, template FROM identification_templates ORDER BY id"
            : "SELECT id, gallery, person, template FROM identification_templates WHERE id = ANY($1) ORDER BY id", c);
        if (ids is not null) cmd.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. ids] });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            yield return new StoredTemplate(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetFieldValue<byte[]>(3));
        }
    }

    public async IAsyncEnumerable<StoreChange> WatchAsync([EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var change in _changes.Reader.ReadAllAsync(ct)) yield return change;
    }

    private async Task NotifyAsync(NpgsqlConnection c, NpgsqlTransaction tx, string op, string gallery, string? person,
        IReadOnlyList<long>? ids, CancellationToken ct)
    {
        var payload = new JsonObject { ["src"] = _instance, ["op"] = op, ["g"] = gallery };
        if (person is not null) payload["p"] = person;
        if (ids is not null)
        {
            var a = new JsonArray();
            foreach (var id in ids) a.Add((JsonNode)JsonValue.Create(id));
            payload["ids"] = a;
        }

        await using var cmd = new NpgsqlCommand("SELECT pg_notify($1, $2)", c, tx);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _channel });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = payload.ToJsonString() });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private async Task ListenAsync(CancellationToken ct)
    {
        var first = true;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var c = await _dataSource.OpenConnectionAsync(ct);
                c.Notification += (_, e) =>
                {
                    if (Parse(e.Payload) is { } change) _changes.Writer.TryWrite(change);
                };
                await using (var listen = new NpgsqlCommand($"LISTEN {_channel}", c)) await listen.ExecuteNonQueryAsync(ct);

                // After a reconnect, what happened while nobody listened is unknown: rebuild from the store.
                if (!first) _changes.Writer.TryWrite(new StoreChange(StoreChangeKind.Resync, "", null, []));
                first = false;
                _listening.TrySetResult();
                while (true) await c.WaitAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Any failure of the listening connection: report it to a waiting start-up, then reconnect (and
                // resync); the listener must never end while the store lives.
                if (first) _listening.TrySetException(e);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), ct);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private StoreChange? Parse(string payload)
    {
        if (JsonNode.Parse(payload) is not JsonObject o) return null;
        if (o["src"]?.GetValue<string>() == _instance) return null; // our own change: already in our index
        var gallery = o["g"]?.GetValue<string>() ?? "";
        var person = o["p"]?.GetValue<string>();
        long[] ids = o["ids"] is JsonArray a ? [.. a.Select(n => n!.GetValue<long>())] : [];
        return o["op"]?.GetValue<string>() switch
        {
            "g+" => new StoreChange(StoreChangeKind.GalleryCreated, gallery, null, []),
            "g-" => new StoreChange(StoreChangeKind.GalleryDeleted, gallery, null, []),
            "p-" => new StoreChange(StoreChangeKind.PersonDeleted, gallery, person, []),
            "t+" => new StoreChange(StoreChangeKind.TemplatesAdded, gallery, person, ids),
            _ => null,
        };
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_listener is not null) await _listener;
        _changes.Writer.TryComplete();
        await _dataSource.DisposeAsync();
        _stop.Dispose();
    }
}
