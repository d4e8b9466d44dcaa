using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using XSystem.Caching.Redis.Internal;
using XSystem.Serialization;

namespace XSystem.Caching.Redis;

/// <summary>
/// A cache in Redis: string keys under <see cref="RedisCacheOptions.Prefix"/>, values encoded with an XSystem format
/// (MessagePack by default), a time to live per entry, and a <c>GetOrAddAsync</c> that runs a missing value's factory
/// on one node only, guarded by a distributed lock.
/// </summary>
/// <typeparam name="TValue">The value type; it must round-trip through <see cref="RedisCacheOptions.Format"/>.</typeparam>
/// <remarks>
/// <para>Lock protocol of <c>GetOrAddAsync</c> on a miss: one caller per key and process goes on (the others await it);
/// it takes the lock with <c>SET {Prefix}l:{key} token NX PX LockTimeout</c> (a random token per attempt), checks the
/// value again, runs the factory while renewing the lock every third of <see cref="RedisCacheOptions.LockTimeout"/>,
/// stores the value, and releases the lock with a script that deletes it only if it still holds its own token.
/// Callers that find the lock taken pause (10 ms doubling to 200 ms, with jitter), look for the value, and try the lock
/// again; after <see cref="RedisCacheOptions.LockWaitTimeout"/> they run the factory themselves.</para>
/// <para>Errors: Redis failures (<see cref="RedisConnectionException"/>, <see cref="RedisTimeoutException"/> ...) reach
/// the caller; this type is the plain second tier. <see cref="TwoTierCache{TValue}"/> adds the local tier and the
/// fail-safe behaviour. A stored value that cannot be decoded (written by another version of the type) is logged and
/// counted as a miss.</para>
/// <para>The connection belongs to the caller: the cache does not dispose it.</para>
/// <para>Thread safety: every member is safe to call from any number of threads at once.</para>
/// </remarks>
public sealed class RedisCache<TValue> : IDistributedCache<TValue>
{
    private const string ReflectionMessage = "Values are encoded through the reflection-based typed path of XSystem.Serialization.";

    // Deletes the lock only when it still holds the caller's token, so a holder whose lock expired cannot free
    // somebody else's.
    private const string ReleaseScript = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

    // Extends the lock only when it still holds the caller's token.
    private const string RenewScript = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";

    private readonly IDatabase _database;
    private readonly RedisCacheOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private static readonly SerializerOptions Compact = new() { Indent = false };
    private readonly SerializerOptions _serializerOptions;
    private readonly SingleFlight<Created> _flights = new();
    private long _hits;
    private long _misses;
    private long _decodeErrors;
    private long _factoryRuns;

    /// <summary>Creates a cache on an existing connection.</summary>
    /// <param name="connection">The connection; <see cref="RedisConnection.ConnectAsync(string, CancellationToken)"/> makes one with suitable settings. Not disposed by the cache.</param>
    /// <param name="options">Settings; <see cref="RedisCacheOptions.Default"/> when null.</param>
    /// <exception cref="ArgumentException">An option is out of range (the message names it).</exception>
    [RequiresUnreferencedCode(ReflectionMessage)]
    [RequiresDynamicCode(ReflectionMessage)]
    public RedisCache(IConnectionMultiplexer connection, RedisCacheOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        options ??= RedisCacheOptions.Default;
        options.Validate(nameof(options));
        Connection = connection;
        _database = connection.GetDatabase();
        _options = options;
        _logger = options.Logger;
        _time = options.TimeProvider;
        _serializerOptions = options.SerializerOptions ?? Compact;
    }

    /// <summary>The connection the cache uses.</summary>
    public IConnectionMultiplexer Connection { get; }

    /// <summary>The settings.</summary>
    public RedisCacheOptions Options => _options;

    /// <summary>
    /// Counters since the cache was created: <c>Hits</c> and <c>Misses</c> of lookups (including the first look of
    /// <c>GetOrAddAsync</c>); evictions and expirations happen inside Redis and are not seen, so they stay zero.
    /// </summary>
    public CacheStats Stats => new(Interlocked.Read(ref _hits), Interlocked.Read(ref _misses), 0, 0);

