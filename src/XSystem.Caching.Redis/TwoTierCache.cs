using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using XSystem.Caching.Redis.Internal;

namespace XSystem.Caching.Redis;

/// <summary>
/// An in-process cache (the local tier, an <see cref="LruCache{TKey, TValue}"/> by default) in front of a
/// <see cref="RedisCache{TValue}"/>, kept coherent across nodes through Redis pub/sub, and still serving when Redis is
/// down.
/// </summary>
/// <typeparam name="TValue">The value type; it must round-trip through the Redis value format.</typeparam>
/// <remarks>
/// <para>Reads: a local hit returns synchronously. A local miss asks Redis and keeps the answer locally. On a miss in
/// both, <c>GetOrAddAsync</c> runs the factory once per key across concurrent callers of this node (the local tier's
/// own once-per-key guarantee) and across nodes (the distributed lock of <see cref="RedisCache{TValue}"/>), stores the
/// value in Redis with its time to live, publishes an invalidation, and keeps it locally.</para>
/// <para>Writes and removals change the local tier, then Redis, then publish an invalidation naming the key on
/// <see cref="TwoTierCacheOptions.InvalidationChannel"/>; every other instance on the channel drops its local copy, so
/// its next read fetches the new value. Each message carries the sender's <see cref="InstanceId"/>, so an instance
/// ignores its own. A value read from Redis is not kept locally when an invalidation arrived during the read.</para>
/// <para>When Redis fails, the error is logged and counted (<see cref="TwoTierCacheStats.RedisErrors"/>) and the call
/// goes on without Redis: reads come from the local tier, misses run the factory here, writes stay local. A circuit
/// breaker then skips Redis for <see cref="TwoTierCacheOptions.RedisRetryDelay"/>, doubling up to
/// <see cref="TwoTierCacheOptions.RedisMaxRetryDelay"/>, so an outage costs no exception per call and no timeout
/// per call. When the connection comes back, the breaker closes and the local tier is cleared, because invalidations
/// sent while this node was cut off were lost. Writes made during the outage are not replayed to Redis.</para>
/// <para>Exceptions reaching the caller: argument errors, the factory's own exceptions, and
/// <see cref="OperationCanceledException"/> for a cancelled call; never a Redis failure.</para>
/// <para>The connection belongs to the caller; <see cref="Dispose"/> only unsubscribes.</para>
/// <para>Thread safety: every member is safe to call from any number of threads at once.</para>
/// </remarks>
public sealed class TwoTierCache<TValue> : IDistributedCache<TValue>, IDisposable
{
    private const string ReflectionMessage = "Values are encoded through the reflection-based typed path of XSystem.Serialization.";
    private const char RemoveKind = 'R';
    private const string RemoveKindText = "R";
    private const int IdLength = 32;
    private const int GenerationStripes = 64;

    private readonly RedisCache<TValue> _redis;
    private readonly ICache<string, TValue> _local;
    private readonly IConnectionMultiplexer _connection;
    private readonly ISubscriber _subscriber;
    private readonly RedisChannel _channel;
    private readonly string _channelName;
    private readonly Action<RedisChannel, RedisValue> _onMessage;
    private readonly CircuitBreaker _breaker;
    private readonly ILogger _logger;
    private readonly TimeSpan _defaultTimeToLive;
    private long _localHits;
    private long _redisHits;
    private long _misses;
    private long _factoryRuns;
    private long _redisErrors;
    private long _redisSkipped;
    private long _published;
    private long _received;
    private long _reconnects;
    private readonly long[] _keyGenerations = new long[GenerationStripes];
    private long _generation;
    private int _subscribed;
    private int _connectionDown;
    private int _disposed;

