using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;
using XSystem.Threading;

namespace XSystem.Ipc;

/// <summary>
/// An in-process producer/consumer queue: unbounded or bounded with back-pressure, optionally prioritized (lower
/// number first, FIFO among equal priorities), with synchronous and asynchronous APIs.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
/// <remarks>
/// <para>Built on <see cref="AsyncQueue{T}"/> (which is built on <see cref="System.Threading.Channels"/>); this type adds
/// the Python-style <c>priority</c> parameter on every enqueue and a blocking synchronous <see cref="Enqueue"/>.</para>
/// <para>Ordering: in FIFO mode items leave in enqueue order. In priority mode the item with the lowest priority number
/// leaves first and items of equal priority leave in enqueue order (a sequence number breaks ties, so equal priorities
/// never fail the way the Python original's heap did).</para>
/// <para>After <see cref="Complete"/> no item can be added; readers drain what is left, then
/// <see cref="DequeueAsync"/> throws <see cref="ChannelClosedException"/> and <see cref="ReadAllAsync"/> ends.</para>
/// <para>Thread safety: every member is safe to call from any thread concurrently.</para>
/// </remarks>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "MessageQueue is the Python original's public name.")]
public sealed class MessageQueue<T>
{
    private readonly AsyncQueue<T> _queue;

    /// <summary>Creates a queue.</summary>
    /// <param name="capacity">The most items held at once; 0 (the default) means unbounded. A full bounded queue makes
    /// <see cref="Enqueue"/> and <see cref="EnqueueAsync"/> wait and <see cref="TryEnqueue"/> return false.</param>
    /// <param name="priority">When true, items are ordered by priority (lower first, FIFO among equals). Default false (FIFO).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is negative.</exception>
    public MessageQueue(int capacity = 0, bool priority = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        Capacity = capacity;
        IsPrioritized = priority;
        _queue = new AsyncQueue<T>(new AsyncQueueOptions { Capacity = capacity == 0 ? null : capacity, Prioritized = priority });
    }

    /// <summary>The capacity; 0 means unbounded.</summary>
    public int Capacity { get; }

    /// <summary>True when items are ordered by priority.</summary>
    public bool IsPrioritized { get; }

    /// <summary>Items in the queue now (a snapshot).</summary>
    public int Count => _queue.Count;

    /// <summary>Completes when the queue is completed and drained.</summary>
    public Task Completion => _queue.Completion;

    /// <summary>
    /// Adds an item, blocking the calling thread while a bounded queue is full. Prefer <see cref="EnqueueAsync"/> in
    /// async code; this overload exists for threads that have nothing else to do while they wait.
    /// </summary>
    /// <param name="item">The item.</param>
    /// <param name="priority">The priority (lower first); must be 0 on a FIFO queue.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="priority"/> is not 0 on a FIFO queue.</exception>
    /// <exception cref="ChannelClosedException">The queue was completed.</exception>
    public void Enqueue(T item, int priority = 0)
    {
        if (TryEnqueue(item, priority))
        {
            return;
        }

        // Full (or completed): wait for room. Blocking is this method's documented purpose; the async path never captures a context.
        ValueTask pending = EnqueueAsync(item, priority, CancellationToken.None);
        if (pending.IsCompleted)
        {
            pending.GetAwaiter().GetResult();
            return;
        }

        pending.AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Adds an item, waiting asynchronously while a bounded queue is full.</summary>
    /// <param name="item">The item.</param>
    /// <param name="priority">The priority (lower first); must be 0 on a FIFO queue.</param>
    /// <param name="cancellationToken">Cancels the wait; the item is then not added.</param>
    /// <returns>A task that completes once the item is queued.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="priority"/> is not 0 on a FIFO queue.</exception>
    /// <exception cref="ChannelClosedException">The queue was completed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting.</exception>
    public ValueTask EnqueueAsync(T item, int priority = 0, CancellationToken cancellationToken = default)
    {
        if (IsPrioritized)
        {
            return _queue.EnqueueAsync(item, priority, cancellationToken);
        }

        CheckFifoPriority(priority);
        return _queue.EnqueueAsync(item, cancellationToken);
    }

    /// <summary>Adds an item if there is room right now; never waits.</summary>
    /// <param name="item">The item.</param>
    /// <param name="priority">The priority (lower first); must be 0 on a FIFO queue.</param>
    /// <returns>False when the queue is full or completed.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="priority"/> is not 0 on a FIFO queue.</exception>
    public bool TryEnqueue(T item, int priority = 0)
    {
        if (IsPrioritized)
        {
            return _queue.TryEnqueue(item, priority);
        }

        CheckFifoPriority(priority);
        return _queue.TryEnqueue(item);
    }

    /// <summary>Removes the next item if there is one right now; never waits.</summary>
    /// <param name="item">The item, or default when the result is false.</param>
    /// <returns>True when an item was removed.</returns>
    public bool TryDequeue([MaybeNullWhen(false)] out T item) => _queue.TryDequeue(out item);

    /// <summary>Removes the next item, waiting asynchronously while the queue is empty.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The item.</returns>
    /// <exception cref="ChannelClosedException">The queue was completed and is empty.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting.</exception>
    public ValueTask<T> DequeueAsync(CancellationToken cancellationToken = default) => _queue.DequeueAsync(cancellationToken);

    /// <summary>Marks the queue complete: no more items may be added; readers drain the rest.</summary>
    /// <returns>False when the queue was already completed.</returns>
    public bool Complete() => _queue.Complete();

    /// <summary>Reads every item until the queue is completed and drained.</summary>
    /// <param name="cancellationToken">Stops the enumeration.</param>
    /// <returns>The items in dequeue order.</returns>
    public IAsyncEnumerable<T> ReadAllAsync(CancellationToken cancellationToken = default) => _queue.ReadAllAsync(cancellationToken);

    private static void CheckFifoPriority(int priority)
    {
        if (priority != 0)
        {
            ThrowFifoPriority(priority);
        }
    }

    [DoesNotReturn]
    private static void ThrowFifoPriority(int priority) =>
        throw new ArgumentOutOfRangeException(nameof(priority), priority, "This queue is FIFO; create it with priority: true to enqueue with a priority other than 0.");
}
