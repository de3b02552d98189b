using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using ImageApi.Templates;

namespace ImageApi.Identification;

/// <summary>A match threshold: a target FAR of the reference ROC (keep matches with <c>fa_r ≤ far</c>) or a minimum
/// <c>score</c>. Both filters are monotone in distance, so filtering the k nearest equals taking the k nearest of
/// those that pass.</summary>
public sealed record MatchThreshold(double? TargetFar, double? MinScore)
{
    public bool Accepts(Verification v) => TargetFar is { } far ? v.FaR <= far : v.Score >= (MinScore ?? double.NegativeInfinity);
}

/// <summary>One match of a probe: the person and the comparison with its best template (verify-matcher's fields).</summary>
public sealed record PersonMatch(string PersonId, Verification Verification);

/// <summary>
/// Galleries of persons and their templates: the store (system of record) and the in-process search index, kept in
/// step. Writes go to the store first and then to the index, one at a time (so the index never holds what the store
/// refused); searches read only the index. Start-up (<see cref="WarmUp"/>, before readiness) creates the schema and
/// rebuilds the index from the store; every operation waits for it.
/// </summary>
public sealed partial class Galleries(IGalleryStore store, ReferenceRoc roc, IOptions<IdentificationOptions> options,
    ILogger<Galleries> logger) : IWarmable
{
    private readonly IdentificationOptions _options = options.Value;
    private readonly IndexSettings _indexSettings = new(options.Value.ApproximateAbove, options.Value.CandidateFactor, options.Value.SearchThreads);
    private readonly ConcurrentDictionary<string, GalleryMatrix> _index = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _writes = new(1, 1);
    private readonly Lock _gate = new();
    private Task? _started;

    public IGalleryStore Store => store;

    /// <summary>Duration of the last full rebuild of the index from the store.</summary>
    public TimeSpan LastRebuild { get; private set; }

    /// <summary>Stored templates the last rebuild could not index (another method or version: never compared).</summary>
    public int SkippedTemplates { get; private set; }

    public void WarmUp() => Started.GetAwaiter().GetResult();

    /// <summary>Schema and index ready (started on first use; warm-up starts it before readiness).</summary>
    public Task Started
    {
        get
        {
            lock (_gate) return _started ??= Task.Run(() => StartAsync(CancellationToken.None));
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]
    private static partial Regex GalleryIdPattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.@:+-]{0,127}$")]
    private static partial Regex PersonIdPattern();

    public static bool IsValidGalleryId(string id) => GalleryIdPattern().IsMatch(id);

    public static bool IsValidPersonId(string id) => PersonIdPattern().IsMatch(id);

    private async Task StartAsync(CancellationToken ct)
    {
        await store.InitializeAsync(ct);
        await RebuildAsync(ct);
    }

    /// <summary>Builds the index anew from the store (start-up, and after a replica lost its change feed).</summary>
    public async Task RebuildAsync(CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var fresh = new Dictionary<string, GalleryMatrix>(StringComparer.Ordinal);
        foreach (var g in await store.ListGalleriesAsync(ct)) fresh[g.Id] = new GalleryMatrix(g, _indexSettings);
        var skipped = 0;
        await foreach (var t in store.ReadTemplatesAsync(null, ct))
        {
            if (!fresh.TryGetValue(t.Gallery, out var matrix)) continue;
            if (FaceTemplate.TryParse(t.Blob, out var template, out _) && matrix.Add(t.Id, template!.Method, t.PersonId, template.Vector)) continue;
            skipped++;
        }

        await _writes.WaitAsync(ct);
        try
        {
            _index.Clear();
            foreach (var (id, matrix) in fresh) _index[id] = matrix;
        }
        finally
        {
            _writes.Release();
        }

        LastRebuild = Stopwatch.GetElapsedTime(started);
        SkippedTemplates = skipped;
        LogRebuilt(fresh.Count, fresh.Values.Sum(m => m.Count), skipped, LastRebuild.TotalMilliseconds);
    }

    public async Task<GalleryInfo> CreateGalleryAsync(string id, double? targetFar, double? minScore, CancellationToken ct)
    {
        await Started.WaitAsync(ct);
        if (!IsValidGalleryId(id))
        {
            throw ApiException.Invalid("gallery id must be 1-64 characters: letters, digits, '_', '.', '-' (not first)", "value_error", "id");
        }

        if (targetFar is not null && minScore is not null)
        {
            throw ApiException.Invalid("give a default threshold as either far or score, not both", "value_error", "far");
        }

        CheckThreshold(targetFar, minScore, "body");
        var info = new GalleryInfo(id, minScore is null ? targetFar ?? _options.DefaultTargetFar : null, minScore, DateTimeOffset.UtcNow);
        await _writes.WaitAsync(ct);
        try
        {
            if (!await store.CreateGalleryAsync(info, ct)) throw new ApiException(409, $"Gallery '{id}' already exists");
            _index[id] = new GalleryMatrix(info, _indexSettings);
        }
        finally
        {
            _writes.Release();
        }

        return info;
    }

    /// <summary>Galleries with their person and template counts (from the index).</summary>
    public async Task<IReadOnlyList<(GalleryInfo Info, int Persons, int Templates)>> ListGalleriesAsync(CancellationToken ct)
    {
        await Started.WaitAsync(ct);
        return [.. _index.Values.OrderBy(m => m.Info.Id, StringComparer.Ordinal).Select(m => (m.Info, m.Persons, m.Count))];
    }

    public async Task<(GalleryInfo Info, int Persons, int Templates)> GetGalleryAsync(string id, CancellationToken ct)
    {
        await Started.WaitAsync(ct);
        var m = Matrix(id);
        return (m.Info, m.Persons, m.Count);
    }

    public async Task DeleteGalleryAsync(string id, CancellationToken ct)
    {
        await Started.WaitAsync(ct);
        await _writes.WaitAsync(ct);
        try
        {
            if (!await store.DeleteGalleryAsync(id, ct)) throw GalleryNotFound(id);
            _index.TryRemove(id, out _);
        }
        finally
        {
            _writes.Release();
        }
    }

    public async Task AddPersonAsync(string gallery, string personId, string? metadata, CancellationToken ct)
    {
        await Started.WaitAsync(ct);
        if (!IsValidPersonId(personId))
        {
            throw ApiException.Invalid("person id must be 1-128 characters: letters, digits, '_', '.', '@', ':', '+', '-' (not first)", "value_error", "id");
        }

        if (metadata is not null && System.Text.Encoding.UTF8.GetByteCount(metadata) > _options.MaxMetadataBytes)
        {
            throw ApiException.Invalid($"metadata is limited to {_options.MaxMetadataBytes} bytes of JSON", "value_error", "metadata");
        }

        await _writes.WaitAsync(ct);
        try
        {
            switch (await store.AddPersonAsync(gallery, personId, metadata, ct))
            {
                case AddPersonOutcome.NoGallery: throw GalleryNotFound(gallery);
                case AddPersonOutcome.Duplicate: throw new ApiException(409, $"Person '{personId}' already exists in gallery '{gallery}'");
            }
        }
        finally
        {
            _writes.Release();
        }
    }

    public async Task<PersonInfo> GetPersonAsync(string gallery, string personId, CancellationToken ct)
    {
        await Started.WaitAsync(ct);
        _ = Matrix(gallery);
        return await store.GetPersonAsync(gallery, personId, ct) ?? throw PersonNotFound(gallery, personId);
    }

    public async Task<IReadOnlyList<PersonInfo>> ListPersonsAsync(string gallery, int offset, int limit, CancellationToken ct)
    {
        await Started.WaitAsync(ct);
        _ = Matrix(gallery);
        return await store.ListPersonsAsync(gallery, offset, limit, ct);
    }

    /// <summary>Deletes the person and every template of it, in the store and in the index.</summary>
    public async Task DeletePersonAsync(string gallery, string personId, CancellationToken ct)
    {
        await Started.WaitAsync(ct);
        var matrix = Matrix(gallery);
        await _writes.WaitAsync(ct);
        try
        {
            if (!await store.DeletePersonAsync(gallery, personId, ct)) throw PersonNotFound(gallery, personId);
            matrix.RemovePerson(personId);
        }
        finally
        {
            _writes.Release();
        }
    }

    /// <summary>Enrols templates for an existing person; returns their ids. Stored as canonical float32 blobs of the
    /// vectors (the templates' own element type is only how they travelled).</summary>
    public async Task<IReadOnlyList<long>> EnrolAsync(string gallery, string personId, IReadOnlyList<FaceTemplate> templates, CancellationToken ct)
    {
        await Started.WaitAsync(ct);
        var matrix = Matrix(gallery);
        await _writes.WaitAsync(ct);
        try
        {
            var person = await store.GetPersonAsync(gallery, personId, ct) ?? throw PersonNotFound(gallery, personId);
            if (person.Templates + templates.Count > _options.MaxTemplatesPerPerson)
            {
                throw ApiException.Invalid($"a person holds at most {_options.MaxTemplatesPerPerson} templates ('{personId}' has {person.Templates})",
                    "value_error", "objects");
            }

            // One method per gallery: the first template sets it, and a template of another method is refused before
            // anything is stored (a search could never rank rows of two models against one probe).
            var method = matrix.Method ?? templates.FirstOrDefault()?.Method;
            for (var i = 0; i < templates.Count; i++)
            {
                if (templates[i].Method != method)
                {
                    throw ApiException.Invalid($"gallery '{gallery}' holds templates of {method}, the template of object {i} is of {templates[i].Method}: " +
                                               FaceTemplate.MismatchMessage(method!, templates[i].Method), "value_error", "objects");
                }
            }

            var blobs = templates.Select(t => FaceTemplate.Serialize(t.Vector, TemplateElementType.Float32, t.Method)).ToList();
            var ids = await store.AddTemplatesAsync(gallery, personId, blobs, ct) ?? throw PersonNotFound(gallery, personId);
            for (var i = 0; i < ids.Count; i++) matrix.Add(ids[i], templates[i].Method, personId, templates[i].Vector);
            return ids;
        }
        finally
        {
            _writes.Release();
        }
    }

    /// <summary>404 unless the gallery exists.</summary>
    public async Task RequireGalleryAsync(string gallery, CancellationToken ct)
    {
        await Started.WaitAsync(ct);
        _ = Matrix(gallery);
    }

    /// <summary>The top-<paramref name="k"/> persons for the probe that pass the threshold, best first. Each match's
    /// fields come from <see cref="Verification.Of"/> on the probe and the person's best template: the same numbers
    /// verify-matcher gives for that pair.</summary>
    public async Task<IReadOnlyList<PersonMatch>> SearchAsync(string gallery, FaceTemplate probe, int k, MatchThreshold? threshold, CancellationToken ct)
    {
        await Started.WaitAsync(ct);
        var matrix = Matrix(gallery);
        threshold ??= new MatchThreshold(matrix.Info.TargetFar, matrix.Info.MinScore);
        if (matrix.Method is { } method && method != probe.Method)
        {
            throw ApiException.Invalid($"gallery '{gallery}' holds templates of {method}, the probe is of {probe.Method}: " +
                                       FaceTemplate.MismatchMessage(method, probe.Method), "value_error", "objects");
        }

        var table = roc.For(probe.Method);
        var hits = matrix.Search(probe.Vector, k, out var candidates);
        var best = candidates ? await RescoreAsync(hits, probe, k, ct) : hits.Select(h => (h.PersonId, Stored(h.Vector!, probe.Method))).ToList();
        var matches = new List<PersonMatch>();
        foreach (var (personId, stored) in best)
        {
            var v = Verification.Of(probe, stored, table);
            if (threshold.Accepts(v)) matches.Add(new PersonMatch(personId, v));
        }

        return matches;
    }

    // A FaceTemplate of an indexed vector, so verification is computed by the one implementation there is.
    private static FaceTemplate Stored(float[] vector, TemplateMethod method)
    {
        FaceTemplate.TryParse(FaceTemplate.Serialize(vector, TemplateElementType.Float32, method), out var stored, out _);
        return stored!;
    }

    /// <summary>The approximate index's candidates scored exactly: their float templates read from the store (by id,
    /// one query), the cosine by <see cref="UnitVector.Dot"/> as the exact index computes it, each person's best
    /// template, the k best persons. So a match's fields are bit for bit the exact search's whenever the candidates
    /// hold the person's best template. A candidate gone from the store meanwhile (deleted here or by another replica)
    /// is dropped, as the index will drop it.</summary>
    private async Task<List<(string PersonId, FaceTemplate Stored)>> RescoreAsync(List<IndexHit> hits, FaceTemplate probe, int k, CancellationToken ct)
    {
        var personOf = new Dictionary<long, string>(hits.Count);
        foreach (var h in hits) personOf[h.TemplateId] = h.PersonId;
        var best = new Dictionary<string, (float Cosine, FaceTemplate Stored)>(StringComparer.Ordinal);
        await foreach (var t in store.ReadTemplatesAsync(personOf.Keys, ct))
        {
            if (!personOf.TryGetValue(t.Id, out var personId) || !FaceTemplate.TryParse(t.Blob, out var stored, out _) || stored!.Method != probe.Method) continue;
            var cosine = UnitVector.Dot(probe.Vector, stored.Vector);
            if (!best.TryGetValue(personId, out var b) || cosine > b.Cosine) best[personId] = (cosine, stored);
        }

        return [.. best.OrderByDescending(e => e.Value.Cosine).ThenBy(e => e.Key, StringComparer.Ordinal).Take(k).Select(e => (e.Key, e.Value.Stored))];
    }

    /// <summary>Checks a threshold given as a target FAR (0, 1] or a score [0, 1].</summary>
    public static void CheckThreshold(double? targetFar, double? minScore, string where)
    {
        if (targetFar is { } far && !(far > 0 && far <= 1))
        {
            throw ApiException.Invalid("far must be a target false-accept rate in (0, 1]", "value_error", where, "far");
        }

        if (minScore is { } score && !(score >= 0 && score <= 1))
        {
            throw ApiException.Invalid("score must be in [0, 1]", "value_error", where, "score");
        }
    }

    /// <summary>Applies a change another replica made (LISTEN/NOTIFY); idempotent.</summary>
    public async Task ApplyAsync(StoreChange change, CancellationToken ct)
    {
        await Started.WaitAsync(ct);
        switch (change.Kind)
        {
            case StoreChangeKind.Resync:
                await RebuildAsync(ct);
                return;
            case StoreChangeKind.GalleryCreated:
                foreach (var g in await store.ListGalleriesAsync(ct))
                {
                    if (g.Id == change.Gallery) _index.TryAdd(g.Id, new GalleryMatrix(g, _indexSettings));
                }

                return;
            case StoreChangeKind.GalleryDeleted:
                _index.TryRemove(change.Gallery, out _);
                return;
            case StoreChangeKind.PersonDeleted:
                if (change.PersonId is not null && _index.TryGetValue(change.Gallery, out var m)) m.RemovePerson(change.PersonId);
                return;
            case StoreChangeKind.TemplatesAdded:
                await foreach (var t in store.ReadTemplatesAsync(change.TemplateIds, ct))
                {
                    if (_index.TryGetValue(t.Gallery, out var matrix) && FaceTemplate.TryParse(t.Blob, out var template, out _))
                    {
                        matrix.Add(t.Id, template!.Method, t.PersonId, template.Vector);
                    }
                }

                return;
        }
    }

    /// <summary>Total templates indexed and bytes of the matrices (for /info).</summary>
    public (int Galleries, long Templates, long MatrixBytes) IndexSize() =>
        (_index.Count, _index.Values.Sum(m => (long)m.Count), _index.Values.Sum(m => m.MatrixBytes));

    /// <summary>Galleries whose index is approximate (larger than <see cref="IdentificationOptions.ApproximateAbove"/>).</summary>
    public int ApproximateGalleries() => _index.Values.Count(m => m.IsApproximate);

    /// <summary>Whether the gallery's index is approximate (for the bench and /info).</summary>
    public bool IsApproximate(string gallery) => Matrix(gallery).IsApproximate;

    private GalleryMatrix Matrix(string gallery) => _index.TryGetValue(gallery, out var m) ? m : throw GalleryNotFound(gallery);

    private static ApiException GalleryNotFound(string id) => new(404, $"Gallery '{id}' not found");

    private static ApiException PersonNotFound(string gallery, string person) => new(404, $"Person '{person}' not found in gallery '{gallery}'");

    [LoggerMessage(Level = LogLevel.Information, Message = "Identification index rebuilt: {Galleries} galleries, {Templates} templates ({Skipped} of another method skipped) in {ElapsedMs:F0} ms")]
    private partial void LogRebuilt(int galleries, int templates, int skipped, double elapsedMs);
}
