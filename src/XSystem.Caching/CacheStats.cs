namespace XSystem.Caching;

/// <summary>A snapshot of a cache's counters.</summary>
/// <param name="Hits">Lookups that found a live entry.</param>
/// <param name="Misses">Lookups that found nothing (or only an expired entry).</param>
/// <param name="Evictions">Entries removed to make room (capacity).</param>
/// <param name="Expirations">Entries removed because their time to live ran out.</param>
/// <remarks>Thread safety: an immutable value.</remarks>
public readonly record struct CacheStats(long Hits, long Misses, long Evictions, long Expirations)
{
    /// <summary>All lookups: hits plus misses.</summary>
    public long Lookups => Hits + Misses;

    /// <summary>Hits divided by lookups, from 0 to 1; 0 when there were no lookups.</summary>
    public double HitRate => Lookups == 0 ? 0d : (double)Hits / Lookups;
}
