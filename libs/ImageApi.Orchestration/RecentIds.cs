namespace ImageApi.Orchestration;

/// <summary>A bounded set that forgets the least recently added id first.</summary>
internal sealed class RecentIds(int capacity)
{
    private readonly Dictionary<string, LinkedListNode<string>> _index = new(StringComparer.Ordinal);
    private readonly LinkedList<string> _order = new();
    private readonly Lock _gate = new();

    public bool Contains(string id)
    {
        lock (_gate) return _index.ContainsKey(id);
    }

    public void Add(string id)
    {
        lock (_gate)
        {
            if (_index.ContainsKey(id) || capacity <= 0) return;
            _index[id] = _order.AddLast(id);
            while (_index.Count > capacity)
            {
                _index.Remove(_order.First!.Value);
                _order.RemoveFirst();
            }
        }
    }
}
