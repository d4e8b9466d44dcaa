namespace XSystem.Caching.Internal;

/// <summary>The ordering half of a cache. Every member runs under the cache lock, after pending reads were replayed.</summary>
internal abstract class EvictionPolicy<TKey, TValue>
{
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

/// <summary>Exact least-recently-used order: one circular doubly linked list, most recent next to the sentinel.</summary>
internal sealed class LruPolicy<TKey, TValue> : EvictionPolicy<TKey, TValue>
{
    private readonly CacheNode<TKey, TValue> _head = new(default!, default!);

    public LruPolicy()
    {
        _head.Next = _head;
        _head.Previous = _head;
    }

    public override void OnAdd(CacheNode<TKey, TValue> node) => LinkFirst(node);

    public override void OnAccess(CacheNode<TKey, TValue> node)
    {
        if (!ReferenceEquals(_head.Next, node))
        {
            Unlink(node);
            LinkFirst(node);
        }
    }

    public override void OnRemove(CacheNode<TKey, TValue> node) => Unlink(node);

    public override void OnReplace(CacheNode<TKey, TValue> old, CacheNode<TKey, TValue> replacement)
    {
        Unlink(old);
        LinkFirst(replacement);
    }

    public override CacheNode<TKey, TValue> Victim() => _head.Previous!;

    public override void CopyOrder(List<CacheNode<TKey, TValue>> target)
    {
        for (var node = _head.Next!; !ReferenceEquals(node, _head); node = node.Next!)
        {
            target.Add(node);
        }
    }

    public override void Clear()
    {
        _head.Next = _head;
        _head.Previous = _head;
    }

    private void LinkFirst(CacheNode<TKey, TValue> node)
    {
        var first = _head.Next!;
        node.Previous = _head;
        node.Next = first;
        first.Previous = node;
        _head.Next = node;
    }

    private static void Unlink(CacheNode<TKey, TValue> node)
    {
        node.Previous!.Next = node.Next;
        node.Next!.Previous = node.Previous;
        node.Previous = null;
        node.Next = null;
    }
}
