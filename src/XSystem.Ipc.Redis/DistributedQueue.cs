using System.Diagnostics.CodeAnalysis;
using StackExchange.Redis;
using XSystem.Serialization;
using XSystem.Serialization.MessagePack;

namespace XSystem.Ipc.Redis;

/// <summary>
/// A queue shared by processes on many machines, on a Redis Stream with a consumer group: at-least-once delivery,
/// acknowledgement, takeover of messages whose consumer died, and a dead-letter stream for messages that keep failing.
/// </summary>
/// <typeparam name="T">The message type, encoded as MessagePack (contractless, untrusted-data security, never typeless).</typeparam>
/// <remarks>
/// <para>Enqueue is XADD (with <c>MAXLEN ~</c> when <see cref="DistributedQueueOptions.MaxLength"/> is set). Dequeue
/// first takes over one entry that another consumer left unacknowledged for
/// <see cref="DistributedQueueOptions.ClaimIdleTime"/> (XAUTOCLAIM), then reads one new entry (XREADGROUP &gt;). The
/// group is created on first use (XGROUP CREATE ... MKSTREAM, starting at the beginning of the stream). A taken-over
/// entry whose delivery count (from XPENDING) exceeds <see cref="DistributedQueueOptions.MaxDeliveries"/> is copied to
/// the dead-letter stream and acknowledged in one MULTI/EXEC transaction.</para>
/// <para>Ordering: new messages are delivered in stream order; a taken-over message comes before new ones. With several
/// consumers, processing order across consumers is not defined.</para>
/// <para>Errors: when Redis cannot be reached every operation throws <see cref="DistributedQueueUnavailableException"/>
/// naming the endpoint.</para>
/// <para>Thread safety: all members are safe to call from any thread; one instance is one consumer.</para>
/// </remarks>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "Queue is the natural name.")]
public sealed class DistributedQueue<T> : IAsyncDisposable
{
    private const string ValueField = "v";
    private static readonly MessagePackFormat Format = new();
    private readonly IConnectionMultiplexer _connection;
    private readonly bool _ownsConnection;
    private readonly IDatabase _db;
    private readonly DistributedQueueOptions _options;
    private readonly RedisKey _key;
    private readonly RedisKey _deadKey;
    private volatile bool _groupReady;
    private string _claimCursor = "0-0";

    /// <summary>Creates a queue on an existing connection (which the queue does not dispose).</summary>
    /// <param name="connection">The Redis connection.</param>
    /// <param name="streamKey">The Redis key of the stream.</param>
    /// <param name="options">Options; defaults when null.</param>
    /// <exception cref="ArgumentException"><paramref name="streamKey"/> is empty or an option is invalid.</exception>
    public DistributedQueue(IConnectionMultiplexer connection, string streamKey, DistributedQueueOptions? options = null)
        : this(connection, streamKey, options, ownsConnection: false)
    {
    }

    internal DistributedQueue(IConnectionMultiplexer connection, string streamKey, DistributedQueueOptions? options, bool ownsConnection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentException.ThrowIfNullOrEmpty(streamKey);
        _options = options ?? new DistributedQueueOptions();
        _options.Validate();
        _connection = connection;
        _ownsConnection = ownsConnection;
        _db = connection.GetDatabase();
        _key = streamKey;
        _deadKey = _options.DeadLetterKey ?? streamKey + ":dead";
        StreamKey = streamKey;
    }

    /// <summary>The Redis key of the stream.</summary>
    public string StreamKey { get; }

    /// <summary>The Redis key of the dead-letter stream.</summary>
    public string DeadLetterKey => _deadKey.ToString();

    /// <summary>This consumer's name in the group.</summary>
    public string ConsumerName => _options.ConsumerName;

