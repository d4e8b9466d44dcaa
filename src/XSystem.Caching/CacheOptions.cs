namespace XSystem.Caching;

/// <summary>Options shared by every XSystem cache policy.</summary>
/// <remarks>
/// Options are read once, when the cache is constructed; changing them afterwards has no effect on that cache.
/// Thread safety: not thread safe while being configured; a cache only reads them in its constructor.
/// </remarks>
public class CacheOptions
{
    private protected CacheOptions()
    {
    }

    /// <summary>
    /// When <see langword="true"/>, a value that implements <see cref="IDisposable"/> is disposed by the cache when it
    /// leaves for any reason (capacity, expiry, <c>TryRemove</c>, <c>Clear</c>, or replacement by <c>Set</c> with a
    /// different instance), after the <c>Evicted</c> event handlers ran. Default: <see langword="false"/>.
    /// </summary>
    public bool DisposeEvicted { get; set; }

    /// <summary>The clock for expiry and the shared sweep timer. Default: <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}

/// <summary>Options for <see cref="LruCache{TKey, TValue}"/>.</summary>
/// <remarks>Thread safety: not thread safe while being configured; read once by the cache constructor.</remarks>
public sealed class LruOptions : CacheOptions
{
    /// <summary>
    /// Optional expire-after-write time to live: an entry expires this long after it was last written with
    /// <c>Set</c> (reads do not extend it). Expired entries are dropped lazily on access, by the shared sweep timer,
    /// and before any live entry when the cache is full. Default: <see langword="null"/> (entries never expire).
    /// </summary>
    public TimeSpan? TimeToLive { get; set; }
}

/// <summary>Options for <see cref="LfuCache{TKey, TValue}"/>.</summary>
/// <remarks>Thread safety: not thread safe while being configured; read once by the cache constructor.</remarks>
public sealed class LfuOptions : CacheOptions
{
    /// <summary>
    /// Every this many uses (hits plus writes) the cache halves every entry's use count (a count never drops below 1),
    /// so a key that was hot long ago does not stay forever. 0 chooses the default; a negative value turns aging off.
    /// Default: 0, which means 16 times the capacity.
    /// </summary>
    public int AgingInterval { get; set; }
}

/// <summary>Options for <see cref="TtlCache{TKey, TValue}"/>.</summary>
/// <remarks>Thread safety: not thread safe while being configured; read once by the cache constructor.</remarks>
public sealed class TtlOptions : CacheOptions
{
    /// <summary>
    /// When <see langword="true"/>, every hit restarts the entry's time to live (expire-after-access, "sliding");
    /// otherwise the time to live counts from the last <c>Set</c> (expire-after-write). Default: <see langword="false"/>.
    /// </summary>
    public bool SlidingExpiration { get; set; }

    /// <summary>
    /// When <see langword="true"/>, the cache joins the one process-wide sweep timer (one per
    /// <see cref="CacheOptions.TimeProvider"/>, ticking every second) that drops expired entries even when nobody reads
    /// them. The timer holds caches weakly, so an abandoned cache can still be collected. When
    /// <see langword="false"/>, expiry is lazy only (on access and when the cache is full). Default: <see langword="true"/>.
    /// </summary>
    public bool BackgroundSweep { get; set; } = true;
}
