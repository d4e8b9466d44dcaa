using System.Diagnostics.CodeAnalysis;
using XSystem.IO;

namespace XSystem.Ipc;

/// <summary>
/// A durable on-disk message queue in a directory, shared by any number of producer and consumer processes on one
/// machine, with at-least-once delivery: a dequeued message is leased to its consumer until it calls
/// <see cref="FileQueueMessage{T}.Ack"/>; if the consumer dies or the lease times out, the message is delivered again.
/// </summary>
/// <typeparam name="T">The message type, encoded as MessagePack (contractless, untrusted-data security, never typeless).</typeparam>
/// <remarks>
/// <para>Layout: append-only segment files <c>000000000000.seg</c>, ... holding framed records
/// <c>[length][CRC-32C][payload]</c>; <c>consumer.state</c> (acknowledged mark, delivery cursor and leases, replaced
/// atomically with <see cref="AtomicFile"/>); <c>queue.lock</c>, a <see cref="FileLock"/> (flock) that serializes every
/// operation across processes. A segment rolls over at <see cref="FileMessageQueueOptions.SegmentSize"/> and is deleted
/// once every message in it is acknowledged.</para>
/// <para>Crash behaviour: a producer killed mid-append leaves a torn tail record, detected by its length/CRC and
/// truncated by the next producer (a reader treats it as "nothing yet"); the message was never confirmed because
/// <c>Enqueue</c> had not returned. A consumer killed at any point loses nothing: unacknowledged messages come back after
/// <see cref="FileMessageQueueOptions.LeaseTimeout"/>. A record whose checksum fails in the middle of a segment is
/// skipped and counted (<see cref="FileQueueStats.CorruptRecords"/>); an unreadable length field ends the readable
/// part of its segment. A damaged segment header or state file raises <see cref="FileQueueCorruptedException"/>.</para>
/// <para>Ordering: FIFO in append order for first deliveries; redelivered messages come before new ones.</para>
/// <para>Thread safety: every member is safe to call from any thread and from several processes at once.</para>
/// </remarks>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "Queue is the natural name.")]
public sealed class FileMessageQueue<T> : IDisposable
{
    private readonly FileQueueEngine _engine;
    private readonly FileMessageQueueOptions _options;

    /// <summary>Opens the queue in <paramref name="directory"/>, creating the directory when missing.</summary>
    /// <param name="directory">The queue directory; every process that shares the queue uses the same one.</param>
    /// <param name="options">Options; default <see cref="FileMessageQueueOptions.Default"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is null or empty, or an option is invalid.</exception>
    public FileMessageQueue(string directory, FileMessageQueueOptions? options = null)
    {
        Guard.NotNullOrEmptyPath(directory);
        _options = options ?? FileMessageQueueOptions.Default;
        _options.Validate();
        _engine = new FileQueueEngine(directory, _options, create: true);
    }

    /// <summary>The full path of the queue directory.</summary>
    public string Directory => _engine.Directory;

    /// <summary>Appends a message. When this returns the message is in the file (and fsynced under
    /// <see cref="FileQueueSyncMode.EveryWrite"/>); a crash of this process after that loses nothing.</summary>
    /// <param name="value">The message.</param>
    /// <returns>The message id.</returns>
    /// <exception cref="ArgumentException">The encoded message is larger than <see cref="FileMessageQueueOptions.MaxMessageSize"/>.</exception>
    /// <exception cref="XSystem.Serialization.SerializationException">The value cannot be encoded as MessagePack.</exception>
    /// <exception cref="FileLockTimeoutException">Another process held the queue lock for <see cref="FileMessageQueueOptions.LockTimeout"/>.</exception>
    /// <exception cref="FileQueueCorruptedException">The tail segment is damaged.</exception>
    public long Enqueue(T value)
    {
        byte[] payload = IpcCodec.Serialize(value);
        using FileLock held = _engine.Lock();
        return _engine.Append(payload);
    }

    /// <summary>Appends a message, waiting for the cross-process lock asynchronously (the file write itself is synchronous).</summary>
    /// <param name="value">The message.</param>
    /// <param name="cancellationToken">Cancels the wait for the lock.</param>
    /// <returns>The message id.</returns>
    /// <exception cref="ArgumentException">The encoded message is larger than <see cref="FileMessageQueueOptions.MaxMessageSize"/>.</exception>
    /// <exception cref="FileLockTimeoutException">Another process held the queue lock for <see cref="FileMessageQueueOptions.LockTimeout"/>.</exception>
    public async ValueTask<long> EnqueueAsync(T value, CancellationToken cancellationToken = default)
    {
        byte[] payload = IpcCodec.Serialize(value);
        using FileLock held = await _engine.LockAsync(cancellationToken).ConfigureAwait(false);
        return _engine.Append(payload);
    }

    /// <summary>Takes the next message if one is waiting (or a lease has expired); never waits for new messages.</summary>
    /// <param name="message">The leased message; call <see cref="FileQueueMessage{T}.Ack"/> when done.</param>
    /// <returns>True when a message was leased.</returns>
    /// <exception cref="XSystem.Serialization.SerializationException">The message does not decode as <typeparamref name="T"/>
    /// (it stays leased and comes back after the lease timeout).</exception>
    public bool TryDequeue([NotNullWhen(true)] out FileQueueMessage<T>? message)
    {
        (long Id, byte[] Payload, int Deliveries)? taken;
        using (FileLock held = _engine.Lock())
        {
            taken = _engine.Take();
        }

        message = taken is { } t ? new FileQueueMessage<T>(this, t.Id, IpcCodec.Deserialize<T>(t.Payload), t.Deliveries) : null;
        return message is not null;
    }

