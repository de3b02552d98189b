using System.Buffers;
using ImageApi.Templates;

namespace ImageApi.Identification;

/// <summary>
/// One gallery's exact search index: every template's unit vector as a row of one contiguous float matrix
/// (the template method's dimension of floats per row), the row's template id and person. A gallery holds templates of
/// one method (<see cref="Method"/>, set by its first template; null while empty): rows of two methods could not be
/// ranked against one probe. A search is a SIMD dot
/// product of the probe with every row (<see cref="UnitVector.Dot"/>), the best row per person, then the k best
/// persons. Exact: the cosine it ranks by is the one verify-matcher computes. Deleting swaps the last row into the
/// hole, so the matrix stays dense. Thread-safe: searches share a read lock, changes take the write lock.
/// </summary>
internal sealed class GalleryMatrix(GalleryInfo info)
{
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

    /// <summary>Bytes held by the matrix and its row arrays (what grows with the gallery).</summary>
    public long MatrixBytes => (long)_rows.Length * sizeof(float) + (long)_ids.Length * sizeof(long) + (long)_personOf.Length * sizeof(int);

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
                _rows = new float[_ids.Length * _dim];
            }
            else if (_method != method)
            {
                return false;
            }

            if (!_present.Add(id)) return true;
            if (_count == _ids.Length) Grow(_count * 2);
            var dim = _dim;
            unitVector.CopyTo(_rows.AsSpan(_count * dim, dim));
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
                    _rows.AsSpan(last * dim, dim).CopyTo(_rows.AsSpan(r * dim, dim));
                    _ids[r] = _ids[last];
                    _personOf[r] = _personOf[last];
                }

                // Zero the vacated row: a forgotten person's vector does not linger in memory either.
                _rows.AsSpan(last * dim, dim).Clear();
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
    /// first, with that template's vector (for the caller's verification).</summary>
    public List<(string PersonId, float Cosine, float[] Vector)> Search(ReadOnlySpan<float> probe, int k)
    {
        var result = new List<(string, float, float[])>();
        if (k <= 0) return result;
        _lock.EnterReadLock();
        try
        {
            if (_count == 0) return result;
            var dim = _dim;
            if (probe.Length != dim) throw new ArgumentException($"the probe has {probe.Length} elements, the gallery's rows {dim}", nameof(probe));
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
                    result.Add((_personIds[p]!, best[p], rows.AsSpan(bestRow[p] * dim, dim).ToArray()));
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
        Array.Resize(ref _rows, rows * _dim);
        Array.Resize(ref _ids, rows);
        Array.Resize(ref _personOf, rows);
    }
}
