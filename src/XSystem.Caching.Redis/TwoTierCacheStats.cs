namespace XSystem.Caching.Redis;

/// <summary>A snapshot of a <see cref="TwoTierCache{TValue}"/>'s counters since it was created.</summary>
/// <param name="LocalHits">Lookups answered by the local tier.</param>
/// <param name="RedisHits">Lookups the local tier missed and Redis answered (including values another node's factory made).</param>
/// <param name="Misses">Lookups neither tier answered.</param>
/// <param name="FactoryRuns">Value factories this instance ran (with Redis or, during an outage, without it).</param>
/// <param name="RedisErrors">Redis calls that failed (connection lost, timeout, server error) plus connection failures reported by the multiplexer.</param>
/// <param name="RedisSkipped">Redis calls not attempted because the circuit breaker was open after a failure.</param>
/// <param name="InvalidationsPublished">Invalidation messages this instance sent.</param>
/// <param name="InvalidationsReceived">Invalidation messages from other instances acted on.</param>
/// <param name="Reconnects">Times the Redis connection came back (each one clears the local tier).</param>
/// <remarks>Thread safety: an immutable value.</remarks>
public readonly record struct TwoTierCacheStats(
    long LocalHits,
    long RedisHits,
    long Misses,
    long FactoryRuns,
    long RedisErrors,
    long RedisSkipped,
    long InvalidationsPublished,
    long InvalidationsReceived,
    long Reconnects)
{
    /// <summary>All lookups: local hits, Redis hits and misses.</summary>
    public long Lookups => LocalHits + RedisHits + Misses;

    /// <summary>Lookups answered by either tier divided by all lookups, from 0 to 1; 0 when there were none.</summary>
    public double HitRate => Lookups == 0 ? 0d : (double)(LocalHits + RedisHits) / Lookups;
}
