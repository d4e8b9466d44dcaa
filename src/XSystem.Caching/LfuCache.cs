using System.Diagnostics.CodeAnalysis;
using XSystem.Caching.Internal;

namespace XSystem.Caching;

/// <summary>
/// A bounded cache with O(1) least-frequently-used eviction: the entry used the fewest times goes first, ties go to the
/// least recently used, and counts are halved periodically (aging) so a key that was hot long ago does not stay forever.
/// Replaces the Python original's <c>LFUCache</c>, <c>OptimizedLFUCache</c> and their async twins.
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The value type.</typeparam>
/// <remarks>
/// <para>A new entry starts with a count of 1; every hit and every <c>Set</c> of an existing key adds 1. Counts are
/// kept for entries in the cache only. Hits take no lock: they are buffered and replayed in order before any
/// structural change, so the order is exact for each thread. <see cref="Keys"/> lists the highest count first and,
/// within a count, the most recently used first.</para>
/// <para>Thread safety: every member is safe to call from any number of threads at once.</para>
/// </remarks>
public sealed class LfuCache<TKey, TValue> : ICache<TKey, TValue>
    where TKey : notnull
{
    private readonly CacheCore<TKey, TValue> _core;

    /// <summary>Creates a cache that holds at most <paramref name="capacity"/> entries.</summary>
    /// <param name="capacity">The most entries held; must be positive.</param>
    /// <param name="options">Options; <see langword="null"/> for the defaults (aging every 16 x capacity uses, no disposal).</param>
    /// <param name="comparer">Key comparer; <see langword="null"/> for <see cref="EqualityComparer{T}.Default"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is zero or negative.</exception>
    public LfuCache(int capacity, LfuOptions? options = null, IEqualityComparer<TKey>? comparer = null)
    {
        options ??= new LfuOptions();
        _core = new CacheCore<TKey, TValue>(this, capacity, new LfuPolicy<TKey, TValue>(AgingIntervalFor(capacity, options.AgingInterval)), options, comparer, timeToLive: null, sliding: false, backgroundSweep: false);
    }

    /// <inheritdoc/>
    public int Count => _core.Count;

    /// <inheritdoc/>
    public int Capacity => _core.Capacity;

    /// <summary>A snapshot of the keys, highest use count first, then most recently used first.</summary>
    public IReadOnlyList<TKey> Keys => _core.Keys;

    /// <inheritdoc/>
    public CacheStats Stats => _core.Stats;

    /// <inheritdoc/>
    public event EventHandler<CacheEvictedEventArgs<TKey, TValue>>? Evicted
    {
        add => _core.Evicted += value;
        remove => _core.Evicted -= value;
    }

    /// <inheritdoc/>
    public bool TryGet(TKey key, [MaybeNullWhen(false)] out TValue value) => _core.TryGet(key, out value);

    /// <inheritdoc/>
    public TValue GetOrAdd(TKey key, Func<TKey, TValue> valueFactory)
    {
        ArgumentNullException.ThrowIfNull(valueFactory);
        return _core.GetOrAdd(key, static (k, f) => f(k), valueFactory);
    }

    /// <inheritdoc/>
    public TValue GetOrAdd<TArg>(TKey key, Func<TKey, TArg, TValue> valueFactory, TArg factoryArgument) =>
        _core.GetOrAdd(key, valueFactory, factoryArgument);

    /// <inheritdoc/>
    public ValueTask<TValue> GetOrAddAsync(TKey key, Func<TKey, CancellationToken, ValueTask<TValue>> valueFactory, CancellationToken cancellationToken = default) =>
        _core.GetOrAddAsync(key, valueFactory, cancellationToken);

    /// <inheritdoc/>
    [SuppressMessage("Naming", "CA1716:Identifiers should not match keywords", Justification = "Set is the public contract's name.")]
    public void Set(TKey key, TValue value) => _core.Set(key, value);

    /// <inheritdoc/>
    public bool TryRemove(TKey key) => _core.TryRemove(key, out _);

    /// <inheritdoc/>
    public bool TryRemove(TKey key, [MaybeNullWhen(false)] out TValue value) => _core.TryRemove(key, out value);

    /// <inheritdoc/>
    public void Clear() => _core.Clear();

    internal static long AgingIntervalFor(int capacity, int agingInterval) => agingInterval switch
    {
        0 => 16L * Math.Max(1, capacity),
        < 0 => 0,
        _ => agingInterval,
    };
}