    /// <summary>How many stored values could not be decoded and were treated as misses.</summary>
    public long DecodeErrors => Interlocked.Read(ref _decodeErrors);

    /// <summary>How many times this instance ran a value factory in <c>GetOrAddAsync</c>.</summary>
    public long FactoryRuns => Interlocked.Read(ref _factoryRuns);

    /// <summary>Looks a key up with a synchronous Redis call (blocks the thread for one round trip).</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value when found.</param>
    /// <returns><see langword="true"/> on a hit.</returns>
    public bool TryGet(string key, [MaybeNullWhen(false)] out TValue value)
    {
        ArgumentNullException.ThrowIfNull(key);
        CacheLookup<TValue> lookup = Count(Decode(_database.StringGet(ValueKey(key)), key));
        return lookup.TryGetValue(out value);
    }

    /// <inheritdoc/>
    public async ValueTask<CacheLookup<TValue>> TryGetAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Count(await LookAsync(key, cancellationToken).ConfigureAwait(false));
    }

    /// <inheritdoc/>
    public ValueTask<TValue> GetOrAddAsync(string key, Func<string, CancellationToken, ValueTask<TValue>> valueFactory, CancellationToken cancellationToken = default) =>
        GetOrAddAsync(key, valueFactory, _options.DefaultTimeToLive, cancellationToken);

    /// <inheritdoc/>
    public async ValueTask<TValue> GetOrAddAsync(string key, Func<string, CancellationToken, ValueTask<TValue>> valueFactory, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        Created created = await GetOrCreateAsync(key, valueFactory, timeToLive, cancellationToken).ConfigureAwait(false);
        return created.Value;
    }

    /// <summary>Adds or replaces a value with a synchronous Redis call and the default time to live.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    [SuppressMessage("Naming", "CA1716:Identifiers should not match keywords", Justification = "Set matches the ICache contract.")]
    public void Set(string key, TValue value) => Set(key, value, _options.DefaultTimeToLive);

    /// <summary>Adds or replaces a value with a synchronous Redis call.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <param name="timeToLive">How long the entry lives; <see cref="Timeout.InfiniteTimeSpan"/> for no expiry.</param>
    [SuppressMessage("Naming", "CA1716:Identifiers should not match keywords", Justification = "Set matches the ICache contract.")]
    public void Set(string key, TValue value, TimeSpan timeToLive)
    {
        ArgumentNullException.ThrowIfNull(key);
        RedisCacheOptions.ValidateTimeToLive(timeToLive, nameof(timeToLive));
        _database.StringSet(ValueKey(key), Encode(value), Expiry(timeToLive), When.Always);
    }

    /// <inheritdoc/>
    public ValueTask SetAsync(string key, TValue value, CancellationToken cancellationToken = default) =>
        SetAsync(key, value, _options.DefaultTimeToLive, cancellationToken);

    /// <inheritdoc/>
    public async ValueTask SetAsync(string key, TValue value, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        RedisCacheOptions.ValidateTimeToLive(timeToLive, nameof(timeToLive));
        cancellationToken.ThrowIfCancellationRequested();
        await _database.StringSetAsync(ValueKey(key), Encode(value), Expiry(timeToLive), When.Always).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes a key with a synchronous Redis call.</summary>
    /// <param name="key">The key.</param>
    /// <returns><see langword="true"/> when the key was present.</returns>
    public bool TryRemove(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _database.KeyDelete(ValueKey(key));
    }

    /// <inheritdoc/>
    public async ValueTask<bool> RemoveAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        cancellationToken.ThrowIfCancellationRequested();
        return await _database.KeyDeleteAsync(ValueKey(key)).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The remaining time to live of a key: <see langword="null"/> when the key is absent, <see cref="Timeout.InfiniteTimeSpan"/> when it never expires.</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The remaining time, or <see langword="null"/>.</returns>
    public async ValueTask<TimeSpan?> GetTimeToLiveAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        cancellationToken.ThrowIfCancellationRequested();
        RedisKey redisKey = ValueKey(key);
        TimeSpan? left = await _database.KeyTimeToLiveAsync(redisKey).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (left is not null)
        {
            return left;
        }

        bool exists = await _database.KeyExistsAsync(redisKey).WaitAsync(cancellationToken).ConfigureAwait(false);
        return exists ? Timeout.InfiniteTimeSpan : null;
    }

    /// <summary>
    /// The whole <c>GetOrAddAsync</c>, telling whether this call made the value. The factory's own exceptions
    /// propagate unchanged; Redis failures propagate as StackExchange.Redis exceptions.
    /// </summary>
    internal async ValueTask<Created> GetOrCreateAsync(string key, Func<string, CancellationToken, ValueTask<TValue>> valueFactory, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(valueFactory);
        RedisCacheOptions.ValidateTimeToLive(timeToLive, nameof(timeToLive));
        CacheLookup<TValue> first = Count(await LookAsync(key, cancellationToken).ConfigureAwait(false));
        if (first.Found)
        {
            return new Created(first.Value, false);
        }

        return await _flights.RunAsync(key, (k, state, ct) => state.Cache.CreateUnderLockAsync(k, state.Factory, state.TimeToLive, ct), (Cache: this, Factory: valueFactory, TimeToLive: timeToLive), cancellationToken).ConfigureAwait(false);
    }

    private async Task<Created> CreateUnderLockAsync(string key, Func<string, CancellationToken, ValueTask<TValue>> valueFactory, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        RedisKey lockKey = LockKey(key);
        long start = _time.GetTimestamp();
        TimeSpan pause = _options.LockRetryDelay;
        while (true)
        {
            RedisValue token = Guid.NewGuid().ToString("N");
            bool acquired = await _database.StringSetAsync(lockKey, token, _options.LockTimeout, When.NotExists).WaitAsync(cancellationToken).ConfigureAwait(false);
            if (acquired)
            {
                try
                {
                    // Another node may have stored the value between the first look and the lock.
                    CacheLookup<TValue> again = await LookAsync(key, cancellationToken).ConfigureAwait(false);
                    if (again.Found)
                    {
                        return new Created(again.Value, false);
                    }

                    TValue value = await RunFactoryHoldingLockAsync(key, lockKey, token, valueFactory, cancellationToken).ConfigureAwait(false);
                    await SetAsync(key, value, timeToLive, cancellationToken).ConfigureAwait(false);
                    return new Created(value, true);
                }
                finally
                {
                    await ReleaseAsync(key, lockKey, token).ConfigureAwait(false);
                }
            }

            // Somebody else holds the lock: pause, then see whether their value has arrived.
            double jitter = 1 + (Random.Shared.NextDouble() * 0.5);
            await Task.Delay(pause * jitter, _time, cancellationToken).ConfigureAwait(false);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, _options.LockMaxRetryDelay.Ticks));
            CacheLookup<TValue> seen = await LookAsync(key, cancellationToken).ConfigureAwait(false);
            if (seen.Found)
            {
                return new Created(seen.Value, false);
            }

            TimeSpan waited = _time.GetElapsedTime(start);
            if (waited >= _options.LockWaitTimeout)
            {
                Log.LockWaitGivenUp(_logger, key, (long)waited.TotalMilliseconds);
                Interlocked.Increment(ref _factoryRuns);
                TValue value = await valueFactory(key, cancellationToken).ConfigureAwait(false);
                await SetAsync(key, value, timeToLive, cancellationToken).ConfigureAwait(false);
                return new Created(value, true);
            }
        }
    }

    private async Task<TValue> RunFactoryHoldingLockAsync(string key, RedisKey lockKey, RedisValue token, Func<string, CancellationToken, ValueTask<TValue>> valueFactory, CancellationToken cancellationToken)
    {
        TimeSpan period = _options.LockTimeout / 3;
        var renewal = new LockRenewal(this, key, lockKey, token);
        ITimer timer = _time.CreateTimer(static state => ((LockRenewal)state!).Renew(), renewal, period, period);
        try
        {
            Interlocked.Increment(ref _factoryRuns);
            return await valueFactory(key, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            renewal.Stop();
            await timer.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task ReleaseAsync(string key, RedisKey lockKey, RedisValue token)
    {
        try
        {
            await _database.ScriptEvaluateAsync(ReleaseScript, [lockKey], [token]).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // The lock expires by itself after LockTimeout; a failed release only delays the waiters.
            Log.LockReleaseFailed(_logger, ex, key);
        }
    }

    private async ValueTask<CacheLookup<TValue>> LookAsync(string key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        RedisValue raw = await _database.StringGetAsync(ValueKey(key)).WaitAsync(cancellationToken).ConfigureAwait(false);
        return Decode(raw, key);
    }

    private CacheLookup<TValue> Count(CacheLookup<TValue> lookup)
    {
        Interlocked.Increment(ref lookup.Found ? ref _hits : ref _misses);
        return lookup;
    }

    private CacheLookup<TValue> Decode(RedisValue raw, string key)
    {
        if (raw.IsNull)
        {
            return default;
        }

        try
        {
            ReadOnlyMemory<byte> bytes = raw;
#pragma warning disable IL2026, IL3050 // The constructor carries the reflection requirement for the whole type.
            TValue value = Serializer.Deserialize<TValue>(bytes.Span, _options.Format, _serializerOptions)!;
#pragma warning restore IL2026, IL3050
            return new CacheLookup<TValue>(value);
        }
        catch (SerializationException ex)
        {
            Interlocked.Increment(ref _decodeErrors);
            Log.DecodeFailed(_logger, key, typeof(TValue).Name, _options.Format.Name, ex.Message);
            return default;
        }
    }

    private byte[] Encode(TValue value)
    {
#pragma warning disable IL2026, IL3050 // The constructor carries the reflection requirement for the whole type.
        return Serializer.Serialize(value, _options.Format, _serializerOptions);
#pragma warning restore IL2026, IL3050
    }

    private RedisKey ValueKey(string key) => _options.Prefix + "v:" + key;

    private RedisKey LockKey(string key) => _options.Prefix + "l:" + key;

    private static TimeSpan? Expiry(TimeSpan timeToLive) => timeToLive == Timeout.InfiniteTimeSpan ? null : timeToLive;

    /// <summary>A value from <c>GetOrAddAsync</c> and whether this call's factory made it.</summary>
    internal readonly record struct Created(TValue Value, bool ByThisCall);

    /// <summary>Extends a held lock from a timer; stops quietly once the lock is lost.</summary>
    private sealed class LockRenewal(RedisCache<TValue> cache, string key, RedisKey lockKey, RedisValue token)
    {
        private int _lost;
        private int _stopped;

        public void Renew()
        {
            if (Volatile.Read(ref _lost) != 0 || Volatile.Read(ref _stopped) != 0)
            {
                return;
            }

            _ = RenewAsync();
        }

        /// <summary>The factory finished: later ticks do nothing, and a renewal racing the release is not reported as a lost lock.</summary>
        public void Stop() => Volatile.Write(ref _stopped, 1);

        private async Task RenewAsync()
        {
            try
            {
                long milliseconds = (long)cache._options.LockTimeout.TotalMilliseconds;
                RedisResult result = await cache._database.ScriptEvaluateAsync(RenewScript, [lockKey], [token, milliseconds]).ConfigureAwait(false);
                if ((long)result == 0 && Volatile.Read(ref _stopped) == 0 && Interlocked.Exchange(ref _lost, 1) == 0)
                {
                    Log.LockLost(cache._logger, key);
                }
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                Log.LockReleaseFailed(cache._logger, ex, key);
            }
        }
    }
}