    /// <summary>Creates a two-tier cache on an existing connection.</summary>
    /// <param name="connection">The connection, ideally from <see cref="RedisConnection.ConnectAsync(string, CancellationToken)"/> (fail-fast settings). Not disposed by the cache. Redis need not be reachable yet.</param>
    /// <param name="options">Settings; <see cref="TwoTierCacheOptions.Default"/> when null.</param>
    /// <param name="localCache">The local tier; <see langword="null"/> for an <see cref="LruCache{TKey, TValue}"/> of
    /// <see cref="TwoTierCacheOptions.LocalCapacity"/> entries that expire after <see cref="TwoTierCacheOptions.LocalTimeToLive"/>.
    /// A cache passed in is used as is: give it a time to live no longer than the Redis entries'.</param>
    /// <exception cref="ArgumentException">An option is out of range (the message names it).</exception>
    [RequiresUnreferencedCode(ReflectionMessage)]
    [RequiresDynamicCode(ReflectionMessage)]
    public TwoTierCache(IConnectionMultiplexer connection, TwoTierCacheOptions? options = null, ICache<string, TValue>? localCache = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        options ??= TwoTierCacheOptions.Default;
        options.Validate(nameof(options));
        RedisCacheOptions redisOptions = options.Redis;
        _connection = connection;
        _redis = new RedisCache<TValue>(connection, redisOptions);
        _logger = redisOptions.Logger;
        _defaultTimeToLive = redisOptions.DefaultTimeToLive;
        _local = localCache ?? new LruCache<string, TValue>(
            options.LocalCapacity,
            new LruOptions
            {
                TimeToLive = options.LocalTimeToLive == Timeout.InfiniteTimeSpan ? null : options.LocalTimeToLive,
                TimeProvider = redisOptions.TimeProvider,
            },
            StringComparer.Ordinal);
        _breaker = new CircuitBreaker(redisOptions.TimeProvider, options.RedisRetryDelay, options.RedisMaxRetryDelay);
        InstanceId = Guid.NewGuid().ToString("N");
        _channelName = options.InvalidationChannel ?? redisOptions.Prefix + "invalidations";
        _channel = RedisChannel.Literal(_channelName);
        _subscriber = connection.GetSubscriber();
        _onMessage = OnMessage;
        connection.ConnectionRestored += OnConnectionRestored;
        connection.ConnectionFailed += OnConnectionFailed;
        Subscribe();
    }

    /// <summary>This instance's id, carried by its invalidation messages so it can ignore its own.</summary>
    public string InstanceId { get; }

    /// <summary>The local tier.</summary>
    public ICache<string, TValue> LocalCache => _local;

    /// <summary>The second tier (Redis). Calls made on it directly bypass the local tier and the invalidations.</summary>
    public RedisCache<TValue> RedisCache => _redis;

    /// <summary>Whether Redis is in use now: connected, and the circuit breaker closed.</summary>
    public bool IsRedisAvailable => _connection.IsConnected && !_breaker.IsOpen;

    /// <summary>Redis calls that failed since the cache was created (a shortcut for <c>Stats.RedisErrors</c>).</summary>
    public long RedisErrors => Interlocked.Read(ref _redisErrors);

    /// <summary>The counters since the cache was created.</summary>
    public TwoTierCacheStats Stats => new(
        Interlocked.Read(ref _localHits),
        Interlocked.Read(ref _redisHits),
        Interlocked.Read(ref _misses),
        Interlocked.Read(ref _factoryRuns),
        Interlocked.Read(ref _redisErrors),
        Interlocked.Read(ref _redisSkipped),
        Interlocked.Read(ref _published),
        Interlocked.Read(ref _received),
        Interlocked.Read(ref _reconnects));

