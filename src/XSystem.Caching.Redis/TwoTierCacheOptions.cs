namespace XSystem.Caching.Redis;

/// <summary>Settings of a <see cref="TwoTierCache{TValue}"/>, validated once when the cache is built.</summary>
/// <remarks>Thread safety: immutable once built (init-only properties); share one instance freely.</remarks>
public sealed class TwoTierCacheOptions
{
    /// <summary>The shared default settings.</summary>
    public static TwoTierCacheOptions Default { get; } = new();

    /// <summary>
    /// The second tier: key prefix, default time to live, value format and lock settings, and also the logger and
    /// clock of the whole two-tier cache. Default <see cref="RedisCacheOptions.Default"/>. Nodes that share entries
    /// must use the same <see cref="RedisCacheOptions.Prefix"/> and format.
    /// </summary>
    public RedisCacheOptions Redis { get; init; } = RedisCacheOptions.Default;

    /// <summary>How many entries the default local tier (an <see cref="LruCache{TKey, TValue}"/>) holds. Default 10 000. Ignored when a local cache is passed in.</summary>
    public int LocalCapacity { get; init; } = 10_000;

    /// <summary>
    /// The expire-after-write time to live of the default local tier. It bounds how long a node can serve a value
    /// after the Redis entry expired or an invalidation was lost. Default 1 minute; <see cref="Timeout.InfiniteTimeSpan"/>
    /// for none. Ignored when a local cache is passed in.
    /// </summary>
    public TimeSpan LocalTimeToLive { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The Redis pub/sub channel invalidations travel on. Default <see langword="null"/>, meaning
    /// <c>{Redis.Prefix}invalidations</c>, so caches with the same prefix hear each other.
    /// </summary>
    public string? InvalidationChannel { get; init; }

    /// <summary>
    /// After a Redis failure the cache skips Redis for this long before trying again (circuit breaker); each failure
    /// of the first attempt afterwards doubles the pause up to <see cref="RedisMaxRetryDelay"/>, and a success or a
    /// restored connection resets it. Default 250 ms.
    /// </summary>
    public TimeSpan RedisRetryDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest pause of the circuit breaker. Default 10 seconds.</summary>
    public TimeSpan RedisMaxRetryDelay { get; init; } = TimeSpan.FromSeconds(10);

    internal void Validate(string parameterName)
    {
        ArgumentNullException.ThrowIfNull(Redis, parameterName);
        Redis.Validate($"{parameterName}.{nameof(Redis)}");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(LocalCapacity, $"{parameterName}.{nameof(LocalCapacity)}");
        if (LocalTimeToLive != Timeout.InfiniteTimeSpan && LocalTimeToLive <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException($"{parameterName}.{nameof(LocalTimeToLive)}", LocalTimeToLive, "The local time to live must be positive, or Timeout.InfiniteTimeSpan for none.");
        }

        if (InvalidationChannel is { Length: 0 })
        {
            throw new ArgumentException("The invalidation channel must not be empty; leave it null for the default.", $"{parameterName}.{nameof(InvalidationChannel)}");
        }

        if (RedisRetryDelay <= TimeSpan.Zero || RedisMaxRetryDelay < RedisRetryDelay)
        {
            throw new ArgumentOutOfRangeException($"{parameterName}.{nameof(RedisRetryDelay)}", RedisRetryDelay, "RedisRetryDelay must be positive and no longer than RedisMaxRetryDelay.");
        }
    }
}
