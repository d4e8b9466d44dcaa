using System.Runtime.CompilerServices;
using XSystem.Threading.Internal;

namespace XSystem.Threading;

/// <summary>
/// A counting semaphore for async code with an upper bound: at most <see cref="MaxCount"/> slots exist, and releasing
/// more than were taken throws <see cref="SemaphoreFullException"/> instead of silently growing the count.
/// </summary>
/// <remarks>
/// <para>An uncontended <see cref="WaitAsync(CancellationToken)"/> takes one compare-and-swap and allocates nothing.
/// Waiters are served first-in, first-out; a cancelled or timed-out waiter never takes a slot. Continuations of
/// released waiters run asynchronously, never inside <see cref="Release(int)"/>.</para>
/// <para>Thread safety: every member is safe to call from any thread concurrently.</para>
/// </remarks>
public sealed class AsyncSemaphore : IWaiterOwner<bool>
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _timeProvider;
    private readonly WaiterPool<bool> _pool = new();
    private WaiterQueue<bool> _waiters;
    private int _count;

    /// <summary>Creates a semaphore.</summary>
    /// <param name="initialCount">Slots free at the start (0 to <paramref name="maxCount"/>).</param>
    /// <param name="maxCount">The most slots that can ever be free (at least 1).</param>
    /// <exception cref="ArgumentOutOfRangeException">The counts are out of range.</exception>
    public AsyncSemaphore(int initialCount, int maxCount)
        : this(initialCount, maxCount, TimeProvider.System)
    {
    }

    /// <summary>Creates a semaphore whose timeouts are measured by <paramref name="timeProvider"/>.</summary>
    /// <param name="initialCount">Slots free at the start (0 to <paramref name="maxCount"/>).</param>
    /// <param name="maxCount">The most slots that can ever be free (at least 1).</param>
    /// <param name="timeProvider">The clock for timeouts.</param>
    /// <exception cref="ArgumentOutOfRangeException">The counts are out of range.</exception>
    public AsyncSemaphore(int initialCount, int maxCount, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(initialCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(initialCount, maxCount);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _count = initialCount;
        MaxCount = maxCount;
        _timeProvider = timeProvider;
    }

    /// <summary>Slots free right now (a snapshot).</summary>
    public int CurrentCount => Volatile.Read(ref _count);

    /// <summary>The most slots that can be free.</summary>
    public int MaxCount { get; }

    /// <summary>Number of queued waiters (a snapshot).</summary>
    public int WaitingCount
    {
        get
        {
            lock (_gate)
            {
                return _waiters.Count;
            }
        }
    }

    /// <summary>Takes one slot, waiting in FIFO order when none is free.</summary>
    /// <param name="cancellationToken">Cancels the wait; a cancelled waiter takes no slot.</param>
    /// <returns>A task that completes when the slot is taken.</returns>
    /// <exception cref="OperationCanceledException">The token fired first.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ValueTask WaitAsync(CancellationToken cancellationToken = default)
    {
        if (TryTake())
        {
            return ValueTask.CompletedTask;
        }

        return WaitSlow(Timeout.InfiniteTimeSpan, yieldFalseOnTimeout: false, cancellationToken).AsUntyped();
    }

    /// <summary>Takes one slot, giving up after <paramref name="timeout"/>.</summary>
    /// <param name="timeout">How long to wait; <see cref="Timeout.InfiniteTimeSpan"/> waits forever, zero only tries.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>True when a slot was taken, false on timeout.</returns>
    /// <exception cref="OperationCanceledException">The token fired first.</exception>
    public ValueTask<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        Guard.NonNegativeTimeout(timeout);
        if (TryTake())
        {
            return new ValueTask<bool>(true);
        }

        return WaitSlow(timeout, yieldFalseOnTimeout: true, cancellationToken).Typed;
    }

    /// <summary>Takes one slot only if one is free right now.</summary>
    /// <returns>True when a slot was taken.</returns>
    public bool TryWait() => TryTake();

    /// <summary>Takes one slot from synchronous code, blocking the calling thread while it waits.</summary>
    /// <param name="timeout">How long to wait; <see cref="Timeout.InfiniteTimeSpan"/> (the default) waits forever.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>True when a slot was taken, false on timeout.</returns>
    /// <exception cref="OperationCanceledException">The token fired first.</exception>
    public bool Wait(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        Guard.NonNegativeTimeout(timeout);
        if (TryTake())
        {
            return true;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var node = new Waiter<bool>();
        node.InitializeSync(this, 0);
        node.TimeoutYieldsDefault = true;
        lock (_gate)
        {
            if (TryTake())
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

    /// <summary>Gives back <paramref name="releaseCount"/> slots, handing them to queued waiters first.</summary>
    /// <param name="releaseCount">Slots to give back (at least 1).</param>
    /// <returns>The count of free slots before the release.</returns>
    /// <exception cref="SemaphoreFullException">The release would make more than <see cref="MaxCount"/> slots free.</exception>
    public int Release(int releaseCount = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(releaseCount, 1);
        Waiter<bool>? chain = null;
        Waiter<bool>? chainTail = null;
        int previous;
        lock (_gate)
        {
            previous = Volatile.Read(ref _count);
            if (releaseCount > MaxCount - previous)
            {
                throw new SemaphoreFullException(
                    $"Releasing {releaseCount} slot(s) would exceed the maximum of {MaxCount} ({previous} already free). Release only slots you took.");
            }

            int remaining = releaseCount;
            while (remaining > 0 && _waiters.Dequeue() is { } waiter)
            {
                // Completed outside the gate, chained through Next (the node is no longer queued).
                if (chainTail is null)
                {
                    chain = waiter;
                }
                else
                {
                    chainTail.Next = waiter;
                }

                chainTail = waiter;
                remaining--;
            }

            if (remaining > 0)
            {
                // Every waiter was served. Fast-path takers only decrement, so the bound checked above still holds.
                Interlocked.Add(ref _count, remaining);
            }
        }

        while (chain is not null)
        {
            Waiter<bool> next = chain.Next!;
            chain.Next = null;
            chain.SetResult(true);
            chain = next;
        }

        return previous;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryTake()
    {
        int count = Volatile.Read(ref _count);
        while (count > 0)
        {
            int seen = Interlocked.CompareExchange(ref _count, count - 1, count);
            if (seen == count)
            {
                return true;
            }

            count = seen;
        }

        return false;
    }

    private SlowWait WaitSlow(TimeSpan timeout, bool yieldFalseOnTimeout, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return new SlowWait(ValueTask.FromCanceled<bool>(cancellationToken));
        }

        Waiter<bool> node;
        lock (_gate)
        {
            if (TryTake())
            {
                return new SlowWait(new ValueTask<bool>(true));
            }

            if (timeout == TimeSpan.Zero)
            {
                return new SlowWait(new ValueTask<bool>(false));
            }

            node = _pool.Rent();
            node.InitializeAsync(this, _pool, 0);
            node.TimeoutYieldsDefault = yieldFalseOnTimeout;
            _waiters.Enqueue(node);
        }

        node.Arm(timeout, _timeProvider, cancellationToken);
        return new SlowWait(node);
    }

    bool IWaiterOwner<bool>.TryRemove(Waiter<bool> waiter)
    {
        lock (_gate)
        {
            return _waiters.Remove(waiter);
        }
    }

    /// <summary>Either an already-finished result or a queued waiter, viewed as typed or untyped task.</summary>
    private readonly struct SlowWait
    {
        private readonly ValueTask<bool> _done;
        private readonly Waiter<bool>? _node;

        public SlowWait(ValueTask<bool> done)
        {
            _done = done;
            _node = null;
        }

        public SlowWait(Waiter<bool> node)
        {
            _done = default;
            _node = node;
        }

        public ValueTask<bool> Typed => _node is null ? _done : _node.Task;

        public ValueTask AsUntyped()
        {
            if (_node is not null)
            {
                return _node.UntypedTask;
            }

            return _done.IsCompletedSuccessfully ? ValueTask.CompletedTask : new ValueTask(_done.AsTask());
        }
    }
}
