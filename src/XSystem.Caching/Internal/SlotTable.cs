namespace XSystem.Caching.Internal;

/// <summary>
/// Gives every live node a small integer slot and a version. Buffered reads store <c>(version, slot)</c> in a
/// <see cref="long"/> instead of a node reference: no GC write barrier on the hot path, and a read that outlived its
/// node (the slot was freed or reused) is recognised by its stale version and ignored. Touched only under the cache lock.
/// Slot 0 is never handed out, so policies can use it as a list sentinel.
/// </summary>
internal sealed class SlotTable<TKey, TValue>
{
    private int[] _free = new int[16];
    private int _freeCount;

    public CacheNode<TKey, TValue>?[] Nodes { get; private set; } = new CacheNode<TKey, TValue>?[16];

    public int[] Versions { get; private set; } = new int[16];

    /// <summary>One past the highest slot handed out so far.</summary>
    public int HighWater { get; private set; } = 1;

    public static long Encode(CacheNode<TKey, TValue> node) => ((long)node.Version << 32) | (uint)node.Slot;

    /// <summary>The live node a buffered read refers to, or null when that node is gone.</summary>
    public CacheNode<TKey, TValue>? Resolve(long entry)
    {
        int slot = (int)entry;
        return Versions[slot] == (int)(entry >> 32) ? Nodes[slot] : null;
    }

    public void Allocate(CacheNode<TKey, TValue> node)
    {
        int slot;
        if (_freeCount > 0)
        {
            slot = _free[--_freeCount];
        }
        else
        {
            slot = HighWater++;
            if (slot >= Nodes.Length)
            {
                int size = Nodes.Length * 2;
                var nodes = Nodes;
                var versions = Versions;
                Array.Resize(ref nodes, size);
                Array.Resize(ref versions, size);
                Nodes = nodes;
                Versions = versions;
            }
        }

        Assign(slot, node);
    }

    /// <summary>Gives <paramref name="replacement"/> the slot of <paramref name="old"/> under a new version.</summary>
    public void Reassign(CacheNode<TKey, TValue> old, CacheNode<TKey, TValue> replacement) => Assign(old.Slot, replacement);

    public void Free(CacheNode<TKey, TValue> node)
    {
        int slot = node.Slot;
        Bump(slot);
        Nodes[slot] = null;
        if (_freeCount == _free.Length)
        {
            Array.Resize(ref _free, _free.Length * 2);
        }

        _free[_freeCount++] = slot;
    }

    public void Reset()
    {
        for (int slot = 1; slot < HighWater; slot++)
        {
            if (Nodes[slot] is not null)
            {
                Bump(slot);
                Nodes[slot] = null;
            }
        }

        _freeCount = 0;
        for (int slot = HighWater - 1; slot >= 1; slot--)
        {
            if (_freeCount == _free.Length)
            {
                Array.Resize(ref _free, _free.Length * 2);
            }

            _free[_freeCount++] = slot;
        }
    }

    private void Assign(int slot, CacheNode<TKey, TValue> node)
    {
        Bump(slot);
        Nodes[slot] = node;
        node.Slot = slot;
        node.Version = Versions[slot];
    }

    private void Bump(int slot) => Versions[slot] = Versions[slot] == int.MaxValue ? 1 : Versions[slot] + 1;
}
