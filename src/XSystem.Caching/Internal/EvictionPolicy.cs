namespace XSystem.Caching.Internal;

/// <summary>The ordering half of a cache. Every member runs under the cache lock, after pending reads were replayed.</summary>
internal abstract class EvictionPolicy<TKey, TValue>
{
    /// <summary>The cache's slot table (set by the cache before first use).</summary>
    public SlotTable<TKey, TValue> Table { get; set; } = null!;

    /// <summary>A new node entered the cache.</summary>
    public abstract void OnAdd(CacheNode<TKey, TValue> node);

    /// <summary>A node was used (a hit, replayed in order).</summary>
    public abstract void OnAccess(CacheNode<TKey, TValue> node);

    /// <summary>A node left the cache.</summary>
    public abstract void OnRemove(CacheNode<TKey, TValue> node);

    /// <summary><paramref name="replacement"/> takes the place of <paramref name="old"/> (a Set on an existing key, which counts as a use).</summary>
    public abstract void OnReplace(CacheNode<TKey, TValue> old, CacheNode<TKey, TValue> replacement);

    /// <summary>The entry the policy gives up first; the cache is not empty.</summary>
    public abstract CacheNode<TKey, TValue> Victim();

    /// <summary>Appends every node, the one kept longest first (MRU first for LRU).</summary>
    public abstract void CopyOrder(List<CacheNode<TKey, TValue>> target);

    /// <summary>Forgets every node.</summary>
    public abstract void Clear();
}

/// <summary>
/// Exact least-recently-used order: a doubly linked list kept in two int arrays indexed by slot (slot 0 is the
/// sentinel; its next is the most recent). Moving a node writes a few ints and no object references.
/// </summary>
internal sealed class LruPolicy<TKey, TValue> : EvictionPolicy<TKey, TValue>
{
    private int[] _previous = new int[16];
    private int[] _next = new int[16];

    public override void OnAdd(CacheNode<TKey, TValue> node)
    {
        int slot = node.Slot;
        if (slot >= _next.Length)
        {
            int size = Math.Max(_next.Length * 2, slot + 1);
            Array.Resize(ref _previous, size);
            Array.Resize(ref _next, size);
        }

        LinkFirst(slot);
    }

    public override void OnAccess(CacheNode<TKey, TValue> node)
    {
        int slot = node.Slot;
        if (_next[0] != slot)
        {
            Unlink(slot);
            LinkFirst(slot);
        }
    }

    public override void OnRemove(CacheNode<TKey, TValue> node) => Unlink(node.Slot);

    /// <summary>The replacement holds the old node's slot, so the list only needs the move to the front.</summary>
    public override void OnReplace(CacheNode<TKey, TValue> old, CacheNode<TKey, TValue> replacement) => OnAccess(replacement);

    public override CacheNode<TKey, TValue> Victim() => Table.Nodes[_previous[0]]!;

    public override void CopyOrder(List<CacheNode<TKey, TValue>> target)
    {
        var nodes = Table.Nodes;
        for (int slot = _next[0]; slot != 0; slot = _next[slot])
        {
            target.Add(nodes[slot]!);
        }
    }

    public override void Clear()
    {
        _next[0] = 0;
        _previous[0] = 0;
    }

    private void LinkFirst(int slot)
    {
        int first = _next[0];
        _previous[slot] = 0;
        _next[slot] = first;
        _previous[first] = slot;
        _next[0] = slot;
    }

    private void Unlink(int slot)
    {
        int before = _previous[slot];
        int after = _next[slot];
        _next[before] = after;
        _previous[after] = before;
    }
}
