using XSystem.Threading.Internal;

namespace XSystem.Threading;

/// <summary>
/// An event that lets exactly one waiter through per <see cref="Set"/> and then resets itself.
/// </summary>
/// <remarks>
/// <para>When nobody waits, <see cref="Set"/> leaves the event signaled and the next waiter passes immediately; further
/// <see cref="Set"/> calls while signaled do not accumulate. Waiters are woken first-in, first-out; a cancelled waiter
/// never consumes a signal.</para>
/// <para>Thread safety: every member is safe to call from any thread concurrently.</para>
/// </remarks>
public sealed class AsyncAutoResetEvent : IWaiterOwner<bool>
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _timeProvider;
    private readonly WaiterPool<bool> _pool = new();
    private WaiterQueue<bool> _waiters;
    private int _signaled;

    /// <summary>Creates an event.</summary>
    /// <param name="initialState">True to start signaled. Default false.</param>
    public AsyncAutoResetEvent(bool initialState = false)
        : this(initialState, TimeProvider.System)
    {
    }

    /// <summary>Creates an event whose timeouts are measured by <paramref name="timeProvider"/>.</summary>
    /// <param name="initialState">True to start signaled.</param>
    /// <param name="timeProvider">The clock for timeouts.</param>
    public AsyncAutoResetEvent(bool initialState, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _signaled = initialState ? 1 : 0;
        _timeProvider = timeProvider;
    }

    /// <summary>True while the event is signaled and nobody has consumed the signal yet.</summary>
    public bool IsSet => Volatile.Read(ref _signaled) != 0;

    /// <summary>Waits for a signal and consumes it.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when this caller got the signal.</returns>
    /// <exception cref="OperationCanceledException">The token fired first.</exception>
    public ValueTask WaitAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.CompareExchange(ref _signaled, 0, 1) == 1)
        {
            return ValueTask.CompletedTask;
        }

        Waiter<bool>? node = Enqueue(Timeout.InfiniteTimeSpan, cancellationToken, out ValueTask<bool> done);
        return node is null ? (done.IsCompletedSuccessfully ? ValueTask.CompletedTask : new ValueTask(done.AsTask())) : node.UntypedTask;
    }

    /// <summary>Waits for a signal, giving up after <paramref name="timeout"/>.</summary>
    /// <param name="timeout">How long to wait; <see cref="Timeout.InfiniteTimeSpan"/> waits forever.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>True when this caller got the signal, false on timeout.</returns>
    /// <exception cref="OperationCanceledException">The token fired first.</exception>
    public ValueTask<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        Guard.NonNegativeTimeout(timeout);
        if (Interlocked.CompareExchange(ref _signaled, 0, 1) == 1)
        {
            return new ValueTask<bool>(true);
        }

        Waiter<bool>? node = Enqueue(timeout, cancellationToken, out ValueTask<bool> done);
        return node is null ? done : node.Task;
    }

    /// <summary>Wakes the oldest waiter, or leaves the event signaled for the next one.</summary>
    public void Set()
    {
        lock (_gate)
        {
            if (_waiters.Dequeue() is { } waiter)
            {
                waiter.SetResult(true);
            }
            else
            {
                Volatile.Write(ref _signaled, 1);
            }
        }
    }

    /// <summary>Clears a pending signal.</summary>
    public void Reset() => Volatile.Write(ref _signaled, 0);

    private Waiter<bool>? Enqueue(TimeSpan timeout, CancellationToken cancellationToken, out ValueTask<bool> done)
    {
        done = default;
        if (cancellationToken.IsCancellationRequested)
        {
            done = ValueTask.FromCanceled<bool>(cancellationToken);
            return null;
        }

        Waiter<bool> node;
        lock (_gate)
        {
            if (Interlocked.CompareExchange(ref _signaled, 0, 1) == 1)
            {
                done = new ValueTask<bool>(true);
                return null;
            }

            if (timeout == TimeSpan.Zero)
            {
                done = new ValueTask<bool>(false);
                return null;
            }

            node = _pool.Rent();
            node.InitializeAsync(this, _pool, 0);
            node.TimeoutYieldsDefault = true;
            _waiters.Enqueue(node);
        }

        node.Arm(timeout, _timeProvider, cancellationToken);
        return node;
    }

    bool IWaiterOwner<bool>.TryRemove(Waiter<bool> waiter)
    {
        lock (_gate)
        {
            return _waiters.Remove(waiter);
        }
    }
}
