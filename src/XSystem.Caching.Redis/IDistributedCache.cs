namespace XSystem.Caching.Redis;

/// <summary>
/// A cache shared by many processes, keyed by strings, with a time to live per entry and asynchronous operations:
/// what <see cref="RedisCache{TValue}"/> and <see cref="TwoTierCache{TValue}"/> have in common.
/// </summary>
/// <typeparam name="TValue">The value type.</typeparam>
/// <remarks>
/// <para>Why not <see cref="ICache{TKey, TValue}"/>: that contract describes a bounded in-process cache whose
/// <c>Capacity</c>, <c>Keys</c> snapshot, eviction event and synchronous <c>GetOrAdd</c> cannot be honoured by a remote
/// store without scanning the server or blocking a thread on the network. This interface keeps only what a shared
/// store does well; the in-process caches stay behind <see cref="ICache{TKey, TValue}"/> and serve as the first tier of
/// <see cref="TwoTierCache{TValue}"/>.</para>
/// <para>Thread safety: implementations are safe to call from any number of threads at once.</para>
/// </remarks>
public interface IDistributedCache<TValue>
{
    /// <summary>Looks a key up.</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The lookup: found and the value, or a miss.</returns>
    ValueTask<CacheLookup<TValue>> TryGetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Returns the cached value, or runs <paramref name="valueFactory"/> once across all callers and nodes sharing the
    /// store, stores its result with the default time to live and returns it.
    /// </summary>
    /// <param name="key">The key.</param>
    /// <param name="valueFactory">Makes the value for a missing key.</param>
    /// <param name="cancellationToken">Cancels this caller's wait and, when this caller runs it, the factory.</param>
    /// <returns>The cached or newly made value.</returns>
    ValueTask<TValue> GetOrAddAsync(string key, Func<string, CancellationToken, ValueTask<TValue>> valueFactory, CancellationToken cancellationToken = default);

    /// <summary>As <see cref="GetOrAddAsync(string, Func{string, CancellationToken, ValueTask{TValue}}, CancellationToken)"/>, with a time to live for a new entry.</summary>
    /// <param name="key">The key.</param>
    /// <param name="valueFactory">Makes the value for a missing key.</param>
    /// <param name="timeToLive">How long a new entry lives; <see cref="Timeout.InfiniteTimeSpan"/> for no expiry.</param>
    /// <param name="cancellationToken">Cancels this caller's wait and, when this caller runs it, the factory.</param>
    /// <returns>The cached or newly made value.</returns>
    ValueTask<TValue> GetOrAddAsync(string key, Func<string, CancellationToken, ValueTask<TValue>> valueFactory, TimeSpan timeToLive, CancellationToken cancellationToken = default);

    /// <summary>Adds or replaces the value for a key with the default time to live.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the value is stored.</returns>
    ValueTask SetAsync(string key, TValue value, CancellationToken cancellationToken = default);

    /// <summary>Adds or replaces the value for a key.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <param name="timeToLive">How long the entry lives; <see cref="Timeout.InfiniteTimeSpan"/> for no expiry.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the value is stored.</returns>
    ValueTask SetAsync(string key, TValue value, TimeSpan timeToLive, CancellationToken cancellationToken = default);

    /// <summary>Removes a key.</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns><see langword="true"/> when the key was present.</returns>
    ValueTask<bool> RemoveAsync(string key, CancellationToken cancellationToken = default);
}
