using System.Collections;

namespace ImageApi.Observability.Tests;

/// <summary>A thread-safe <see cref="ICollection{T}"/> for the in-memory exporters (exports run on request threads).</summary>
public sealed class LockedCollection<T> : ICollection<T>
{
    private readonly List<T> _items = [];
    private readonly Lock _gate = new();

    public int Count { get { lock (_gate) return _items.Count; } }
    public bool IsReadOnly => false;

    public void Add(T item) { lock (_gate) _items.Add(item); }
    public void Clear() { lock (_gate) _items.Clear(); }
    public bool Contains(T item) { lock (_gate) return _items.Contains(item); }
    public void CopyTo(T[] array, int arrayIndex) { lock (_gate) _items.CopyTo(array, arrayIndex); }
    public bool Remove(T item) { lock (_gate) return _items.Remove(item); }

    /// <summary>A copy of the items now.</summary>
    public List<T> Snapshot() { lock (_gate) return [.. _items]; }

    public IEnumerator<T> GetEnumerator() => Snapshot().GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
