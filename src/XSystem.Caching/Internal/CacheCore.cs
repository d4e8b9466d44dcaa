using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace XSystem.Caching.Internal;

/// <summary>
/// The machinery shared by every policy. Reads are lock-free: a dictionary lookup, then the node is appended to a
/// striped read buffer. Everything that changes structure (add, replace, remove, evict, expire, snapshot) runs under
/// one lock and first replays the buffered reads in order, so the policy sees exactly the order in which each thread
/// used its entries. A reader that finds its buffer full takes the lock and replays; no read is ever dropped.
/// </summary>
internal sealed class CacheCore<TKey, TValue> : IExpiringCache
    where TKey : notnull
{
    private const int BufferSize = 128;
    private const int BufferMask = BufferSize - 1;

    private readonly ConcurrentDictionary<TKey, CacheNode<TKey, TValue>> _map;
    private readonly ConcurrentDictionary<TKey, TaskCompletionSource<TValue>> _inFlight;
    private readonly Lock _lock = new();
    private readonly EvictionPolicy<TKey, TValue> _policy;
    private readonly SlotTable<TKey, TValue> _table = new();
    private readonly ReadRing?[] _rings;
    private readonly ReadRing _shared = new(owner: 0);
    private readonly int _ringMask;
    private readonly PaddedLong[] _misses;
    private readonly int _missMask;
    private readonly TimeProvider _time;
    private readonly bool _tickClock;
    private readonly bool _expires;
    private readonly bool _sliding;
    private readonly long _defaultTimeToLive;
    private readonly bool _disposeEvicted;
    private readonly PriorityQueue<CacheNode<TKey, TValue>, long>? _expiryQueue;
    private readonly List<CacheNode<TKey, TValue>> _scratch = [];
    private int _count;
    private long _evictions;
    private long _expirations;

    public CacheCore(
        object owner,
        int capacity,
        EvictionPolicy<TKey, TValue> policy,
        CacheOptions options,
        IEqualityComparer<TKey>? comparer,
        TimeSpan? timeToLive,
        bool sliding,
        bool backgroundSweep)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentNullException.ThrowIfNull(options.TimeProvider, "options.TimeProvider");
        Owner = owner;
        Capacity = capacity;
        _policy = policy;
        policy.Table = _table;
        _time = options.TimeProvider;

        // The system clock's high-resolution timestamp can cost tens of nanoseconds (a system call on some VMs);
        // a millisecond tick count is plenty for expiry and is what the hot path reads instead.
        _tickClock = ReferenceEquals(_time, TimeProvider.System);
        _disposeEvicted = options.DisposeEvicted;
        int concurrency = Math.Min(64, (int)BitOperations.RoundUpToPowerOf2((uint)Environment.ProcessorCount * 2));
        _map = new ConcurrentDictionary<TKey, CacheNode<TKey, TValue>>(concurrency, Math.Min(capacity, 1024), comparer);
        _inFlight = new ConcurrentDictionary<TKey, TaskCompletionSource<TValue>>(comparer);
        int rings = Math.Min(256, (int)BitOperations.RoundUpToPowerOf2((uint)Environment.ProcessorCount * 8));
        _rings = new ReadRing?[rings];
        _ringMask = rings - 1;
        _misses = new PaddedLong[concurrency];
        _missMask = concurrency - 1;
        if (timeToLive is { } ttl)
        {
            _expires = true;
            _sliding = sliding;
            _defaultTimeToLive = ToTimestampUnits(ttl);
            _expiryQueue = new PriorityQueue<CacheNode<TKey, TValue>, long>();
            if (backgroundSweep)
            {
                ExpiryScheduler.Register(_time, this);
            }
        }
    }

    public event EventHandler<CacheEvictedEventArgs<TKey, TValue>>? Evicted;

    public object Owner { get; }

    public int Capacity { get; }

    public int Count => Volatile.Read(ref _count);

    public CacheStats Stats
    {
        get
        {
            // Every hit appends exactly one entry to one ring, so the ring tails add up to the hits.
            long hits = Volatile.Read(ref _shared.Tail.Value);
            foreach (var ring in _rings)
            {
                if (ring is not null)
                {
                    hits += Volatile.Read(ref ring.Tail.Value);
                }
            }

            long misses = 0;
            for (int i = 0; i < _misses.Length; i++)
            {
                misses += Volatile.Read(ref _misses[i].Value);
            }

            return new CacheStats(hits, misses, Interlocked.Read(ref _evictions), Interlocked.Read(ref _expirations));
        }
    }

    public IReadOnlyList<TKey> Keys
    {
        get
        {
            lock (_lock)
            {
                DrainReads();
                _scratch.Clear();
                _policy.CopyOrder(_scratch);
                long now = _expires ? Now() : 0;
                var keys = new List<TKey>(_scratch.Count);
                foreach (var node in _scratch)
                {
                    if (!_expires || now < node.ExpiresAt)
                    {
                        keys.Add(node.Key);
                    }
                }

                _scratch.Clear();
                return keys.AsReadOnly();
            }
        }
    }

    public long ToTimestampUnits(TimeSpan timeToLive)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeToLive, TimeSpan.Zero, nameof(timeToLive));
        double units = timeToLive.Ticks * ((double)Frequency / TimeSpan.TicksPerSecond);
        return units >= long.MaxValue / 4 ? long.MaxValue / 4 : Math.Max(1L, (long)units);
    }

    private long Frequency => _tickClock ? 1000 : _time.TimestampFrequency;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long Now() => _tickClock ? Environment.TickCount64 : _time.GetTimestamp();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGet(TKey key, [MaybeNullWhen(false)] out TValue value) => TryGet(key, countMiss: true, out value);

    private bool TryGet(TKey key, bool countMiss, [MaybeNullWhen(false)] out TValue value)
    {
        if (_map.TryGetValue(key, out var node))
        {
            if (!_expires)
            {
                RecordRead(node);
                value = node.Value;
                return true;
            }

            long now = Now();
            if (now < node.ExpiresAt)
            {
                if (_sliding)
                {
                    node.ExpiresAt = now + node.TimeToLive;
                }

                RecordRead(node);
                value = node.Value;
                return true;
            }

            ExpireOnRead(node);
        }

        if (countMiss)
        {
            CountMiss();
        }

        value = default;
        return false;
    }

    private void CountMiss() => Interlocked.Increment(ref _misses[Environment.CurrentManagedThreadId & _missMask].Value);

    /// <summary>
    /// Appends a hit to the calling thread's read ring. A thread that owns its ring (the usual case) writes without any
    /// atomic instruction; a thread whose ring slot another live thread owns uses the shared ring (one CAS). Each thread
    /// always uses the same ring, so its reads are replayed in the order it made them.
    /// </summary>
    private void RecordRead(CacheNode<TKey, TValue> node)
    {
        int id = Environment.CurrentManagedThreadId;
        var ring = _rings[id & _ringMask];
        if (ring is not null && ring.Owner == id)
        {
            while (true)
            {
                long tail = ring.Tail.Value;
                if (tail - Volatile.Read(ref ring.Head.Value) < BufferSize)
                {
                    ring.Slots[tail & BufferMask] = SlotTable<TKey, TValue>.Encode(node);
                    Volatile.Write(ref ring.Tail.Value, tail + 1);
                    return;
                }

                DrainWhenFull();
            }
        }

        RecordReadShared(node, id);
    }

    private void RecordReadShared(CacheNode<TKey, TValue> node, int id)
    {
        ref var slot = ref _rings[id & _ringMask];
        if (slot is null && Interlocked.CompareExchange(ref slot, new ReadRing(id), null) is null)
        {
            RecordRead(node);
            return;
        }

        var ring = _shared;
        while (true)
        {
            long tail = Volatile.Read(ref ring.Tail.Value);
            if (tail - Volatile.Read(ref ring.Head.Value) < BufferSize)
            {
                if (Interlocked.CompareExchange(ref ring.Tail.Value, tail + 1, tail) == tail)
                {
                    Volatile.Write(ref ring.Slots[tail & BufferMask], SlotTable<TKey, TValue>.Encode(node));
                    return;
                }

                continue;
            }

            DrainWhenFull();
        }
    }

    private void DrainWhenFull()
    {
        lock (_lock)
        {
            DrainReads();
        }
    }

    /// <summary>Replays buffered reads in order. Caller holds the lock.</summary>
    private void DrainReads()
    {
        foreach (var ring in _rings)
        {
            if (ring is not null)
            {
                Drain(ring);
            }
        }

        Drain(_shared);
    }

    private void Drain(ReadRing ring)
    {
        long head = ring.Head.Value;
        long tail = Volatile.Read(ref ring.Tail.Value);
        if (head == tail)
        {
            return;
        }

        var slots = ring.Slots;
        for (; head < tail; head++)
        {
            ref long slot = ref slots[head & BufferMask];
            long entry = Volatile.Read(ref slot);
            if (entry == 0)
            {
                // A shared-ring reader claimed this slot but has not written it yet; pick it up next time.
                break;
            }

            slot = 0;
            var node = _table.Resolve(entry);
            if (node is not null)
            {
                _policy.OnAccess(node);
            }
        }

        Volatile.Write(ref ring.Head.Value, head);
    }

    private void ExpireOnRead(CacheNode<TKey, TValue> node)
    {
        EvictionBatch batch = default;
        lock (_lock)
        {
            DrainReads();
            if (!node.Removed && Now() >= node.ExpiresAt)
            {
                Detach(node, EvictionReason.Expired, ref batch);
            }
        }

        Notify(ref batch);
    }

    public void Set(TKey key, TValue value) => Set(key, value, _defaultTimeToLive);

    public void Set(TKey key, TValue value, long timeToLive)
    {
        EvictionBatch batch = default;
        lock (_lock)
        {
            SetLocked(key, value, timeToLive, ref batch);
        }

        Notify(ref batch);
    }

    private void SetLocked(TKey key, TValue value, long timeToLive, ref EvictionBatch batch)
    {
        DrainReads();
        var node = new CacheNode<TKey, TValue>(key, value);
        long now = 0;
        if (_expires)
        {
            now = Now();
            node.TimeToLive = timeToLive;
            node.ExpiresAt = now + timeToLive;
        }

        if (_map.TryGetValue(key, out var old))
        {
            if (!_expires || now < old.ExpiresAt)
            {
                _table.Reassign(old, node);
                _map[key] = node;
                old.Removed = true;
                old.Reason = EvictionReason.Replaced;
                _policy.OnReplace(old, node);
                _expiryQueue?.Enqueue(node, node.ExpiresAt);
                batch.Add(old);
                return;
            }

            Detach(old, EvictionReason.Expired, ref batch);
        }

        if (_count >= Capacity)
        {
            EvictOne(now, ref batch);
        }

        _table.Allocate(node);
        _map[key] = node;
        _policy.OnAdd(node);
        _count++;
        if (_expiryQueue is not null)
        {
            _expiryQueue.Enqueue(node, node.ExpiresAt);
            if (_expiryQueue.Count > (2 * _count) + 64)
            {
                RebuildExpiryQueue();
            }
        }
    }

    private void EvictOne(long now, ref EvictionBatch batch)
    {
        if (_expires && TryTakeExpired(now, out var expired))
        {
            Detach(expired, EvictionReason.Expired, ref batch);
            return;
        }

        Detach(_policy.Victim(), EvictionReason.Capacity, ref batch);
    }

    /// <summary>Finds the entry that expires first if it has expired. Lazily fixes stale queue entries. Under the lock.</summary>
    private bool TryTakeExpired(long now, [MaybeNullWhen(false)] out CacheNode<TKey, TValue> node)
    {
        var queue = _expiryQueue!;
        while (queue.TryPeek(out var candidate, out long due))
        {
            if (candidate.Removed)
            {
                queue.Dequeue();
                continue;
            }

            long actual = Volatile.Read(ref candidate.ExpiresAt);
            if (actual != due)
            {
                // A sliding hit pushed the expiry later; re-queue at the real time.
                queue.Dequeue();
                queue.Enqueue(candidate, actual);
                continue;
            }

            if (now >= due)
            {
                queue.Dequeue();
                node = candidate;
                return true;
            }

            break;
        }

        node = null;
        return false;
    }

    private void RebuildExpiryQueue()
    {
        var queue = _expiryQueue!;
        queue.Clear();
        _scratch.Clear();
        _policy.CopyOrder(_scratch);
        foreach (var node in _scratch)
        {
            queue.Enqueue(node, node.ExpiresAt);
        }

        _scratch.Clear();
    }

    /// <summary>Takes a live node out of the map and the policy. Under the lock.</summary>
    private void Detach(CacheNode<TKey, TValue> node, EvictionReason reason, ref EvictionBatch batch)
    {
        _map.TryRemove(new KeyValuePair<TKey, CacheNode<TKey, TValue>>(node.Key, node));
        node.Removed = true;
        node.Reason = reason;
        _policy.OnRemove(node);
        _table.Free(node);
        _count--;
        if (reason == EvictionReason.Capacity)
        {
            Interlocked.Increment(ref _evictions);
        }
        else if (reason == EvictionReason.Expired)
        {
            Interlocked.Increment(ref _expirations);
        }

        batch.Add(node);
    }

    public bool TryRemove(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        EvictionBatch batch = default;
        bool removed = false;
        value = default;
        lock (_lock)
        {
            DrainReads();
            if (_map.TryGetValue(key, out var node))
            {
                if (_expires && Now() >= node.ExpiresAt)
                {
                    Detach(node, EvictionReason.Expired, ref batch);
                }
                else
                {
                    Detach(node, EvictionReason.Removed, ref batch);
                    value = node.Value;
                    removed = true;
                }
            }
        }

        Notify(ref batch);
        return removed;
    }

    public void Clear()
    {
        EvictionBatch batch = default;
        lock (_lock)
        {
            DrainReads();
            var nodes = new List<CacheNode<TKey, TValue>>(_count);
            _policy.CopyOrder(nodes);
            _policy.Clear();
            _table.Reset();
            _map.Clear();
            _expiryQueue?.Clear();
            _count = 0;
            foreach (var node in nodes)
            {
                node.Removed = true;
                node.Reason = EvictionReason.Cleared;
            }

            batch.AddRange(nodes);
        }

        Notify(ref batch);
    }

    /// <summary>Drops every expired entry now (the shared timer and tests call this).</summary>
    public void RemoveExpired()
    {
        if (!_expires)
        {
            return;
        }

        EvictionBatch batch = default;
        lock (_lock)
        {
            DrainReads();
            long now = Now();
            while (TryTakeExpired(now, out var node))
            {
                Detach(node, EvictionReason.Expired, ref batch);
            }
        }

        Notify(ref batch);
    }

    void IExpiringCache.Sweep() => RemoveExpired();

    /// <summary>The remaining time to live of a live entry, for diagnostics.</summary>
    public TimeSpan? GetTimeToLive(TKey key)
    {
        if (!_expires || !_map.TryGetValue(key, out var node))
        {
            return null;
        }

        long left = node.ExpiresAt - Now();
        return left <= 0 ? null : TimeSpan.FromTicks((long)(left * ((double)TimeSpan.TicksPerSecond / Frequency)));
    }

    // ---- GetOrAdd: one factory per key at a time ----

    public TValue GetOrAdd<TArg>(TKey key, Func<TKey, TArg, TValue> valueFactory, TArg factoryArgument)
    {
        ArgumentNullException.ThrowIfNull(valueFactory);
        return TryGet(key, countMiss: false, out var value) ? value : GetOrAddSlow(key, valueFactory, factoryArgument);
    }

    private TValue GetOrAddSlow<TArg>(TKey key, Func<TKey, TArg, TValue> valueFactory, TArg factoryArgument)
    {
        bool counted = false;
        while (true)
        {
            var flight = new TaskCompletionSource<TValue>(TaskCreationOptions.RunContinuationsAsynchronously);
            var existing = _inFlight.GetOrAdd(key, flight);
            if (!ReferenceEquals(existing, flight))
            {
                if (!counted)
                {
                    CountMiss();
                    counted = true;
                }

                try
                {
                    // The synchronous API waits for the running factory (sync or async) by blocking, as Lazy<T> does; documented.
                    return existing.Task.GetAwaiter().GetResult();
                }
                catch (OperationCanceledException) when (existing.Task.IsCanceled)
                {
                    continue; // the running caller was cancelled; try again (this caller may run the factory)
                }
            }

            TValue value;
            try
            {
                if (!TryGet(key, countMiss: !counted, out value!))
                {
                    value = valueFactory(key, factoryArgument);
                    Set(key, value);
                }
            }
            catch (Exception exception)
            {
                Fail(key, flight, exception);
                throw;
            }

            Succeed(key, flight, value);
            return value;
        }
    }

    public ValueTask<TValue> GetOrAddAsync(TKey key, Func<TKey, CancellationToken, ValueTask<TValue>> valueFactory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(valueFactory);
        return TryGet(key, countMiss: false, out var value)
            ? new ValueTask<TValue>(value)
            : GetOrAddSlowAsync(key, valueFactory, cancellationToken);
    }

    private async ValueTask<TValue> GetOrAddSlowAsync(TKey key, Func<TKey, CancellationToken, ValueTask<TValue>> valueFactory, CancellationToken cancellationToken)
    {
        bool counted = false;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var flight = new TaskCompletionSource<TValue>(TaskCreationOptions.RunContinuationsAsynchronously);
            var existing = _inFlight.GetOrAdd(key, flight);
            if (!ReferenceEquals(existing, flight))
            {
                if (!counted)
                {
                    CountMiss();
                    counted = true;
                }

                try
                {
                    return await existing.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (existing.Task.IsCanceled && !cancellationToken.IsCancellationRequested)
                {
                    continue; // the running caller was cancelled, not this one; try again
                }
            }

            TValue value;
            try
            {
                if (!TryGet(key, countMiss: !counted, out value!))
                {
                    value = await valueFactory(key, cancellationToken).ConfigureAwait(false);
                    Set(key, value);
                }
            }
            catch (Exception exception)
            {
                Fail(key, flight, exception);
                throw;
            }

            Succeed(key, flight, value);
            return value;
        }
    }

    private void Succeed(TKey key, TaskCompletionSource<TValue> flight, TValue value)
    {
        _inFlight.TryRemove(new KeyValuePair<TKey, TaskCompletionSource<TValue>>(key, flight));
        flight.TrySetResult(value);
    }

    private void Fail(TKey key, TaskCompletionSource<TValue> flight, Exception exception)
    {
        _inFlight.TryRemove(new KeyValuePair<TKey, TaskCompletionSource<TValue>>(key, flight));
        if (exception is OperationCanceledException)
        {
            flight.TrySetCanceled();
        }
        else
        {
            flight.TrySetException(exception);
            _ = flight.Task.Exception; // observed: waiters get it; nobody else needs to
        }
    }

    // ---- notifications, outside the lock ----

    private void Notify(ref EvictionBatch batch)
    {
        if (batch.IsEmpty || (Evicted is null && !_disposeEvicted))
        {
            return;
        }

        Raise(batch.First!);
        if (batch.Second is not null)
        {
            Raise(batch.Second);
        }

        if (batch.Rest is not null)
        {
            foreach (var node in batch.Rest)
            {
                Raise(node);
            }
        }
    }

    private void Raise(CacheNode<TKey, TValue> node)
    {
        try
        {
            Evicted?.Invoke(Owner, new CacheEvictedEventArgs<TKey, TValue>(node.Key, node.Value, node.Reason));
        }
        finally
        {
            if (_disposeEvicted && node.Value is IDisposable disposable && !IsStillCached(node))
            {
                disposable.Dispose();
            }
        }
    }

    /// <summary>A replaced value is not disposed when the same instance was stored again.</summary>
    private bool IsStillCached(CacheNode<TKey, TValue> node) =>
        node.Reason == EvictionReason.Replaced
        && _map.TryGetValue(node.Key, out var current)
        && ReferenceEquals(current.Value, node.Value);

    private struct EvictionBatch
    {
        public CacheNode<TKey, TValue>? First;
        public CacheNode<TKey, TValue>? Second;
        public List<CacheNode<TKey, TValue>>? Rest;

        public readonly bool IsEmpty => First is null;

        public void Add(CacheNode<TKey, TValue> node)
        {
            if (First is null)
            {
                First = node;
            }
            else if (Second is null)
            {
                Second = node;
            }
            else
            {
                (Rest ??= []).Add(node);
            }
        }

        public void AddRange(List<CacheNode<TKey, TValue>> nodes)
        {
            foreach (var node in nodes)
            {
                Add(node);
            }
        }
    }

    /// <summary>A bounded ring of buffered hits; owned rings have one writer (<see cref="Owner"/>), the shared ring many.</summary>
    private sealed class ReadRing(int owner)
    {
        public readonly long[] Slots = new long[BufferSize];
        public readonly int Owner = owner;
        public PaddedLong Tail;
        public PaddedLong Head;
    }
}
