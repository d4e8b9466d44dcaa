namespace XSystem.Caching.Internal;

/// <summary>
/// O(1) least-frequently-used order: a doubly linked list of frequency buckets (ascending), each bucket a list of
/// nodes with that use count, most recent first. The victim is the least recent node of the lowest bucket, so ties
/// go to the least recently used. Every <c>agingInterval</c> uses, every count is halved (never below 1).
/// </summary>
internal sealed class LfuPolicy<TKey, TValue> : EvictionPolicy<TKey, TValue>
{
    private readonly LfuBucket<TKey, TValue> _buckets = new();
    private readonly Stack<LfuBucket<TKey, TValue>> _spare = new();
    private readonly long _agingInterval;
    private long _clock;
    private long _usesSinceAging;

    public LfuPolicy(long agingInterval)
    {
        _agingInterval = agingInterval;
        _buckets.Next = _buckets;
        _buckets.Previous = _buckets;
    }

    /// <summary>How many times the counts were halved (tests).</summary>
    public int Agings { get; private set; }

    public override void OnAdd(CacheNode<TKey, TValue> node)
    {
        var first = _buckets.Next!;
        if (ReferenceEquals(first, _buckets) || first.Frequency != 1)
        {
            first = InsertBucketAfter(_buckets, 1);
        }

        node.Frequency = 1;
        LinkFirst(first, node);
        Used(node);
    }

    public override void OnAccess(CacheNode<TKey, TValue> node)
    {
        Promote(node);
        Used(node);
    }

    public override void OnRemove(CacheNode<TKey, TValue> node)
    {
        var bucket = node.Bucket!;
        Unlink(node);
        if (bucket.IsEmpty)
        {
            RemoveBucket(bucket);
        }
    }

    public override void OnReplace(CacheNode<TKey, TValue> old, CacheNode<TKey, TValue> replacement)
    {
        // The replacement inherits the count and takes the old node's place, then counts the write as a use.
        var bucket = old.Bucket!;
        replacement.Frequency = old.Frequency;
        replacement.Bucket = bucket;
        replacement.Previous = old.Previous;
        replacement.Next = old.Next;
        old.Previous!.Next = replacement;
        old.Next!.Previous = replacement;
        old.Previous = null;
        old.Next = null;
        old.Bucket = null;
        OnAccess(replacement);
    }

    public override CacheNode<TKey, TValue> Victim() => _buckets.Next!.Sentinel.Previous!;

    public override void CopyOrder(List<CacheNode<TKey, TValue>> target)
    {
        for (var bucket = _buckets.Previous!; !ReferenceEquals(bucket, _buckets); bucket = bucket.Previous!)
        {
            for (var node = bucket.Sentinel.Next!; !ReferenceEquals(node, bucket.Sentinel); node = node.Next!)
            {
                target.Add(node);
            }
        }
    }

    public override void Clear()
    {
        while (!ReferenceEquals(_buckets.Next, _buckets))
        {
            var bucket = _buckets.Next!;
            bucket.Sentinel.Next = bucket.Sentinel;
            bucket.Sentinel.Previous = bucket.Sentinel;
            RemoveBucket(bucket);
        }
    }

    private void Promote(CacheNode<TKey, TValue> node)
    {
        var bucket = node.Bucket!;
        int frequency = node.Frequency == int.MaxValue ? int.MaxValue : node.Frequency + 1;
        if (frequency == node.Frequency)
        {
            Unlink(node);
            LinkFirst(bucket, node);
            return;
        }

        var next = bucket.Next!;
        if (ReferenceEquals(next, _buckets) || next.Frequency != frequency)
        {
            next = InsertBucketAfter(bucket, frequency);
        }

        Unlink(node);
        node.Frequency = frequency;
        LinkFirst(next, node);
        if (bucket.IsEmpty)
        {
            RemoveBucket(bucket);
        }
    }

    private void Used(CacheNode<TKey, TValue> node)
    {
        node.Stamp = ++_clock;
        if (_agingInterval > 0 && ++_usesSinceAging >= _agingInterval)
        {
            _usesSinceAging = 0;
            Age();
        }
    }

    /// <summary>Halves every count; buckets that land on the same count merge, still ordered by last use.</summary>
    private void Age()
    {
        Agings++;
        var nodes = new List<CacheNode<TKey, TValue>>();
        for (var bucket = _buckets.Next!; !ReferenceEquals(bucket, _buckets); bucket = bucket.Next!)
        {
            for (var node = bucket.Sentinel.Next!; !ReferenceEquals(node, bucket.Sentinel); node = node.Next!)
            {
                nodes.Add(node);
            }
        }

        Clear();
        foreach (var node in nodes)
        {
            node.Frequency = Math.Max(1, node.Frequency >> 1);
        }

        // Ascending count, then ascending last use; linking each at the front of its bucket leaves the most recent first.
        nodes.Sort(static (a, b) => a.Frequency != b.Frequency ? a.Frequency.CompareTo(b.Frequency) : a.Stamp.CompareTo(b.Stamp));
        var last = _buckets;
        foreach (var node in nodes)
        {
            if (!ReferenceEquals(last, _buckets) && last.Frequency == node.Frequency)
            {
                LinkFirst(last, node);
                continue;
            }

            last = InsertBucketAfter(last, node.Frequency);
            LinkFirst(last, node);
        }
    }

    private LfuBucket<TKey, TValue> InsertBucketAfter(LfuBucket<TKey, TValue> previous, int frequency)
    {
        var bucket = _spare.Count > 0 ? _spare.Pop() : new LfuBucket<TKey, TValue>();
        bucket.Frequency = frequency;
        bucket.Previous = previous;
        bucket.Next = previous.Next;
        previous.Next!.Previous = bucket;
        previous.Next = bucket;
        return bucket;
    }

    private void RemoveBucket(LfuBucket<TKey, TValue> bucket)
    {
        bucket.Previous!.Next = bucket.Next;
        bucket.Next!.Previous = bucket.Previous;
        bucket.Previous = null;
        bucket.Next = null;
        if (_spare.Count < 64)
        {
            _spare.Push(bucket);
        }
    }

    private static void LinkFirst(LfuBucket<TKey, TValue> bucket, CacheNode<TKey, TValue> node)
    {
        var sentinel = bucket.Sentinel;
        var first = sentinel.Next!;
        node.Previous = sentinel;
        node.Next = first;
        first.Previous = node;
        sentinel.Next = node;
        node.Bucket = bucket;
    }

    private static void Unlink(CacheNode<TKey, TValue> node)
    {
        node.Previous!.Next = node.Next;
        node.Next!.Previous = node.Previous;
        node.Previous = null;
        node.Next = null;
    }
}