    /// <summary>Looks a key up: the local tier, then (blocking for one round trip) Redis.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value when found.</param>
    /// <returns><see langword="true"/> on a hit in either tier.</returns>
    public bool TryGet(string key, [MaybeNullWhen(false)] out TValue value)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_local.TryGet(key, out value))
        {
            Interlocked.Increment(ref _localHits);
            return true;
        }

        if (RedisAllowed())
        {
            Stamp stamp = StampOf(key);
            try
            {
                if (_redis.TryGet(key, out value))
                {
                    _breaker.OnSuccess();
                    KeepLocally(key, value, stamp);
                    Interlocked.Increment(ref _redisHits);
                    return true;
                }

                _breaker.OnSuccess();
            }
            catch (Exception ex) when (IsRedisFailure(ex))
            {
                OnRedisFailure(ex, "get", key);
            }
        }

        Interlocked.Increment(ref _misses);
        value = default;
        return false;
    }

    /// <inheritdoc/>
    public ValueTask<CacheLookup<TValue>> TryGetAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_local.TryGet(key, out TValue? value))
        {
            Interlocked.Increment(ref _localHits);
            return new ValueTask<CacheLookup<TValue>>(new CacheLookup<TValue>(value));
        }

        return TryGetRemoteAsync(key, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<TValue> GetOrAddAsync(string key, Func<string, CancellationToken, ValueTask<TValue>> valueFactory, CancellationToken cancellationToken = default) =>
        GetOrAddAsync(key, valueFactory, _defaultTimeToLive, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<TValue> GetOrAddAsync(string key, Func<string, CancellationToken, ValueTask<TValue>> valueFactory, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(valueFactory);
        RedisCacheOptions.ValidateTimeToLive(timeToLive, nameof(timeToLive));
        if (_local.TryGet(key, out TValue? value))
        {
            Interlocked.Increment(ref _localHits);
            return new ValueTask<TValue>(value);
        }

        return LoadThroughLocalAsync(key, valueFactory, timeToLive, cancellationToken);
    }

    /// <summary>Adds or replaces a value with the default time to live, using synchronous Redis calls.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    [SuppressMessage("Naming", "CA1716:Identifiers should not match keywords", Justification = "Set matches the ICache contract.")]
    public void Set(string key, TValue value) => Set(key, value, _defaultTimeToLive);

    /// <summary>Adds or replaces a value using synchronous Redis calls; other nodes drop their local copies.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <param name="timeToLive">How long the Redis entry lives; <see cref="Timeout.InfiniteTimeSpan"/> for no expiry.</param>
    [SuppressMessage("Naming", "CA1716:Identifiers should not match keywords", Justification = "Set matches the ICache contract.")]
    public void Set(string key, TValue value, TimeSpan timeToLive)
    {
        ArgumentNullException.ThrowIfNull(key);
        RedisCacheOptions.ValidateTimeToLive(timeToLive, nameof(timeToLive));
        _local.Set(key, value);
        if (!RedisAllowed())
        {
            return;
        }

        try
        {
            _redis.Set(key, value, timeToLive);
            _breaker.OnSuccess();
            _subscriber.Publish(_channel, Message(key));
            Interlocked.Increment(ref _published);
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            OnRedisFailure(ex, "set", key);
        }
    }

    /// <inheritdoc/>
    public ValueTask SetAsync(string key, TValue value, CancellationToken cancellationToken = default) =>
        SetAsync(key, value, _defaultTimeToLive, cancellationToken);

    /// <inheritdoc/>
    public async ValueTask SetAsync(string key, TValue value, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        RedisCacheOptions.ValidateTimeToLive(timeToLive, nameof(timeToLive));
        cancellationToken.ThrowIfCancellationRequested();
        _local.Set(key, value);
        if (!RedisAllowed())
        {
            return;
        }

        try
        {
            await _redis.SetAsync(key, value, timeToLive, cancellationToken).ConfigureAwait(false);
            _breaker.OnSuccess();
            await PublishAsync(key, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            OnRedisFailure(ex, "set", key);
        }
    }

    /// <summary>Removes a key from both tiers using synchronous Redis calls; other nodes drop their local copies.</summary>
    /// <param name="key">The key.</param>
    /// <returns><see langword="true"/> when either tier held the key.</returns>
    public bool TryRemove(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        bool removed = _local.TryRemove(key);
        if (!RedisAllowed())
        {
            return removed;
        }

        try
        {
            removed |= _redis.TryRemove(key);
            _breaker.OnSuccess();
            _subscriber.Publish(_channel, Message(key));
            Interlocked.Increment(ref _published);
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            OnRedisFailure(ex, "remove", key);
        }

        return removed;
    }

    /// <inheritdoc/>
    public async ValueTask<bool> RemoveAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        cancellationToken.ThrowIfCancellationRequested();
        bool removed = _local.TryRemove(key);
        if (!RedisAllowed())
        {
            return removed;
        }

        try
        {
            removed |= await _redis.RemoveAsync(key, cancellationToken).ConfigureAwait(false);
            _breaker.OnSuccess();
            await PublishAsync(key, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            OnRedisFailure(ex, "remove", key);
        }

        return removed;
    }

    /// <summary>Empties this instance's local tier only; Redis and other nodes are untouched.</summary>
    public void ClearLocal()
    {
        Interlocked.Increment(ref _generation);
        _local.Clear();
    }

    /// <summary>Unsubscribes from invalidations and connection events. The connection stays open (it is the caller's).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _connection.ConnectionRestored -= OnConnectionRestored;
        _connection.ConnectionFailed -= OnConnectionFailed;
        _subscriber.Unsubscribe(_channel, _onMessage, CommandFlags.FireAndForget);
    }

    private async ValueTask<CacheLookup<TValue>> TryGetRemoteAsync(string key, CancellationToken cancellationToken)
    {
        if (RedisAllowed())
        {
            Stamp stamp = StampOf(key);
            try
            {
                CacheLookup<TValue> lookup = await _redis.TryGetAsync(key, cancellationToken).ConfigureAwait(false);
                _breaker.OnSuccess();
                if (lookup.Found)
                {
                    KeepLocally(key, lookup.Value, stamp);
                    Interlocked.Increment(ref _redisHits);
                    return lookup;
                }
            }
            catch (Exception ex) when (IsRedisFailure(ex))
            {
                OnRedisFailure(ex, "get", key);
            }
        }

        Interlocked.Increment(ref _misses);
        return default;
    }

    private async ValueTask<TValue> LoadThroughLocalAsync(string key, Func<string, CancellationToken, ValueTask<TValue>> valueFactory, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        Stamp stamp = StampOf(key);

        // The local tier runs the loader once per key across this node's callers and keeps its result.
        TValue value = await _local.GetOrAddAsync(key, (k, ct) => LoadAsync(k, valueFactory, timeToLive, ct), cancellationToken).ConfigureAwait(false);
        if (StampOf(key) != stamp)
        {
            // An invalidation (or reconnect) arrived while loading: the value kept locally may be stale already.
            _local.TryRemove(key);
        }

        return value;
    }

    private async ValueTask<TValue> LoadAsync(string key, Func<string, CancellationToken, ValueTask<TValue>> valueFactory, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        if (!RedisAllowed())
        {
            return await RunFactoryAsync(key, valueFactory, cancellationToken).ConfigureAwait(false);
        }

        var run = new FactoryRun(this, valueFactory);
        try
        {
            RedisCache<TValue>.Created created = await _redis.GetOrCreateAsync(key, run.InvokeAsync, timeToLive, cancellationToken).ConfigureAwait(false);
            _breaker.OnSuccess();
            if (!created.ByThisCall)
            {
                Interlocked.Increment(ref _redisHits);
                return created.Value;
            }

            await PublishAsync(key, cancellationToken).ConfigureAwait(false);
            return created.Value;
        }
        catch (Exception ex) when (IsRedisFailure(ex) && !run.Failed)
        {
            OnRedisFailure(ex, "get-or-add", key);
            if (run.Completed)
            {
                // The factory ran; only storing or announcing its value failed. Do not run it twice.
                return run.Value!;
            }

            return await RunFactoryAsync(key, valueFactory, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask<TValue> RunFactoryAsync(string key, Func<string, CancellationToken, ValueTask<TValue>> valueFactory, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _misses);
        Interlocked.Increment(ref _factoryRuns);
        return await valueFactory(key, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask PublishAsync(string key, CancellationToken cancellationToken)
    {
        await _subscriber.PublishAsync(_channel, Message(key)).WaitAsync(cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _published);
    }

    private RedisValue Message(string key) => string.Concat(RemoveKindText, InstanceId, key);

    private void OnMessage(RedisChannel channel, RedisValue message)
    {
        string? text = message;
        if (text is null || text.Length < 1 + IdLength || text[0] != RemoveKind)
        {
            Log.MalformedInvalidation(_logger, _channelName);
            return;
        }

        if (text.AsSpan(1, IdLength).SequenceEqual(InstanceId))
        {
            return;
        }

        string key = text[(1 + IdLength)..];
        Interlocked.Increment(ref _keyGenerations[StripeOf(key)]);
        _local.TryRemove(key);
        Interlocked.Increment(ref _received);
    }

    private void KeepLocally(string key, TValue value, Stamp stamp)
    {
        // Skip when an invalidation for this key (or its stripe), a clear or a reconnect happened during the read:
        // the value read may be the one just replaced.
        if (StampOf(key) == stamp)
        {
            _local.Set(key, value);
        }
    }

    private static int StripeOf(string key) => (int)((uint)StringComparer.Ordinal.GetHashCode(key) % GenerationStripes);

    private Stamp StampOf(string key) => new(Volatile.Read(ref _generation), Volatile.Read(ref _keyGenerations[StripeOf(key)]));

    /// <summary>The invalidation counters a read started under: everything, and the key's stripe.</summary>
    private readonly record struct Stamp(long All, long Stripe);

    private bool RedisAllowed()
    {
        if (_breaker.IsOpen)
        {
            Interlocked.Increment(ref _redisSkipped);
            return false;
        }

        if (Volatile.Read(ref _subscribed) == 0)
        {
            Subscribe();
        }

        return true;
    }

    private static bool IsRedisFailure(Exception ex) => ex is RedisException or TimeoutException;

    private void OnRedisFailure(Exception ex, string operation, string key)
    {
        Interlocked.Increment(ref _redisErrors);
        if (_breaker.OnFailure() is { } pause)
        {
            Log.RedisCircuitOpened(_logger, ex, operation, key, (long)pause.TotalMilliseconds);
        }
        else
        {
            Log.RedisFailed(_logger, ex, operation, key);
        }
    }

    private void Subscribe()
    {
        // One subscription per instance; StackExchange.Redis restores it by itself after a reconnect. A subscription
        // that failed (Redis down at start) is retried on the next Redis call or reconnect.
        if (Interlocked.CompareExchange(ref _subscribed, 1, 0) != 0)
        {
            return;
        }

        try
        {
            _subscriber.Subscribe(_channel, _onMessage);
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            // Drop a half-made registration so the retry does not add the handler twice.
            try
            {
                _subscriber.Unsubscribe(_channel, _onMessage, CommandFlags.FireAndForget);
            }
            catch (Exception cleanup) when (IsRedisFailure(cleanup))
            {
                Log.RedisFailed(_logger, cleanup, "unsubscribe", _channelName);
            }

            Volatile.Write(ref _subscribed, 0);
            Interlocked.Increment(ref _redisErrors);
            Log.ResubscribeFailed(_logger, ex, _channelName);
        }
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        Interlocked.Increment(ref _redisErrors);
        _breaker.OnFailure();
        if (Interlocked.Exchange(ref _connectionDown, 1) == 0)
        {
            Log.RedisConnectionFailed(_logger, e.Exception, e.ConnectionType, e.FailureType);
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        // Invalidations published while this node was cut off never arrived, so every local entry is suspect.
        Volatile.Write(ref _connectionDown, 0);
        _breaker.Reset();
        Interlocked.Increment(ref _generation);
        _local.Clear();
        Interlocked.Increment(ref _reconnects);
        Log.RedisRestored(_logger, e.ConnectionType);
        if (Volatile.Read(ref _subscribed) == 0)
        {
            Subscribe();
        }
    }

    /// <summary>Wraps the caller's factory to tell apart "the factory failed" from "Redis failed after the factory ran".</summary>
    private sealed class FactoryRun(TwoTierCache<TValue> owner, Func<string, CancellationToken, ValueTask<TValue>> valueFactory)
    {
        public bool Completed { get; private set; }

        public bool Failed { get; private set; }

        public TValue? Value { get; private set; }

        public async ValueTask<TValue> InvokeAsync(string key, CancellationToken cancellationToken)
        {
            try
            {
                TValue value = await owner.RunFactoryAsync(key, valueFactory, cancellationToken).ConfigureAwait(false);
                Value = value;
                Completed = true;
                return value;
            }
            catch
            {
                Failed = true;
                throw;
            }
        }
    }
}
