namespace XSystem.Threading;

/// <summary>
/// An event that becomes set when its count reaches zero: each participant calls <see cref="Signal(int)"/> once it is done,
/// and <see cref="WaitAsync(CancellationToken)"/> completes when all have.
/// </summary>
/// <remarks>Thread safety: every member is safe to call from any thread concurrently.</remarks>
public sealed class AsyncCountdownEvent
{
    private readonly AsyncManualResetEvent _zero;
    private int _count;

    /// <summary>Creates a countdown.</summary>
    /// <param name="initialCount">Signals needed before the event is set (0 means set from the start).</param>
    public AsyncCountdownEvent(int initialCount)
        : this(initialCount, TimeProvider.System)
    {
    }

    /// <summary>Creates a countdown whose timeouts are measured by <paramref name="timeProvider"/>.</summary>
    /// <param name="initialCount">Signals needed before the event is set (0 means set from the start).</param>
    /// <param name="timeProvider">The clock for timeouts.</param>
    public AsyncCountdownEvent(int initialCount, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(initialCount);
        InitialCount = initialCount;
        _count = initialCount;
        _zero = new AsyncManualResetEvent(initialCount == 0, timeProvider);
    }

    /// <summary>The count given at construction or at the last <see cref="Reset(int)"/>.</summary>
    public int InitialCount { get; private set; }

    /// <summary>Signals still needed (a snapshot).</summary>
    public int CurrentCount => Volatile.Read(ref _count);

    /// <summary>True once the count has reached zero.</summary>
    public bool IsSet => _zero.IsSet;

    /// <summary>Removes <paramref name="signalCount"/> from the count; sets the event when it reaches zero.</summary>
    /// <param name="signalCount">How many signals (at least 1). Default 1.</param>
    /// <returns>True when this call brought the count to zero.</returns>
    /// <exception cref="InvalidOperationException">The count would go below zero.</exception>
    public bool Signal(int signalCount = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(signalCount, 1);
        int count = Volatile.Read(ref _count);
        while (true)
        {
            if (signalCount > count)
            {
                throw new InvalidOperationException($"Signal({signalCount}) would take the countdown below zero (current count {count}). Signal once per participant.");
            }

            int seen = Interlocked.CompareExchange(ref _count, count - signalCount, count);
            if (seen == count)
            {
                break;
            }

            count = seen;
        }

        if (count == signalCount)
        {
            _zero.Set();
            return true;
        }

        return false;
    }

    /// <summary>Adds participants.</summary>
    /// <param name="signalCount">How many (at least 1). Default 1.</param>
    /// <exception cref="InvalidOperationException">The event is already set.</exception>
    public void AddCount(int signalCount = 1)
    {
        if (!TryAddCount(signalCount))
        {
            throw new InvalidOperationException("The countdown already reached zero; call Reset to reuse it.");
        }
    }

    /// <summary>Adds participants unless the count already reached zero.</summary>
    /// <param name="signalCount">How many (at least 1). Default 1.</param>
    /// <returns>False when the event is already set.</returns>
    public bool TryAddCount(int signalCount = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(signalCount, 1);
        int count = Volatile.Read(ref _count);
        while (true)
        {
            if (count == 0)
            {
                return false;
            }

            if (count > int.MaxValue - signalCount)
            {
                throw new InvalidOperationException("The countdown would exceed Int32.MaxValue.");
            }

            int seen = Interlocked.CompareExchange(ref _count, count + signalCount, count);
            if (seen == count)
            {
                return true;
            }

            count = seen;
        }
    }

    /// <summary>Starts over with a new count. Do not call while others still signal the previous round.</summary>
    /// <param name="count">The new count (0 or more).</param>
    public void Reset(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        InitialCount = count;
        Volatile.Write(ref _count, count);
        if (count == 0)
        {
            _zero.Set();
        }
        else
        {
            _zero.Reset();
        }
    }

    /// <summary>Waits until the count reaches zero.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the count is zero.</returns>
    public ValueTask WaitAsync(CancellationToken cancellationToken = default) => _zero.WaitAsync(cancellationToken);

    /// <summary>Waits until the count reaches zero or <paramref name="timeout"/> passes.</summary>
    /// <param name="timeout">How long to wait.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>True when the count reached zero, false on timeout.</returns>
    public ValueTask<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken = default) => _zero.WaitAsync(timeout, cancellationToken);
}
