namespace XSystem.Ipc.Redis;

/// <summary>Options for <see cref="DistributedQueue{T}"/>.</summary>
/// <remarks>Thread safety: set the options before creating the queue; they are read once and validated then.</remarks>
public sealed class DistributedQueueOptions
{
    /// <summary>The consumer group every consumer of the queue joins; created on first use. Default <c>"xsystem"</c>.</summary>
    public string GroupName { get; init; } = "xsystem";

    /// <summary>This consumer's name inside the group. Default: machine name, process id and a random suffix, so every
    /// queue instance is its own consumer.</summary>
    public string ConsumerName { get; init; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>When set, every enqueue trims the stream to about this many entries (XADD MAXLEN ~). Trimmed entries are
    /// gone even if not yet delivered. Default null (no trimming).</summary>
    public long? MaxLength { get; init; }

    /// <summary>A message delivered to a consumer that has not acknowledged it for this long is taken over by the next
    /// consumer that dequeues (XAUTOCLAIM). Default 30 seconds.</summary>
    public TimeSpan ClaimIdleTime { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A message that would be delivered more often than this is moved to the dead-letter stream instead.
    /// Default 5.</summary>
    public int MaxDeliveries { get; init; } = 5;

    /// <summary>The dead-letter stream. Default null: the queue's key followed by <c>":dead"</c>.</summary>
    public string? DeadLetterKey { get; init; }

    /// <summary>How often <c>DequeueAsync</c> asks Redis again while the stream is empty. Default 100 ms.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The clock for poll delays. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(GroupName, nameof(GroupName));
        ArgumentException.ThrowIfNullOrEmpty(ConsumerName, nameof(ConsumerName));
        if (MaxLength is { } max)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(max, 1, nameof(MaxLength));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(ClaimIdleTime, TimeSpan.Zero, nameof(ClaimIdleTime));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDeliveries, 1, nameof(MaxDeliveries));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(PollInterval, TimeSpan.Zero, nameof(PollInterval));
        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
    }
}

/// <summary>Redis could not be reached (or did not answer in time) for a <see cref="DistributedQueue{T}"/> operation.</summary>
/// <remarks>Thread safety: exception instances are not meant to be shared.</remarks>
public sealed class DistributedQueueUnavailableException : IOException
{
    /// <summary>Creates the exception.</summary>
    public DistributedQueueUnavailableException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What was wrong.</param>
    public DistributedQueueUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What was wrong.</param>
    /// <param name="innerException">The cause.</param>
    public DistributedQueueUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>A message moved to the dead-letter stream after too many deliveries.</summary>
/// <typeparam name="T">The message type.</typeparam>
/// <param name="Id">The entry id in the dead-letter stream.</param>
/// <param name="OriginalId">The message's id in the queue stream.</param>
/// <param name="Value">The message.</param>
/// <param name="DeliveryCount">How often it had been delivered when it was dead-lettered.</param>
/// <remarks>Thread safety: immutable when <typeparamref name="T"/> is.</remarks>
public sealed record DeadLetter<T>(string Id, string OriginalId, T Value, long DeliveryCount);
