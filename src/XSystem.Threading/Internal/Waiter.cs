using System.Diagnostics;
using System.Threading.Tasks.Sources;

namespace XSystem.Threading.Internal;

/// <summary>
/// The owner of a queue of <see cref="Waiter{TResult}"/> nodes. When a waiter's cancellation token fires or its
/// timeout elapses, the owner removes it from its queue under its own gate, if it is still queued.
/// </summary>
internal interface IWaiterOwner<TResult>
{
    /// <summary>Removes <paramref name="waiter"/> from the owner's queue if it is still there; returns whether it was.</summary>
    bool TryRemove(Waiter<TResult> waiter);
}

/// <summary>
/// One queued wait. Asynchronous waits complete through a <see cref="ManualResetValueTaskSourceCore{TResult}"/>
/// with <c>RunContinuationsAsynchronously</c>, so whoever completes a waiter (a releaser, a setter) never runs the
/// waiter's continuation inline. Synchronous waits block on a <see cref="ManualResetEventSlim"/> instead.
/// A node is completed exactly once: only the party that removed it from its owner's queue (under the owner's
/// gate) may complete it. Nodes are reused through <see cref="WaiterPool{TResult}"/> after their result is read.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "The event is disposed at the end of WaitSync and the timeout source when the node is recycled.")]
internal sealed class Waiter<TResult> : IValueTaskSource<TResult>, IValueTaskSource
{
    private static readonly Action<object?, CancellationToken> CancelCallback = static (state, _) => ((Waiter<TResult>)state!).OnCanceled(timedOut: false);
    private static readonly Action<object?, CancellationToken> TimeoutCallback = static (state, _) => ((Waiter<TResult>)state!).OnCanceled(timedOut: true);

    private ManualResetValueTaskSourceCore<TResult> _core = new() { RunContinuationsAsynchronously = true };
    private IWaiterOwner<TResult>? _owner;
    private WaiterPool<TResult>? _pool;
    private CancellationTokenRegistration _cancelRegistration;
    private CancellationTokenRegistration _timeoutRegistration;
    private CancellationTokenSource? _timeoutSource;
    private CancellationToken _cancellationToken;
    private ManualResetEventSlim? _syncEvent;
    private TResult? _syncResult;
    private Exception? _syncError;
    private bool _timeoutYieldsDefault;

    /// <summary>Next node in the owner's queue.</summary>
    public Waiter<TResult>? Next;

    /// <summary>Previous node in the owner's queue.</summary>
    public Waiter<TResult>? Previous;

    /// <summary>True while the node is linked into its owner's queue. Read and written under the owner's gate.</summary>
    public bool Queued;

    /// <summary>Free-form data for the owner (for example the count a semaphore waiter asks for).</summary>
    public int Data;

    /// <summary>The asynchronous result.</summary>
    public ValueTask<TResult> Task => new(this, _core.Version);

    /// <summary>The asynchronous completion without a result.</summary>
    public ValueTask UntypedTask => new(this, _core.Version);

    /// <summary>When true, a timeout completes the wait with <c>default</c> instead of a <see cref="TimeoutException"/>.</summary>
    public bool TimeoutYieldsDefault
    {
        get => _timeoutYieldsDefault;
        set => _timeoutYieldsDefault = value;
    }

    /// <summary>Prepares a pooled or new node for an asynchronous wait.</summary>
    public void InitializeAsync(IWaiterOwner<TResult> owner, WaiterPool<TResult>? pool, int data)
    {
        _owner = owner;
        _pool = pool;
        Data = data;
        _syncEvent = null;
        _timeoutYieldsDefault = false;
    }

    /// <summary>Prepares a node for a blocking wait.</summary>
    public void InitializeSync(IWaiterOwner<TResult> owner, int data)
    {
        _owner = owner;
        _pool = null;
        Data = data;
        _syncEvent = new ManualResetEventSlim(false);
        _timeoutYieldsDefault = false;
    }

    /// <summary>
    /// Hooks cancellation and the timeout. Call after the node is queued and outside the owner's gate: a token that
    /// is already cancelled runs the callback inline, which takes the gate.
    /// </summary>
    public void Arm(TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        _cancellationToken = cancellationToken;
        if (timeout != Timeout.InfiniteTimeSpan)
        {
            _timeoutSource = new CancellationTokenSource(timeout, timeProvider);
            _timeoutRegistration = _timeoutSource.Token.UnsafeRegister(TimeoutCallback, this);
        }

        if (cancellationToken.CanBeCanceled)
        {
            _cancelRegistration = cancellationToken.UnsafeRegister(CancelCallback, this);
        }
    }

    private void OnCanceled(bool timedOut)
    {
        IWaiterOwner<TResult>? owner = _owner;
        if (owner is not null && owner.TryRemove(this))
        {
            if (timedOut && _timeoutYieldsDefault)
            {
                SetResult(default!);
                return;
            }

            SetException(timedOut
                ? new TimeoutException("The wait timed out before the primitive became available. Use a longer timeout or find out who holds it.")
                : new OperationCanceledException(_cancellationToken));
        }
    }

    /// <summary>Completes the wait with a result. Call only after removing the node from the queue.</summary>
    public void SetResult(TResult result)
    {
        if (_syncEvent is { } evt)
        {
            _syncResult = result;
            evt.Set();
        }
        else
        {
            _core.SetResult(result);
        }
    }

