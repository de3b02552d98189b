using System.Buffers;
using ImageApi.Templates;

namespace ImageApi.Identification;

/// <summary>How a gallery's index searches: exact up to <see cref="ApproximateAbove"/> templates, then int8 codes
/// (<see cref="QuantizedRows"/>) whose best <see cref="CandidateFactor"/> × k rows are re-scored exactly by the caller;
/// <see cref="SearchThreads"/> cores scan one query's codes (0: every core).</summary>
internal sealed record IndexSettings(int ApproximateAbove = int.MaxValue, int CandidateFactor = 8, int SearchThreads = 0)
{
    public static IndexSettings Exact { get; } = new();
}

/// <summary>One row a search found: the template, its person and its cosine with the probe — exact, with the row's
/// vector, from the exact index; an approximation, without a vector, from the quantised one (a candidate the caller
/// re-scores from the store).</summary>
internal readonly record struct IndexHit(string PersonId, long TemplateId, float Cosine, float[]? Vector);

/// <summary>
/// One gallery's search index. Up to <see cref="IndexSettings.ApproximateAbove"/> templates it is exact: every
/// template's unit vector as a row of one contiguous float matrix
/// (the template method's dimension of floats per row), the row's template id and person. A gallery holds templates of
/// one method (<see cref="Method"/>, set by its first template; null while empty): rows of two methods could not be
/// ranked against one probe. A search is a SIMD dot
/// product of the probe with every row (<see cref="UnitVector.Dot"/>), the best row per person, then the k best
/// persons. Exact: the cosine it ranks by is the one verify-matcher computes. Deleting swaps the last row into the
/// hole, so the matrix stays dense. Thread-safe: searches share a read lock, changes take the write lock.
///
/// Above that size the float matrix is replaced by int8 codes (<see cref="QuantizedRows"/>: a quarter of the memory
/// and of the bytes a search reads), scanned on every core, and a search returns the best
/// <see cref="IndexSettings.CandidateFactor"/> × k rows as candidates for exact re-scoring from the store
/// (<see cref="Galleries.SearchAsync"/>): an exhaustive approximate search, chosen over HNSW because every row is still
/// compared (no graph to miss a neighbour in, no graph to build: docs/identification.md). The switch is one way until
/// the gallery empties or the index is rebuilt: going back would need the float vectors, which only the store keeps.
/// </summary>
internal sealed class GalleryMatrix(GalleryInfo info, IndexSettings? settings = null)
{
    // A query's scan is split over cores only where each gets enough rows to pay for the hand-off.
    private const int MinRowsPerThread = 65_536;

    private readonly IndexSettings _settings = settings ?? IndexSettings.Exact;
    private QuantizedRows? _codes;
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private int _dim;
    private float[] _rows = [];
    private long[] _ids = new long[16];
    private int[] _personOf = new int[16];
    private int _count;

    // Person ordinals: small ints the search aggregates by; freed ordinals are reused.
    private readonly Dictionary<string, int> _ordinalOf = new(StringComparer.Ordinal);
    private readonly List<string?> _personIds = [];
    private readonly Stack<int> _freeOrdinals = new();
    private readonly HashSet<long> _present = [];

    public GalleryInfo Info { get; set; } = info;

    /// <summary>The method of the gallery's templates; null while it has none (any method may be enrolled then).</summary>
    public TemplateMethod? Method
    {
        get
        {
            _lock.EnterReadLock();
            try { return _count == 0 ? null : _method; }
            finally { _lock.ExitReadLock(); }
        }
    }

    private TemplateMethod? _method;

    public int Count
    {
        get
        {
            _lock.EnterReadLock();
            try { return _count; }
            finally { _lock.ExitReadLock(); }
        }
    }

    public int Persons
    {
        get
        {
            _lock.EnterReadLock();
            try { return _ordinalOf.Count; }
            finally { _lock.ExitReadLock(); }
        }
    }

    /// <summary>True once the gallery outgrew <see cref="IndexSettings.ApproximateAbove"/>: searches return candidates.</summary>
    public bool IsApproximate
    {
        get
        {
            _lock.EnterReadLock();
            try { return _codes is not null; }
            finally { _lock.ExitReadLock(); }
        }
    }

