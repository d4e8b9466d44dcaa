using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using XSystem.Threading.Internal;

namespace XSystem.Threading;

/// <summary>
/// A mutual-exclusion lock for async code: <c>using (await myLock.LockAsync()) { ... }</c>.
/// </summary>
/// <remarks>
/// <para>Uncontended acquire and release take one compare-and-swap each and allocate nothing. Under contention waiters
/// are served strictly first-in, first-out, and a newcomer never overtakes a queued waiter. The releaser never runs a
/// waiter's continuation inline (continuations run asynchronously), so releasing is cheap and cannot re-enter user code.</para>
/// <para>A cancelled or timed-out waiter is removed from the queue and never becomes the holder. Releasing the same
/// <see cref="Releaser"/> twice throws <see cref="InvalidOperationException"/>. The lock is not re-entrant: acquiring it
/// again while holding it waits forever (or until the timeout).</para>
/// <para>Thread safety: every member is safe to call from any thread concurrently.</para>
/// </remarks>
public sealed class AsyncLock : IWaiterOwner<AsyncLock.Releaser>
{
    private const int HeldBit = 1;
    private const int WaitersBit = 2;

    private readonly Lock _gate = new();
    private readonly TimeProvider _timeProvider;
    private readonly WaiterPool<Releaser> _pool = new();
    private WaiterQueue<Releaser> _waiters;
    private int _state;
    private long _holderToken;
    private long _nextToken;

    /// <summary>Creates an unlocked lock whose timeouts use <see cref="TimeProvider.System"/>.</summary>
    public AsyncLock()
        : this(TimeProvider.System)
    {
    }

    /// <summary>Creates an unlocked lock whose timeouts are measured by <paramref name="timeProvider"/>.</summary>
    /// <param name="timeProvider">The clock for timeouts.</param>
    public AsyncLock(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
    }

    /// <summary>True while some caller holds the lock.</summary>
    public bool IsHeld => (Volatile.Read(ref _state) & HeldBit) != 0;

    /// <summary>Number of callers queued for the lock (a snapshot).</summary>
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

    /// <summary>Acquires the lock, waiting in FIFO order if it is held.</summary>
    /// <param name="cancellationToken">Cancels the wait; a cancelled waiter never becomes the holder.</param>
    /// <returns>A releaser; dispose it exactly once to release the lock.</returns>
    /// <exception cref="OperationCanceledException">The token fired before the lock was acquired.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ValueTask<Releaser> LockAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.CompareExchange(ref _state, HeldBit, 0) == 0)
        {
            return new ValueTask<Releaser>(Grant());
        }

