using XSystem.Threading.Internal;

namespace XSystem.Threading;

/// <summary>
/// An event that, once set, lets every current and future waiter through until it is reset
/// (the Python original's <c>AsyncEvent</c>).
/// </summary>
/// <remarks>
/// <para>Waiting on a set event completes synchronously without allocating. <see cref="Set"/> wakes every queued
/// waiter; their continuations run asynchronously, never inside <see cref="Set"/>. A waiter queued before a
/// <see cref="Set"/> is always woken, even if <see cref="Reset"/> follows immediately (no lost wake-ups).</para>
/// <para>Thread safety: every member is safe to call from any thread concurrently.</para>
/// </remarks>
public sealed class AsyncManualResetEvent : IWaiterOwner<bool>
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _timeProvider;
    private readonly WaiterPool<bool> _pool = new();
    private WaiterQueue<bool> _waiters;
    private volatile bool _isSet;

    /// <summary>Creates an event.</summary>
    /// <param name="initialState">True to start set. Default false.</param>
    public AsyncManualResetEvent(bool initialState = false)
        : this(initialState, TimeProvider.System)
    {
    }

    /// <summary>Creates an event whose timeouts are measured by <paramref name="timeProvider"/>.</summary>
    /// <param name="initialState">True to start set.</param>
    /// <param name="timeProvider">The clock for timeouts.</param>
    public AsyncManualResetEvent(bool initialState, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _isSet = initialState;
        _timeProvider = timeProvider;
    }

    /// <summary>True while the event is set.</summary>
    public bool IsSet => _isSet;

    /// <summary>Waits until the event is set.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the event is set.</returns>
    /// <exception cref="OperationCanceledException">The token fired first.</exception>
    public ValueTask WaitAsync(CancellationToken cancellationToken = default)
    {
        if (_isSet)
        {
            return ValueTask.CompletedTask;
        }

        Waiter<bool>? node = Enqueue(Timeout.InfiniteTimeSpan, cancellationToken, out ValueTask<bool> done);
        return node is null ? (done.IsCompletedSuccessfully ? ValueTask.CompletedTask : new ValueTask(done.AsTask())) : node.UntypedTask;
    }

    /// <summary>Waits until the event is set or <paramref name="timeout"/> passes.</summary>
    /// <param name="timeout">How long to wait; <see cref="Timeout.InfiniteTimeSpan"/> waits forever.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>True when the event was set, false on timeout.</returns>
    /// <exception cref="OperationCanceledException">The token fired first.</exception>
    public ValueTask<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        Guard.NonNegativeTimeout(timeout);
        if (_isSet)
        {
            return new ValueTask<bool>(true);
        }

        Waiter<bool>? node = Enqueue(timeout, cancellationToken, out ValueTask<bool> done);
        return node is null ? done : node.Task;
    }

    /// <summary>Blocks the calling thread until the event is set or <paramref name="timeout"/> passes.</summary>
    /// <param name="timeout">How long to wait; <see cref="Timeout.InfiniteTimeSpan"/> waits forever.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>True when the event was set, false on timeout.</returns>
    public bool Wait(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        Guard.NonNegativeTimeout(timeout);
        if (_isSet)
        {
            return true;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var node = new Waiter<bool>();
        node.InitializeSync(this, 0);
        node.TimeoutYieldsDefault = true;
        lock (_gate)
        {
            if (_isSet)
            {
                return true;
            }

            if (timeout == TimeSpan.Zero)
            {
                return false;
            }

            _waiters.Enqueue(node);
        }

        return node.WaitSync(timeout, cancellationToken);
    }

    /// <summary>Sets the event and wakes every waiter.</summary>
    public void Set()
    {
        lock (_gate)
        {
            _isSet = true;
            while (_waiters.Dequeue() is { } waiter)
            {
                // Continuations run asynchronously, so completing under the gate runs no user code here.
                waiter.SetResult(true);
            }
        }
    }

    /// <summary>Resets the event so that later waiters wait again.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _isSet = false;
        }
    }

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
            if (_isSet)
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
