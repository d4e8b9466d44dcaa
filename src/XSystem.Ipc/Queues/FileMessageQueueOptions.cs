namespace XSystem.Ipc;

/// <summary>When a <see cref="FileMessageQueue{T}"/> forces appended records to stable storage (fsync).</summary>
public enum FileQueueSyncMode
{
    /// <summary>Never fsync; the operating system writes the pages back when it likes. A killed process loses nothing
    /// (written data lives in the kernel's page cache); a power failure or kernel crash may lose recent messages.</summary>
    Never = 0,

    /// <summary>Fsync at most once per <see cref="FileMessageQueueOptions.SyncInterval"/>: on the first enqueue after the
    /// interval has passed, on <see cref="FileMessageQueue{T}.Flush"/> and on dispose. The default: a killed process loses
    /// nothing; a power failure may lose the messages of the last interval.</summary>
    Batched = 1,

    /// <summary>Fsync every appended record (and the consumer state) before the call returns: survives power failure, slowest.</summary>
    EveryWrite = 2,
}

/// <summary>Options for <see cref="FileMessageQueue{T}"/>.</summary>
/// <remarks>Thread safety: set the options before creating the queue; they are read once and validated then.</remarks>
public sealed class FileMessageQueueOptions
{
    /// <summary>The shared default options.</summary>
    public static FileMessageQueueOptions Default { get; } = new();

    /// <summary>A segment file rolls over to a new one once it holds this many bytes. Default 16 MiB; at least 4 KiB.</summary>
    public long SegmentSize { get; init; } = 16L * 1024 * 1024;

    /// <summary>The largest encoded message accepted by <c>Enqueue</c>. Default 16 MiB; at most 256 MiB.</summary>
    public int MaxMessageSize { get; init; } = 16 * 1024 * 1024;

    /// <summary>When appended records are fsynced. Default <see cref="FileQueueSyncMode.Batched"/>.</summary>
    public FileQueueSyncMode SyncMode { get; init; } = FileQueueSyncMode.Batched;

    /// <summary>The fsync interval for <see cref="FileQueueSyncMode.Batched"/>. Default 200 ms.</summary>
    public TimeSpan SyncInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long a dequeued message stays leased to its consumer; an unacknowledged message is delivered again
    /// after this time (at-least-once delivery). Default 30 seconds.</summary>
    public TimeSpan LeaseTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often <c>DequeueAsync</c> looks for new messages while the queue is empty. Default 20 ms.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>The longest wait for the cross-process lock before an operation fails. Default 30 seconds.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The clock for leases and batched fsync. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(SegmentSize, 4096, nameof(SegmentSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxMessageSize, 1, nameof(MaxMessageSize));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxMessageSize, SegmentLog.HardMaxRecord, nameof(MaxMessageSize));
        if (!Enum.IsDefined(SyncMode))
        {
            throw new ArgumentOutOfRangeException(nameof(SyncMode), SyncMode, "Unknown sync mode.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(SyncInterval, TimeSpan.Zero, nameof(SyncInterval));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(LeaseTimeout, TimeSpan.Zero, nameof(LeaseTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(PollInterval, TimeSpan.Zero, nameof(PollInterval));
        Guard.NonNegativeTimeout(LockTimeout);
        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
    }
}

/// <summary>A snapshot of a <see cref="FileMessageQueue{T}"/> directory.</summary>
/// <param name="Pending">Messages not yet acknowledged (waiting plus in flight).</param>
/// <param name="InFlight">Messages delivered to a consumer and not yet acknowledged.</param>
/// <param name="Segments">Segment files in the directory.</param>
/// <param name="Bytes">Total size of the segment files.</param>
/// <param name="CorruptRecords">Records skipped because their checksum failed.</param>
/// <remarks>Thread safety: immutable.</remarks>
public sealed record FileQueueStats(long Pending, long InFlight, int Segments, long Bytes, long CorruptRecords);

/// <summary>One raw record of a file queue, as returned by <see cref="FileMessageQueue.Peek"/>.</summary>
/// <param name="Id">The message id (segment index and byte offset, see <see cref="FileQueueMessage{T}.Id"/>).</param>
/// <param name="Payload">The encoded message (MessagePack).</param>
/// <param name="InFlight">True when the message is delivered and not yet acknowledged.</param>
/// <param name="DeliveryCount">How often it was delivered (0 when waiting).</param>
/// <remarks>Thread safety: immutable.</remarks>
public sealed record FileQueueRecord(long Id, ReadOnlyMemory<byte> Payload, bool InFlight, int DeliveryCount);

/// <summary>A file queue directory holds a file that is not what it should be (a damaged segment header or state file).</summary>
/// <remarks>Thread safety: exception instances are not meant to be shared.</remarks>
public sealed class FileQueueCorruptedException : IOException
{
    /// <summary>Creates the exception.</summary>
    public FileQueueCorruptedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What was wrong, where, and what to do.</param>
    public FileQueueCorruptedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What was wrong, where, and what to do.</param>
    /// <param name="innerException">The cause.</param>
    public FileQueueCorruptedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The damaged file.</summary>
    public string? FilePath { get; init; }
}
