using System.Diagnostics.CodeAnalysis;
using XSystem.Caching.Internal;

namespace XSystem.Caching;

/// <summary>
/// A bounded cache whose entries expire after a time to live: expire-after-write by default, sliding
/// (expire-after-access) by option, and a per-entry time to live through <see cref="Set(TKey, TValue, TimeSpan)"/>.
/// Replaces the Python original's <c>TTLCache</c> and <c>AsyncTTLCache</c>.
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The value type.</typeparam>
/// <remarks>
/// <para>Expired entries are never returned. They are dropped lazily when touched, by one process-wide sweep timer
/// shared by every expiring cache (no thread per cache; caches are held weakly), and first when the cache is full:
/// an expired entry is always evicted before a live one; among live entries the least recently used goes.
/// All time comes from <see cref="CacheOptions.TimeProvider"/>.</para>
/// <para>Thread safety: every member is safe to call from any number of threads at once.</para>
/// </remarks>
public sealed class TtlCache<TKey, TValue> : ICache<TKey, TValue>
    where TKey : notnull
{
    private readonly CacheCore<TKey, TValue> _core;

    /// <summary>Creates a cache that holds at most <paramref name="capacity"/> entries, each for <paramref name="timeToLive"/> unless set otherwise.</summary>
    /// <param name="capacity">The most entries held; must be positive.</param>
    /// <param name="timeToLive">The default time to live; must be positive.</param>
    /// <param name="options">Options; <see langword="null"/> for the defaults (expire-after-write, background sweep, no disposal).</param>
    /// <param name="comparer">Key comparer; <see langword="null"/> for <see cref="EqualityComparer{T}.Default"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is zero or negative, or <paramref name="timeToLive"/> is not positive.</exception>
    public TtlCache(int capacity, TimeSpan timeToLive, TtlOptions? options = null, IEqualityComparer<TKey>? comparer = null)
    {
        options ??= new TtlOptions();
        _core = new CacheCore<TKey, TValue>(this, capacity, new LruPolicy<TKey, TValue>(), options, comparer, timeToLive, options.SlidingExpiration, options.BackgroundSweep);
    }

    /// <inheritdoc/>
    public int Count => _core.Count;

    /// <inheritdoc/>
    public int Capacity => _core.Capacity;

    /// <summary>A snapshot of the live (unexpired) keys, most recently written or read first.</summary>
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

    /// <summary>Adds or replaces the value for a key with its own time to live.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <param name="timeToLive">How long this entry lives (from now, or from its last use when sliding); must be positive.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeToLive"/> is not positive.</exception>
    [SuppressMessage("Naming", "CA1716:Identifiers should not match keywords", Justification = "Set is the public contract's name.")]
    public void Set(TKey key, TValue value, TimeSpan timeToLive) => _core.Set(key, value, _core.ToTimestampUnits(timeToLive));

    /// <summary>The time an entry has left, or <see langword="null"/> when it is missing or expired (Python <c>get_remaining_ttl</c>).</summary>
    /// <param name="key">The key.</param>
    /// <returns>The remaining time to live.</returns>
    public TimeSpan? GetRemainingTimeToLive(TKey key) => _core.GetTimeToLive(key);

    /// <inheritdoc/>
    public bool TryRemove(TKey key) => _core.TryRemove(key, out _);

    /// <inheritdoc/>
    public bool TryRemove(TKey key, [MaybeNullWhen(false)] out TValue value) => _core.TryRemove(key, out value);

    /// <inheritdoc/>
    public void Clear() => _core.Clear();

    /// <summary>Drops every expired entry now instead of waiting for the shared sweep timer or the next access.</summary>
    public void RemoveExpired() => _core.RemoveExpired();
}