    /// <summary>Appends a message to the stream.</summary>
    /// <param name="value">The message.</param>
    /// <param name="cancellationToken">Stops waiting for the reply (the command may still run).</param>
    /// <returns>The stream entry id.</returns>
    /// <exception cref="DistributedQueueUnavailableException">Redis cannot be reached.</exception>
    /// <exception cref="SerializationException">The value cannot be encoded as MessagePack.</exception>
    public async Task<string> EnqueueAsync(T value, CancellationToken cancellationToken = default)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        Format.Serialize(value, buffer, SerializerOptions.Default);
        byte[] payload = buffer.WrittenSpan.ToArray();
        RedisValue id = await Run(
            () => _db.StreamAddAsync(_key, ValueField, payload, null, _options.MaxLength, useApproximateMaxLength: true, limit: null, StreamTrimMode.KeepReferences),
            cancellationToken).ConfigureAwait(false);
        return id.ToString();
    }

    /// <summary>Takes one message if one is available now: first one abandoned by a dead consumer, then a new one.</summary>
    /// <param name="cancellationToken">Stops waiting for the replies.</param>
    /// <returns>The message, or null when none is available.</returns>
    /// <exception cref="DistributedQueueUnavailableException">Redis cannot be reached.</exception>
    /// <exception cref="SerializationException">The entry does not decode as <typeparamref name="T"/> (it stays pending and
    /// is dead-lettered once it has been delivered too often).</exception>
    public async Task<DistributedMessage<T>?> TryDequeueAsync(CancellationToken cancellationToken = default)
    {
        await EnsureGroupAsync(cancellationToken).ConfigureAwait(false);
        DistributedMessage<T>? claimed = await TryClaimAsync(cancellationToken).ConfigureAwait(false);
        if (claimed is not null)
        {
            return claimed;
        }

        StreamEntry[] entries = await Run(
            () => _db.StreamReadGroupAsync(_key, _options.GroupName, _options.ConsumerName, StreamPosition.NewMessages, 1),
            cancellationToken).ConfigureAwait(false);
        return entries.Length == 0 ? null : ToMessage(entries[0], 1);
    }

    /// <summary>Takes one message, polling every <see cref="DistributedQueueOptions.PollInterval"/> while none is available.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The message; acknowledge it with <see cref="DistributedMessage{T}.AckAsync"/> once processed.</returns>
    /// <exception cref="DistributedQueueUnavailableException">Redis cannot be reached.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<DistributedMessage<T>> DequeueAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (await TryDequeueAsync(cancellationToken).ConfigureAwait(false) is { } message)
            {
                return message;
            }

            await Task.Delay(_options.PollInterval, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Acknowledges a message by id (XACK); it is then never delivered again.</summary>
    /// <param name="id">The stream entry id.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>False when the message was not pending (already acknowledged or dead-lettered).</returns>
    /// <exception cref="DistributedQueueUnavailableException">Redis cannot be reached.</exception>
    public async Task<bool> AckAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        long count = await Run(() => _db.StreamAcknowledgeAsync(_key, _options.GroupName, id), cancellationToken).ConfigureAwait(false);
        return count > 0;
    }

    /// <summary>Counts the group's delivered but unacknowledged messages (XPENDING summary).</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The number of pending messages.</returns>
    /// <exception cref="DistributedQueueUnavailableException">Redis cannot be reached.</exception>
    public async Task<long> GetPendingCountAsync(CancellationToken cancellationToken = default)
    {
        await EnsureGroupAsync(cancellationToken).ConfigureAwait(false);
        StreamPendingInfo info = await Run(() => _db.StreamPendingAsync(_key, _options.GroupName), cancellationToken).ConfigureAwait(false);
        return info.PendingMessageCount;
    }

    /// <summary>Reads the oldest entries of the dead-letter stream (they stay there).</summary>
    /// <param name="count">The most entries to return.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The dead letters, oldest first.</returns>
    /// <exception cref="DistributedQueueUnavailableException">Redis cannot be reached.</exception>
    public async Task<IReadOnlyList<DeadLetter<T>>> GetDeadLettersAsync(int count = 100, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        StreamEntry[] entries = await Run(() => _db.StreamRangeAsync(_deadKey, "-", "+", count), cancellationToken).ConfigureAwait(false);
        var result = new List<DeadLetter<T>>(entries.Length);
        foreach (StreamEntry entry in entries)
        {
            result.Add(new DeadLetter<T>(
                entry.Id.ToString(),
                entry["id"].ToString(),
                Decode((byte[])entry[ValueField]!),
                (long)entry["deliveries"]));
        }

        return result;
    }

    /// <summary>Closes the connection if the queue opened it (<see cref="DistributedQueue.ConnectAsync"/>).</summary>
    /// <returns>A task that completes when closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_ownsConnection)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<DistributedMessage<T>?> TryClaimAsync(CancellationToken cancellationToken)
    {
        long idleMs = (long)_options.ClaimIdleTime.TotalMilliseconds;
        while (true)
        {
            string cursor = Volatile.Read(ref _claimCursor);
            StreamAutoClaimResult result = await Run(
                () => _db.StreamAutoClaimAsync(_key, _options.GroupName, _options.ConsumerName, idleMs, cursor, 1),
                cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _claimCursor, result.NextStartId.IsNullOrEmpty ? "0-0" : result.NextStartId.ToString());
            if (result.ClaimedEntries is not { Length: > 0 } claimed)
            {
                return null;
            }

            StreamEntry entry = claimed[0];
            StreamPendingMessageInfo[] pending = await Run(
                () => _db.StreamPendingMessagesAsync(_key, _options.GroupName, 1, RedisValue.Null, entry.Id, entry.Id),
                cancellationToken).ConfigureAwait(false);
            int deliveries = pending.Length > 0 ? pending[0].DeliveryCount : 1;
            if (deliveries <= _options.MaxDeliveries)
            {
                return ToMessage(entry, deliveries);
            }

            await DeadLetterAsync(entry, deliveries - 1, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task DeadLetterAsync(StreamEntry entry, int deliveries, CancellationToken cancellationToken)
    {
        ITransaction transaction = _db.CreateTransaction();
        _ = transaction.StreamAddAsync(_deadKey, [
            new NameValueEntry(ValueField, entry[ValueField]),
            new NameValueEntry("id", entry.Id),
            new NameValueEntry("deliveries", deliveries),
        ]);
        _ = transaction.StreamAcknowledgeAsync(_key, _options.GroupName, entry.Id);
        await Run(() => transaction.ExecuteAsync(), cancellationToken).ConfigureAwait(false);
    }

    private DistributedMessage<T> ToMessage(StreamEntry entry, int deliveries)
    {
        RedisValue raw = entry[ValueField];
        if (raw.IsNull)
        {
            throw new SerializationException(Format.Name, $"stream entry {entry.Id} of '{StreamKey}' has no '{ValueField}' field; it was not written by DistributedQueue");
        }

        return new DistributedMessage<T>(this, entry.Id.ToString(), Decode((byte[])raw!), deliveries);
    }

    private static T Decode(byte[] payload) => Format.Deserialize<T>(payload, SerializerOptions.Default)!;

    private async Task EnsureGroupAsync(CancellationToken cancellationToken)
    {
        if (_groupReady)
        {
            return;
        }

        try
        {
            await Run(() => _db.StreamCreateConsumerGroupAsync(_key, _options.GroupName, StreamPosition.Beginning, createStream: true), cancellationToken).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (ex.Message.Contains("BUSYGROUP", StringComparison.Ordinal))
        {
            // The group exists already.
        }

        _groupReady = true;
    }

    private async Task<TResult> Run<TResult>(Func<Task<TResult>> command, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return await command().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException)
        {
            throw Unavailable(_connection.Configuration, ex);
        }
    }

    internal static DistributedQueueUnavailableException Unavailable(string endpoint, Exception inner) => new(
        $"Redis at '{endpoint}' is unreachable or did not answer in time ({inner.Message}). Check that the server runs and the address is right.",
        inner);
}

/// <summary>A message taken from a <see cref="DistributedQueue{T}"/>; pending in the group until acknowledged.</summary>
/// <typeparam name="T">The message type.</typeparam>
/// <remarks>Thread safety: immutable; <see cref="AckAsync"/> may be called from any thread.</remarks>
public sealed class DistributedMessage<T>
{
    private readonly DistributedQueue<T> _queue;

    internal DistributedMessage(DistributedQueue<T> queue, string id, T value, int deliveryCount)
    {
        _queue = queue;
        Id = id;
        Value = value;
        DeliveryCount = deliveryCount;
    }

    /// <summary>The stream entry id.</summary>
    public string Id { get; }

    /// <summary>The message.</summary>
    public T Value { get; }

    /// <summary>How often the message has been delivered, this delivery included.</summary>
    public int DeliveryCount { get; }

    /// <summary>Acknowledges the message (XACK).</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>False when it was no longer pending (another consumer took it over and acknowledged it, or it was dead-lettered).</returns>
    public Task<bool> AckAsync(CancellationToken cancellationToken = default) => _queue.AckAsync(Id, cancellationToken);
}

/// <summary>Factory for <see cref="DistributedQueue{T}"/> instances that own their connection.</summary>
/// <remarks>Thread safety: the members are safe to call from any thread.</remarks>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "Companion of DistributedQueue<T>.")]
public static class DistributedQueue
{
    /// <summary>Connects to Redis and creates a queue that owns (and on dispose closes) the connection.</summary>
    /// <typeparam name="T">The message type.</typeparam>
    /// <param name="configuration">A StackExchange.Redis configuration string, such as <c>"localhost:6379"</c>.</param>
    /// <param name="streamKey">The Redis key of the stream.</param>
    /// <param name="options">Options; defaults when null.</param>
    /// <param name="cancellationToken">Cancels the wait for the connection.</param>
    /// <returns>The queue.</returns>
    /// <exception cref="DistributedQueueUnavailableException">Redis cannot be reached.</exception>
    public static async Task<DistributedQueue<T>> ConnectAsync<T>(string configuration, string streamKey, DistributedQueueOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(configuration);
        ConfigurationOptions config = ConfigurationOptions.Parse(configuration);
        config.AbortOnConnectFail = true;
        ConnectionMultiplexer connection;
        try
        {
            connection = await ConnectionMultiplexer.ConnectAsync(config).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (RedisConnectionException ex)
        {
            throw DistributedQueue<T>.Unavailable(configuration, ex);
        }

        try
        {
            return new DistributedQueue<T>(connection, streamKey, options, ownsConnection: true);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

}
