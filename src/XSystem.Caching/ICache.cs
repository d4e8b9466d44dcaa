using System.Diagnostics.CodeAnalysis;

namespace XSystem.Caching;

/// <summary>
/// A bounded in-process cache: the one interface every XSystem cache policy implements
/// (<c>LruCache</c>, <c>LfuCache</c>, <c>TtlCache</c>).
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The value type.</typeparam>
/// <remarks>
/// <para><see cref="GetOrAdd(TKey, Func{TKey, TValue})"/> and
/// <see cref="GetOrAddAsync(TKey, Func{TKey, CancellationToken, ValueTask{TValue}}, CancellationToken)"/> run the
/// factory at most once per key at a time across threads: concurrent callers for the same missing key wait for
/// the one running factory instead of starting their own (no stampede). A factory that throws or is cancelled
/// caches nothing; the next caller runs it again.</para>
/// <para>Thread safety: every member is safe to call from any number of threads at once.</para>
/// </remarks>
public interface ICache<TKey, TValue>
    where TKey : notnull
{
    /// <summary>The number of entries held now (expired entries not yet collected may be counted).</summary>
    int Count { get; }

    /// <summary>The most entries the cache holds before it evicts.</summary>
    int Capacity { get; }

    /// <summary>
    /// A snapshot of the keys, most recently used first where the policy defines an order
    /// (LRU: recency; LFU: frequency, then recency; TTL: recency of write or access).
    /// </summary>
    IReadOnlyList<TKey> Keys { get; }

    /// <summary>Hit, miss, eviction and expiration counters since the cache was created.</summary>
    CacheStats Stats { get; }

    /// <summary>
    /// Raised after an entry leaves the cache, with the reason. Handlers run on the thread that caused the
    /// removal, outside the cache's locks; an exception from a handler propagates to that caller.
    /// </summary>
    event EventHandler<CacheEvictedEventArgs<TKey, TValue>>? Evicted;

    /// <summary>Looks a key up; a hit counts as a use of the entry.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The cached value when found.</param>
    /// <returns><see langword="true"/> on a hit.</returns>
    bool TryGet(TKey key, [MaybeNullWhen(false)] out TValue value);

    /// <summary>Returns the cached value, or runs <paramref name="valueFactory"/> once, caches and returns its result.</summary>
    /// <param name="key">The key.</param>
    /// <param name="valueFactory">Makes the value for a missing key.</param>
    /// <returns>The cached or newly made value.</returns>
    TValue GetOrAdd(TKey key, Func<TKey, TValue> valueFactory);

    /// <summary>
    /// Returns the cached value, or runs <paramref name="valueFactory"/> with <paramref name="factoryArgument"/> once,
    /// caches and returns its result. Passing state through the argument avoids a closure allocation.
    /// </summary>
    /// <typeparam name="TArg">The factory argument type.</typeparam>
    /// <param name="key">The key.</param>
    /// <param name="valueFactory">Makes the value for a missing key.</param>
    /// <param name="factoryArgument">Passed to the factory.</param>
    /// <returns>The cached or newly made value.</returns>
    TValue GetOrAdd<TArg>(TKey key, Func<TKey, TArg, TValue> valueFactory, TArg factoryArgument);

    /// <summary>
    /// Returns the cached value, or awaits <paramref name="valueFactory"/> once per key across concurrent callers,
    /// caches and returns its result. A hit completes synchronously without allocating.
    /// </summary>
    /// <param name="key">The key.</param>
    /// <param name="valueFactory">Makes the value for a missing key.</param>
    /// <param name="cancellationToken">Cancels this caller's wait (and the factory when this caller started it).</param>
    /// <returns>The cached or newly made value.</returns>
    ValueTask<TValue> GetOrAddAsync(TKey key, Func<TKey, CancellationToken, ValueTask<TValue>> valueFactory, CancellationToken cancellationToken = default);

    /// <summary>Adds or replaces the value for a key; may evict another entry when the cache is full.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    [SuppressMessage("Naming", "CA1716:Identifiers should not match keywords", Justification = "Set is the public contract's name, shared with the Python original's put/set.")]
    void Set(TKey key, TValue value);

    /// <summary>Removes a key.</summary>
    /// <param name="key">The key.</param>
    /// <returns><see langword="true"/> when the key was present.</returns>
    bool TryRemove(TKey key);

    /// <summary>Removes a key and returns its value.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The removed value.</param>
    /// <returns><see langword="true"/> when the key was present.</returns>
    bool TryRemove(TKey key, [MaybeNullWhen(false)] out TValue value);

    /// <summary>Removes every entry (each raises <see cref="Evicted"/> with <see cref="EvictionReason.Cleared"/>).</summary>
    void Clear();
}