    /// <summary>Bytes held by the matrix (float or int8 codes) and its row arrays (what grows with the gallery).</summary>
    public long MatrixBytes => (long)_rows.Length * sizeof(float) + (_codes?.Bytes ?? 0) + (long)_ids.Length * sizeof(long) + (long)_personOf.Length * sizeof(int);

    /// <summary>Adds a template row; a template id already present is ignored (changes may arrive twice). False (and
    /// nothing added) when the gallery holds templates of another method.</summary>
    public bool Add(long id, TemplateMethod method, string personId, ReadOnlySpan<float> unitVector)
    {
        ArgumentNullException.ThrowIfNull(method);
        if (unitVector.Length != method.Dimension) throw new ArgumentException($"a {method.Name} template vector has {method.Dimension} elements", nameof(unitVector));
        _lock.EnterWriteLock();
        try
        {
            if (_count == 0)
            {
                // An empty gallery takes the method of its first template (rows are re-laid out for its dimension).
                _method = method;
                _dim = method.Dimension;
                _codes = null;
                if (_ids.Length > 16)
                {
                    // Emptied after it was large: start small again (and exact) rather than keep its capacity.
                    _ids = new long[16];
                    _personOf = new int[16];
                }

                _rows = new float[_ids.Length * _dim];
            }
            else if (_method != method)
            {
                return false;
            }

            if (!_present.Add(id)) return true;
            if (_codes is null && _count >= _settings.ApproximateAbove) Quantize();
            if (_count == _ids.Length) Grow(_count * 2);
            var dim = _dim;
            if (_codes is { } codes) codes.Set(_count, unitVector);
            else unitVector.CopyTo(_rows.AsSpan(_count * dim, dim));
            _ids[_count] = id;
            _personOf[_count] = OrdinalFor(personId);
            _count++;
            return true;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Removes every row of the person; the number removed.</summary>
    public int RemovePerson(string personId)
    {
        _lock.EnterWriteLock();
        try
        {
            if (!_ordinalOf.Remove(personId, out var ordinal)) return 0;
            var removed = 0;
            var dim = _dim;
            for (var r = _count - 1; r >= 0; r--)
            {
                if (_personOf[r] != ordinal) continue;
                _present.Remove(_ids[r]);
                var last = _count - 1;
                if (r != last)
                {
                    if (_codes is null) _rows.AsSpan(last * dim, dim).CopyTo(_rows.AsSpan(r * dim, dim));
                    _ids[r] = _ids[last];
                    _personOf[r] = _personOf[last];
                }

                // Zero the vacated row: a forgotten person's vector does not linger in memory either.
                if (_codes is { } codes) codes.MoveAndClear(last, r);
                else _rows.AsSpan(last * dim, dim).Clear();
                _count--;
                removed++;
            }

            _personIds[ordinal] = null;
            _freeOrdinals.Push(ordinal);
            return removed;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>The <paramref name="k"/> persons whose best template has the highest cosine with the probe, best
    /// first, with that template (id, vector) for the caller's verification — while the index is exact. Once it is
    /// approximate, candidates instead (<see cref="Search(ReadOnlySpan{float}, int, out bool)"/>).</summary>
    public List<IndexHit> Search(ReadOnlySpan<float> probe, int k) => Search(probe, k, out _);

    /// <summary>Exact: the k best persons (<paramref name="candidates"/> false). Approximate (true): the rows of highest
    /// approximate cosine — <see cref="IndexSettings.CandidateFactor"/> × k of them, more if fewer than k persons are
    /// among them — best first, without vectors; the caller re-scores them exactly and keeps each person's best.</summary>
    public List<IndexHit> Search(ReadOnlySpan<float> probe, int k, out bool candidates)
    {
        var result = new List<IndexHit>();
        candidates = false;
        if (k <= 0) return result;
        _lock.EnterReadLock();
        try
        {
            if (_count == 0) return result;
            var dim = _dim;
            if (probe.Length != dim) throw new ArgumentException($"the probe has {probe.Length} elements, the gallery's rows {dim}", nameof(probe));
            if (_codes is { } codes)
            {
                candidates = true;
                return Candidates(codes, new QuantizedProbe(probe), k);
            }

            var persons = _personIds.Count;
            var best = ArrayPool<float>.Shared.Rent(persons);
            var bestRow = ArrayPool<int>.Shared.Rent(persons);
            try
            {
                best.AsSpan(0, persons).Fill(float.NegativeInfinity);
                var rows = _rows;
                for (var r = 0; r < _count; r++)
                {
                    var s = UnitVector.Dot(probe, rows.AsSpan(r * dim, dim));
                    var p = _personOf[r];
                    if (s > best[p])
                    {
                        best[p] = s;
                        bestRow[p] = r;
                    }
                }

                // Min-heap of the k best persons so far.
                var heap = new PriorityQueue<int, float>(k + 1);
                for (var p = 0; p < persons; p++)
                {
                    if (float.IsNegativeInfinity(best[p])) continue;
                    if (heap.Count < k) heap.Enqueue(p, best[p]);
                    else if (best[p] > best[heap.Peek()]) heap.EnqueueDequeue(p, best[p]);
                }

                while (heap.Count > 0)
                {
                    var p = heap.Dequeue();
                    var r = bestRow[p];
                    result.Add(new IndexHit(_personIds[p]!, _ids[r], best[p], rows.AsSpan(r * dim, dim).ToArray()));
                }

                result.Reverse();
                return result;
            }
            finally
            {
                ArrayPool<float>.Shared.Return(best);
                ArrayPool<int>.Shared.Return(bestRow);
            }
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    // Under the read lock. Rows, not persons, are collected: a person's best row by the exact cosine is then among the
    // candidates whenever its approximation ranks it in the best C·k rows, so re-scoring the candidates finds every
    // person of the exact top k whose best row got that far (what recall@k measures). Persons with many templates near
    // the top could crowd the candidates into fewer than k persons: then the scan is repeated with four times as many.
    private List<IndexHit> Candidates(QuantizedRows codes, QuantizedProbe probe, int k)
    {
        var wanted = Math.Min(k, _ordinalOf.Count);
        var take = (int)Math.Min((long)k * Math.Max(1, _settings.CandidateFactor), _count);
        while (true)
        {
            var rows = Scan(codes, probe, take);
            var persons = new HashSet<int>();
            foreach (var (row, _) in rows) persons.Add(_personOf[row]);
            if (persons.Count >= wanted || take >= _count)
            {
                return [.. rows.Select(e => new IndexHit(_personIds[_personOf[e.Row]]!, _ids[e.Row], e.Score, null))];
            }

            take = (int)Math.Min(take * 4L, _count);
        }
    }

    // The best `take` rows by approximate cosine, best first; the rows are split over the configured cores.
    private List<(int Row, float Score)> Scan(QuantizedRows codes, QuantizedProbe probe, int take)
    {
        var threads = _settings.SearchThreads > 0 ? _settings.SearchThreads : Environment.ProcessorCount;
        var parts = Math.Clamp(_count / MinRowsPerThread, 1, threads);
        var best = new BestRows[parts];
        var count = _count;
        if (parts == 1)
        {
            best[0] = new BestRows(take);
            codes.Scan(probe, 0, count, best[0]);
        }
        else
        {
            Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, part =>
            {
                var rows = new BestRows(take);
                codes.Scan(probe, (int)((long)count * part / parts), (int)((long)count * (part + 1) / parts), rows);
                best[part] = rows;
            });
        }

        return [.. best.SelectMany(b => b.Rows).OrderByDescending(e => e.Score).ThenBy(e => e.Row).Take(take)];
    }

    /// <summary>Replaces the float matrix by int8 codes (the gallery outgrew the exact index).</summary>
    private void Quantize()
    {
        var codes = new QuantizedRows(_dim);
        codes.Resize(_ids.Length);
        for (var r = 0; r < _count; r++) codes.Set(r, _rows.AsSpan(r * _dim, _dim));
        _codes = codes;
        _rows = [];
    }

    private int OrdinalFor(string personId)
    {
        if (_ordinalOf.TryGetValue(personId, out var ordinal)) return ordinal;

        if (_freeOrdinals.TryPop(out ordinal))
        {
            _personIds[ordinal] = personId;
        }
        else
        {
            ordinal = _personIds.Count;
            _personIds.Add(personId);
        }

        _ordinalOf[personId] = ordinal;
        return ordinal;
    }

    private void Grow(int rows)
    {
        if (_codes is { } codes) codes.Resize(rows);
        else Array.Resize(ref _rows, rows * _dim);
        Array.Resize(ref _ids, rows);
        Array.Resize(ref _personOf, rows);
    }
}
