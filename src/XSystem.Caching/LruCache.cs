using System.Diagnostics.CodeAnalysis;
using XSystem.Caching.Internal;

namespace XSystem.Caching;

/// <summary>
/// A bounded cache with exact least-recently-used eviction and an optional expire-after-write time to live.
/// Replaces the Python original's <c>LRUCache</c> and <c>AsyncLRUCache</c> (sync and async on one type).
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The value type.</typeparam>
/// <remarks>
/// <para>When the cache is full, adding a key evicts the entry whose last use (hit or <c>Set</c>) is oldest, exactly:
/// a hit never takes a lock, it is recorded in a small per-thread-stripe buffer that is replayed in order before any
/// structural change, so the victim is the true least recently used entry in the order each thread made its calls.
/// <see cref="Keys"/> lists the most recently used key first.</para>
/// <para>Thread safety: every member is safe to call from any number of threads at once.</para>
/// </remarks>
public sealed class LruCache<TKey, TValue> : ICache<TKey, TValue>
    where TKey : notnull
{
    private readonly CacheCore<TKey, TValue> _core;

    /// <summary>Creates a cache that holds at most <paramref name="capacity"/> entries.</summary>
    /// <param name="capacity">The most entries held; must be positive.</param>
    /// <param name="options">Options; <see langword="null"/> for the defaults (no expiry, no disposal).</param>
    /// <param name="comparer">Key comparer; <see langword="null"/> for <see cref="EqualityComparer{T}.Default"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is zero or negative, or the time to live is not positive.</exception>
    public LruCache(int capacity, LruOptions? options = null, IEqualityComparer<TKey>? comparer = null)
    {
        options ??= new LruOptions();
        _core = new CacheCore<TKey, TValue>(this, capacity, new LruPolicy<TKey, TValue>(), options, comparer, options.TimeToLive, sliding: false, backgroundSweep: true);
    }

    /// <inheritdoc/>
    public int Count => _core.Count;

    /// <inheritdoc/>
    public int Capacity => _core.Capacity;

    /// <summary>A snapshot of the live keys, most recently used first.</summary>
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

    /// <summary>Drops every expired entry now instead of waiting for the shared sweep timer or the next access.</summary>
    public void RemoveExpired() => _core.RemoveExpired();
}