        return LockSlowAsync(Timeout.InfiniteTimeSpan, cancellationToken);
    }

    /// <summary>Acquires the lock, failing with <see cref="TimeoutException"/> if it is not acquired within <paramref name="timeout"/>.</summary>
    /// <param name="timeout">How long to wait; <see cref="Timeout.InfiniteTimeSpan"/> waits forever, zero only tries.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A releaser; dispose it exactly once to release the lock.</returns>
    /// <exception cref="TimeoutException">The lock was not acquired in time.</exception>
    /// <exception cref="OperationCanceledException">The token fired before the lock was acquired.</exception>
    public ValueTask<Releaser> LockAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        Guard.NonNegativeTimeout(timeout);
        if (Interlocked.CompareExchange(ref _state, HeldBit, 0) == 0)
        {
            return new ValueTask<Releaser>(Grant());
        }

        return LockSlowAsync(timeout, cancellationToken);
    }

    /// <summary>Acquires the lock only if it is free right now.</summary>
    /// <param name="releaser">The releaser when the lock was acquired; default otherwise.</param>
    /// <returns>True when the lock was acquired.</returns>
    public bool TryLock(out Releaser releaser)
    {
        if (Interlocked.CompareExchange(ref _state, HeldBit, 0) == 0)
        {
            releaser = Grant();
            return true;
        }

        releaser = default;
        return false;
    }

    /// <summary>Acquires the lock from synchronous code, blocking the calling thread (not a thread-pool thread's async work) while it waits.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A releaser; dispose it exactly once to release the lock.</returns>
    /// <exception cref="OperationCanceledException">The token fired before the lock was acquired.</exception>
    public Releaser Lock(CancellationToken cancellationToken = default) => Lock(Timeout.InfiniteTimeSpan, cancellationToken);

    /// <summary>Acquires the lock from synchronous code, failing with <see cref="TimeoutException"/> after <paramref name="timeout"/>.</summary>
    /// <param name="timeout">How long to wait; <see cref="Timeout.InfiniteTimeSpan"/> waits forever.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A releaser; dispose it exactly once to release the lock.</returns>
    /// <exception cref="TimeoutException">The lock was not acquired in time.</exception>
    /// <exception cref="OperationCanceledException">The token fired before the lock was acquired.</exception>
    public Releaser Lock(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        Guard.NonNegativeTimeout(timeout);
        if (Interlocked.CompareExchange(ref _state, HeldBit, 0) == 0)
        {
            return Grant();
        }

        cancellationToken.ThrowIfCancellationRequested();
        var node = new Waiter<Releaser>();
        node.InitializeSync(this, 0);
        lock (_gate)
        {
            if (TryAcquireOrMarkWaiting())
            {
                return Grant();
            }

            if (timeout == TimeSpan.Zero)
            {
                ClearWaitersBitIfEmpty();
                ThrowTimeout();
            }

            _waiters.Enqueue(node);
        }

        return node.WaitSync(timeout, cancellationToken);
    }

    private ValueTask<Releaser> LockSlowAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<Releaser>(cancellationToken);
        }

        Waiter<Releaser> node;
        lock (_gate)
        {
            if (TryAcquireOrMarkWaiting())
            {
                return new ValueTask<Releaser>(Grant());
            }

            if (timeout == TimeSpan.Zero)
            {
                ClearWaitersBitIfEmpty();
                return ValueTask.FromException<Releaser>(NewTimeout());
            }

            node = _pool.Rent();
            node.InitializeAsync(this, _pool, 0);
            _waiters.Enqueue(node);
        }

        node.Arm(timeout, _timeProvider, cancellationToken);
        return node.Task;
    }

    /// <summary>Under the gate: takes the lock if it is free, else sets the waiters bit so that the holder's release comes to the gate.</summary>
    private bool TryAcquireOrMarkWaiting()
    {
        while (true)
        {
            int state = Volatile.Read(ref _state);
            if ((state & HeldBit) == 0)
            {
                if (Interlocked.CompareExchange(ref _state, state | HeldBit, state) == state)
                {
                    return true;
                }
            }
            else if ((state & WaitersBit) != 0 || Interlocked.CompareExchange(ref _state, state | WaitersBit, state) == state)
            {
                return false;
            }
        }
    }

    private void ClearWaitersBitIfEmpty()
    {
        if (_waiters.IsEmpty)
        {
            Interlocked.And(ref _state, ~WaitersBit);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Releaser Grant()
    {
        // Only the holder writes the token, so a plain increment is enough; the release reads it with a CAS.
        long token = ++_nextToken;
        Volatile.Write(ref _holderToken, token);
        return new Releaser(this, token);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Release(long token)
    {
        if (token == 0 || Interlocked.CompareExchange(ref _holderToken, 0, token) != token)
        {
            ThrowDoubleRelease();
        }

        if (Interlocked.CompareExchange(ref _state, 0, HeldBit) != HeldBit)
        {
            ReleaseSlow();
        }
    }

    private void ReleaseSlow()
    {
        Waiter<Releaser>? next;
        lock (_gate)
        {
            next = _waiters.Dequeue();
            if (next is null)
            {
                // Nobody is queued (the last waiter was cancelled): free the lock.
                Volatile.Write(ref _state, 0);
                return;
            }

            ClearWaitersBitIfEmpty();
        }

        // The held bit stays set: ownership passes straight to the next waiter, so no newcomer can overtake it.
        next.SetResult(Grant());
    }

    bool IWaiterOwner<Releaser>.TryRemove(Waiter<Releaser> waiter)
    {
        lock (_gate)
        {
            if (!_waiters.Remove(waiter))
            {
                return false;
            }

            ClearWaitersBitIfEmpty();
            return true;
        }
    }

    private static TimeoutException NewTimeout() =>
        new("The lock was not acquired within the timeout because another caller holds it. Use a longer timeout or find out who holds the lock.");

    [DoesNotReturn]
    private static void ThrowTimeout() => throw NewTimeout();

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowDoubleRelease() =>
        throw new InvalidOperationException("This lock releaser was already released (or never acquired the lock). Dispose each releaser exactly once.");

    /// <summary>Releases the lock when disposed. Dispose it exactly once.</summary>
    /// <remarks>Thread safety: disposing from any thread is safe; disposing twice throws.</remarks>
    public readonly struct Releaser : IDisposable, IEquatable<Releaser>
    {
        private readonly AsyncLock? _owner;
        private readonly long _token;

        internal Releaser(AsyncLock owner, long token)
        {
            _owner = owner;
            _token = token;
        }

        /// <summary>Releases the lock.</summary>
        /// <exception cref="InvalidOperationException">This releaser was already released, or is the default value.</exception>
        public void Dispose()
        {
            if (_owner is null)
            {
                ThrowDoubleRelease();
            }

            _owner.Release(_token);
        }

        /// <inheritdoc />
        public bool Equals(Releaser other) => ReferenceEquals(_owner, other._owner) && _token == other._token;

        /// <inheritdoc />
        public override bool Equals(object? obj) => obj is Releaser other && Equals(other);

        /// <inheritdoc />
        public override int GetHashCode() => HashCode.Combine(_owner, _token);

        /// <summary>Compares two releasers.</summary>
        /// <param name="left">The first releaser.</param>
        /// <param name="right">The second releaser.</param>
        /// <returns>True when both release the same acquisition.</returns>
        public static bool operator ==(Releaser left, Releaser right) => left.Equals(right);

        /// <summary>Compares two releasers.</summary>
        /// <param name="left">The first releaser.</param>
        /// <param name="right">The second releaser.</param>
        /// <returns>True when they release different acquisitions.</returns>
        public static bool operator !=(Releaser left, Releaser right) => !left.Equals(right);
    }
}