    /// <summary>Fails the wait. Call only after removing the node from the queue.</summary>
    public void SetException(Exception error)
    {
        if (_syncEvent is { } evt)
        {
            _syncError = error;
            evt.Set();
        }
        else
        {
            _core.SetException(error);
        }
    }

    /// <summary>
    /// Blocks until the node is completed, the token fires or the timeout elapses. On timeout or cancellation the node
    /// is removed from the queue if still queued; if it was completed meanwhile, its result wins.
    /// </summary>
    public TResult WaitSync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        ManualResetEventSlim evt = _syncEvent!;
        try
        {
            bool signaled;
            try
            {
                signaled = evt.Wait(timeout, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                if (_owner!.TryRemove(this))
                {
                    throw;
                }

                evt.Wait(CancellationToken.None);
                signaled = true;
            }

            if (!signaled)
            {
                if (_owner!.TryRemove(this))
                {
                    if (_timeoutYieldsDefault)
                    {
                        return default!;
                    }

                    throw new TimeoutException("The wait timed out before the primitive became available. Use a longer timeout or find out who holds it.");
                }

                evt.Wait(CancellationToken.None);
            }

            if (_syncError is { } error)
            {
                throw error;
            }

            return _syncResult!;
        }
        finally
        {
            evt.Dispose();
        }
    }

    /// <inheritdoc />
    public TResult GetResult(short token)
    {
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            Recycle();
        }
    }

    private void Recycle()
    {
        // Dispose waits for a running callback to finish, so no stale callback can touch the node once it is reused.
        _cancelRegistration.Dispose();
        _cancelRegistration = default;
        _timeoutRegistration.Dispose();
        _timeoutRegistration = default;
        _timeoutSource?.Dispose();
        _timeoutSource = null;
        _cancellationToken = default;
        _owner = null;
        Debug.Assert(!Queued, "A waiter was read while still queued.");
        _core.Reset();
        WaiterPool<TResult>? pool = _pool;
        _pool = null;
        pool?.Return(this);
    }

    /// <inheritdoc />
    void IValueTaskSource.GetResult(short token) => GetResult(token);

    /// <inheritdoc />
    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    /// <inheritdoc />
    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}

/// <summary>A small lock-free cache of waiter nodes so that contended waits do not allocate in steady state.</summary>
internal sealed class WaiterPool<TResult>
{
    private readonly Waiter<TResult>?[] _slots = new Waiter<TResult>?[Math.Clamp(Environment.ProcessorCount * 2, 4, 32)];

    /// <summary>Takes a cached node or makes a new one.</summary>
    public Waiter<TResult> Rent()
    {
        Waiter<TResult>?[] slots = _slots;
        for (int i = 0; i < slots.Length; i++)
        {
            if (Volatile.Read(ref slots[i]) is not null && Interlocked.Exchange(ref slots[i], null) is { } node)
            {
                return node;
            }
        }

        return new Waiter<TResult>();
    }

    /// <summary>Caches a node whose result has been read; drops it when the cache is full.</summary>
    public void Return(Waiter<TResult> node)
    {
        node.Next = null;
        node.Previous = null;
        Waiter<TResult>?[] slots = _slots;
        for (int i = 0; i < slots.Length; i++)
        {
            if (Volatile.Read(ref slots[i]) is null && Interlocked.CompareExchange(ref slots[i], node, null) is null)
            {
                return;
            }
        }
    }
}

/// <summary>An intrusive doubly linked FIFO queue of waiters. Not thread-safe: the owner guards it with its gate.</summary>
internal struct WaiterQueue<TResult>
{
    private Waiter<TResult>? _head;
    private Waiter<TResult>? _tail;

    /// <summary>Number of queued waiters.</summary>
    public int Count { get; private set; }

    /// <summary>True when no waiter is queued.</summary>
    public readonly bool IsEmpty => _head is null;

    /// <summary>The oldest waiter, or null.</summary>
    public readonly Waiter<TResult>? First => _head;

    /// <summary>Appends a waiter.</summary>
    public void Enqueue(Waiter<TResult> node)
    {
        node.Next = null;
        node.Previous = _tail;
        if (_tail is null)
        {
            _head = node;
        }
        else
        {
            _tail.Next = node;
        }

        _tail = node;
        node.Queued = true;
        Count++;
    }

    /// <summary>Removes and returns the oldest waiter, or null.</summary>
    public Waiter<TResult>? Dequeue()
    {
        Waiter<TResult>? node = _head;
        if (node is not null)
        {
            Remove(node);
        }

        return node;
    }

    /// <summary>Unlinks a waiter; returns false when it was not queued.</summary>
    public bool Remove(Waiter<TResult> node)
    {
        if (!node.Queued)
        {
            return false;
        }

        if (node.Previous is null)
        {
            _head = node.Next;
        }
        else
        {
            node.Previous.Next = node.Next;
        }

        if (node.Next is null)
        {
            _tail = node.Previous;
        }
        else
        {
            node.Next.Previous = node.Previous;
        }

        node.Next = null;
        node.Previous = null;
        node.Queued = false;
        Count--;
        return true;
    }
}
