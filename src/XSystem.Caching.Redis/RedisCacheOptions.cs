using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using XSystem.Serialization;

namespace XSystem.Caching.Redis;

/// <summary>Settings of a <see cref="RedisCache{TValue}"/>, validated once when the cache is built.</summary>
/// <remarks>
/// Key layout: a value lives at <c>{Prefix}v:{key}</c> and its lock at <c>{Prefix}l:{key}</c>, so no user key can
/// collide with a lock. Thread safety: immutable once built (init-only properties); share one instance freely.
/// </remarks>
public sealed class RedisCacheOptions
{
    /// <summary>The shared default settings.</summary>
    public static RedisCacheOptions Default { get; } = new();

    /// <summary>
    /// Prepended to every Redis key and channel this cache uses, so several caches (or applications) can share one
    /// Redis database. Default <c>"xsys:"</c>. Caches that must see each other's entries use the same prefix.
    /// </summary>
    public string Prefix { get; init; } = "xsys:";

    /// <summary>
    /// How long an entry lives when no time to live is given. Default 10 minutes; <see cref="Timeout.InfiniteTimeSpan"/>
    /// for no expiry. Redis keeps time to live in milliseconds, so the value must be at least 1 ms.
    /// </summary>
    public TimeSpan DefaultTimeToLive { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The XSystem format values are encoded with. Default <see cref="Formats.MessagePack"/> (typed path, contractless).</summary>
    public IFormat Format { get; init; } = Formats.MessagePack;

    /// <summary>
    /// Limits and settings passed to the serializer. Default <see langword="null"/>: the serializer's defaults with
    /// indentation off (<c>Indent = false</c>), so text formats store compact values.
    /// </summary>
    public SerializerOptions? SerializerOptions { get; init; }

    /// <summary>
    /// How long the distributed lock of <c>GetOrAddAsync</c> lives before Redis drops it. The holder renews it every
    /// third of this time while its factory runs, so a factory may run longer; the expiry only matters when the holder
    /// dies, and then bounds how long others are blocked. Default 10 seconds; at least 100 ms.
    /// </summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a caller waits for another node's factory before it gives up waiting and runs the factory itself
    /// (logged as a warning): availability wins over exclusivity. Default 30 seconds.
    /// </summary>
    public TimeSpan LockWaitTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The first pause of a caller that finds the lock taken; each further pause doubles (with up to 50 % random
    /// jitter) up to <see cref="LockMaxRetryDelay"/>, and after each pause the caller checks whether the value has
    /// arrived. Default 10 ms.
    /// </summary>
    public TimeSpan LockRetryDelay { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>The longest pause between two looks at a taken lock. Default 200 ms.</summary>
    public TimeSpan LockMaxRetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Where warnings (undecodable values, lock lost, lock wait given up) go. Default <see cref="NullLogger.Instance"/>.</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>The clock for lock waits and renewals. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    internal void Validate(string parameterName)
    {
        ArgumentNullException.ThrowIfNull(Prefix, parameterName);
        ArgumentNullException.ThrowIfNull(Format, parameterName);
        ArgumentNullException.ThrowIfNull(Logger, parameterName);
        ArgumentNullException.ThrowIfNull(TimeProvider, parameterName);
        ValidateTimeToLive(DefaultTimeToLive, $"{parameterName}.{nameof(DefaultTimeToLive)}");
        RequireAtLeast(LockTimeout, TimeSpan.FromMilliseconds(100), nameof(LockTimeout), parameterName);
        RequireAtLeast(LockWaitTimeout, TimeSpan.Zero, nameof(LockWaitTimeout), parameterName);
        RequireAtLeast(LockRetryDelay, TimeSpan.FromMilliseconds(1), nameof(LockRetryDelay), parameterName);
        RequireAtLeast(LockMaxRetryDelay, LockRetryDelay, nameof(LockMaxRetryDelay), parameterName);
    }

    internal static void ValidateTimeToLive(TimeSpan timeToLive, string parameterName)
    {
        if (timeToLive != Timeout.InfiniteTimeSpan && timeToLive < TimeSpan.FromMilliseconds(1))
        {
            throw new ArgumentOutOfRangeException(parameterName, timeToLive, "A time to live must be at least 1 ms, or Timeout.InfiniteTimeSpan for no expiry.");
        }
    }

    private static void RequireAtLeast(TimeSpan value, TimeSpan minimum, string name, string parameterName)
    {
        if (value < minimum)
        {
            throw new ArgumentOutOfRangeException($"{parameterName}.{name}", value, $"{name} must be at least {minimum.TotalMilliseconds} ms.");
        }
    }
}
