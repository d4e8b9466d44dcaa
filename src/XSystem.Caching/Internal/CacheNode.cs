using System.Runtime.InteropServices;

namespace XSystem.Caching.Internal;

/// <summary>One cache entry. The value never changes; <c>Set</c> on an existing key installs a new node.</summary>
internal sealed class CacheNode<TKey, TValue>(TKey key, TValue value)
{
    public readonly TKey Key = key;
    public readonly TValue Value = value;

    /// <summary>Timestamp (of the cache's TimeProvider) at which the entry expires; <see cref="long.MaxValue"/> for never.</summary>
    public long ExpiresAt = long.MaxValue;

    /// <summary>Time to live in timestamp units (for sliding expiry and per-entry TTL).</summary>
    public long TimeToLive;

    /// <summary>The node's slot in the <see cref="SlotTable{TKey, TValue}"/>; set under the lock before the node is published.</summary>
    public int Slot;

    /// <summary>The slot's version when this node took it; a buffered read with another version is stale.</summary>
    public int Version;

    // Policy state, touched only under the cache lock.
    public CacheNode<TKey, TValue>? Previous;
    public CacheNode<TKey, TValue>? Next;
    public LfuBucket<TKey, TValue>? Bucket;
    public int Frequency;
    public long Stamp;

    /// <summary>Set under the lock when the node leaves the map; reads still buffered for it are ignored.</summary>
    public volatile bool Removed;

    /// <summary>Why the node left (set under the lock together with <see cref="Removed"/>).</summary>
    public EvictionReason Reason;
}

/// <summary>A frequency bucket of the LFU policy: a circular list of nodes with the same use count, most recent first.</summary>
internal sealed class LfuBucket<TKey, TValue>
{
    public readonly CacheNode<TKey, TValue> Sentinel = new(default!, default!);
    public int Frequency;
    public LfuBucket<TKey, TValue>? Previous;
    public LfuBucket<TKey, TValue>? Next;

    public LfuBucket()
    {
        Sentinel.Next = Sentinel;
        Sentinel.Previous = Sentinel;
    }

    public bool IsEmpty => ReferenceEquals(Sentinel.Next, Sentinel);
}

/// <summary>A 64-bit counter alone on its cache line pair, so neighbours do not false-share it.</summary>
[StructLayout(LayoutKind.Explicit, Size = 128)]
internal struct PaddedLong
{
    [FieldOffset(64)]
    public long Value;
}