    /// <summary>Takes the next message, polling every <see cref="FileMessageQueueOptions.PollInterval"/> while the queue is empty.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The leased message; call <see cref="FileQueueMessage{T}.Ack"/> when done.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async ValueTask<FileQueueMessage<T>> DequeueAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            (long Id, byte[] Payload, int Deliveries)? taken;
            using (FileLock held = await _engine.LockAsync(cancellationToken).ConfigureAwait(false))
            {
                taken = _engine.Take();
            }

            if (taken is { } t)
            {
                return new FileQueueMessage<T>(this, t.Id, IpcCodec.Deserialize<T>(t.Payload), t.Deliveries);
            }

            await Task.Delay(_options.PollInterval, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Counts pending and in-flight messages, segments and bytes.</summary>
    /// <returns>A snapshot.</returns>
    public FileQueueStats GetStats()
    {
        using FileLock held = _engine.Lock();
        return _engine.Stats();
    }

    /// <summary>Fsyncs appended records now (useful with <see cref="FileQueueSyncMode.Batched"/> before a planned shutdown).</summary>
    public void Flush() => _engine.Flush();

    /// <summary>Closes the files (fsyncing pending writes unless the mode is <see cref="FileQueueSyncMode.Never"/>). The directory stays.</summary>
    public void Dispose() => _engine.Dispose();

    internal bool Settle(long id, bool ack)
    {
        using FileLock held = _engine.Lock();
        return _engine.Settle(id, ack);
    }

    internal async ValueTask<bool> SettleAsync(long id, bool ack, CancellationToken cancellationToken)
    {
        using FileLock held = await _engine.LockAsync(cancellationToken).ConfigureAwait(false);
        return _engine.Settle(id, ack);
    }
}

/// <summary>A message leased from a <see cref="FileMessageQueue{T}"/>.</summary>
/// <typeparam name="T">The message type.</typeparam>
/// <remarks>Thread safety: the members are safe to call from any thread; settle a message once.</remarks>
public sealed class FileQueueMessage<T>
{
    private readonly FileMessageQueue<T> _queue;

    internal FileQueueMessage(FileMessageQueue<T> queue, long id, T value, int deliveryCount)
    {
        _queue = queue;
        Id = id;
        Value = value;
        DeliveryCount = deliveryCount;
    }

    /// <summary>The message id: the segment index in the high 24 bits and the byte offset in the low 40 bits. Stable across redeliveries.</summary>
    public long Id { get; }

    /// <summary>The message.</summary>
    public T Value { get; }

    /// <summary>How often this message has been delivered, this delivery included (1 on the first delivery).</summary>
    public int DeliveryCount { get; }

    /// <summary>Acknowledges the message: it is removed for good.</summary>
    /// <returns>False when it was already acknowledged (for example by a consumer that received it again after this lease expired).</returns>
    public bool Ack() => _queue.Settle(Id, ack: true);

    /// <summary>Acknowledges the message, waiting for the lock asynchronously.</summary>
    /// <param name="cancellationToken">Cancels the wait for the lock.</param>
    /// <returns>False when it was already acknowledged.</returns>
    public ValueTask<bool> AckAsync(CancellationToken cancellationToken = default) => _queue.SettleAsync(Id, ack: true, cancellationToken);

    /// <summary>Gives the message back: it is delivered again on the next dequeue, before new messages.</summary>
    /// <returns>False when it was already acknowledged.</returns>
    public bool Nack() => _queue.Settle(Id, ack: false);
}

/// <summary>Read-only inspection of a file queue directory (used by <c>xsys queue</c>).</summary>
/// <remarks>Thread safety: the members are safe to call from any thread and while other processes use the queue.</remarks>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "Companion of FileMessageQueue<T>.")]
public static class FileMessageQueue
{
    /// <summary>Counts pending and in-flight messages, segments and bytes of the queue in <paramref name="directory"/>.</summary>
    /// <param name="directory">An existing queue directory.</param>
    /// <param name="options">Options (lock timeout); default <see cref="FileMessageQueueOptions.Default"/>.</param>
    /// <returns>A snapshot.</returns>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="FileQueueCorruptedException">A segment header or the state file is damaged.</exception>
    public static FileQueueStats GetStats(string directory, FileMessageQueueOptions? options = null)
    {
        Guard.NotNullOrEmptyPath(directory);
        using var engine = new FileQueueEngine(directory, options ?? FileMessageQueueOptions.Default, create: false);
        using FileLock held = engine.Lock();
        return engine.Stats();
    }

    /// <summary>Returns up to <paramref name="count"/> unacknowledged records in log order without consuming them.</summary>
    /// <param name="directory">An existing queue directory.</param>
    /// <param name="count">The most records to return.</param>
    /// <param name="options">Options (lock timeout); default <see cref="FileMessageQueueOptions.Default"/>.</param>
    /// <returns>The records.</returns>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="FileQueueCorruptedException">A segment header or the state file is damaged.</exception>
    public static IReadOnlyList<FileQueueRecord> Peek(string directory, int count = 10, FileMessageQueueOptions? options = null)
    {
        Guard.NotNullOrEmptyPath(directory);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        using var engine = new FileQueueEngine(directory, options ?? FileMessageQueueOptions.Default, create: false);
        using FileLock held = engine.Lock();
        return [.. engine.Walk(engine.LoadState()).Take(count)];
    }
}
