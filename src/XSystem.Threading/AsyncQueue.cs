using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace XSystem.Threading;

/// <summary>Options for <see cref="AsyncQueue{T}"/>.</summary>
/// <remarks>Thread safety: set the options before creating the queue; they are read once.</remarks>
public sealed class AsyncQueueOptions
{
    /// <summary>The most items the queue holds; <c>EnqueueAsync</c> waits while it is full. Default null (unbounded).</summary>
    public int? Capacity { get; init; }

    /// <summary>
    /// When true, items carry a priority: lower numbers are dequeued first, and items of equal priority keep their
    /// enqueue order. Default false (plain FIFO).
    /// </summary>
    public bool Prioritized { get; init; }

    /// <summary>Hint that only one reader dequeues at a time (lets the channel skip some synchronization). Default false.</summary>
    public bool SingleReader { get; init; }

    /// <summary>Hint that only one writer enqueues at a time. Default false.</summary>
    public bool SingleWriter { get; init; }
}

/// <summary>
/// An async producer/consumer queue built on <see cref="System.Threading.Channels"/>: bounded or unbounded, optionally
/// prioritized (lower number first, FIFO among equal priorities).
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
/// <remarks>
/// <para>After <see cref="Complete(Exception?)"/> no item can be added; readers drain what is left and then
/// <see cref="DequeueAsync(CancellationToken)"/> throws <see cref="ChannelClosedException"/> and
/// <see cref="ReadAllAsync(CancellationToken)"/> ends.</para>
/// <para>Thread safety: every member is safe to call from any thread concurrently (unless the single reader/writer
/// hints were set).</para>
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "AsyncQueue is the toolkit's public name for this type, matching the Python original.")]
public sealed class AsyncQueue<T>
{
    private readonly Channel<T>? _plain;
    private readonly Channel<Entry>? _prioritized;
    private readonly AsyncSemaphore? _slots;
    private long _sequence;

    /// <summary>Creates an unbounded FIFO queue.</summary>
    public AsyncQueue()
        : this(new AsyncQueueOptions())
    {
    }

    /// <summary>Creates a queue with the given options.</summary>
    /// <param name="options">Capacity, priority mode and concurrency hints.</param>
    public AsyncQueue(AsyncQueueOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Capacity is { } capacity)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1, nameof(options.Capacity));
        }

        Capacity = options.Capacity;
        IsPrioritized = options.Prioritized;
        if (options.Prioritized)
        {
            _prioritized = Channel.CreateUnboundedPrioritized(new UnboundedPrioritizedChannelOptions<Entry>
            {
                Comparer = EntryComparer.Instance,
                SingleReader = options.SingleReader,
                SingleWriter = options.SingleWriter,
            });
            if (options.Capacity is { } max)
            {
                _slots = new AsyncSemaphore(max, max);
            }
        }
        else if (options.Capacity is { } max)
        {
            _plain = Channel.CreateBounded<T>(new BoundedChannelOptions(max)
            {
                FullMode = BoundedChannelFullMode.Wait,
                SingleReader = options.SingleReader,
                SingleWriter = options.SingleWriter,
            });
        }
        else
        {
            _plain = Channel.CreateUnbounded<T>(new UnboundedChannelOptions
            {
                SingleReader = options.SingleReader,
                SingleWriter = options.SingleWriter,
            });
        }
    }

    /// <summary>The capacity, or null when unbounded.</summary>
    public int? Capacity { get; }

    /// <summary>True when items are ordered by priority.</summary>
    public bool IsPrioritized { get; }

    /// <summary>Items in the queue now (a snapshot).</summary>
    public int Count => _plain is not null ? _plain.Reader.Count : _prioritized!.Reader.Count;

    /// <summary>Completes when the queue is completed and drained.</summary>
    public Task Completion => _plain is not null ? _plain.Reader.Completion : _prioritized!.Reader.Completion;

    /// <summary>Adds an item, waiting while a bounded queue is full. Prioritized queues use priority 0.</summary>
    /// <param name="item">The item.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes once the item is queued.</returns>
    /// <exception cref="ChannelClosedException">The queue was completed.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ValueTask EnqueueAsync(T item, CancellationToken cancellationToken = default) =>
        _plain is not null ? _plain.Writer.WriteAsync(item, cancellationToken) : EnqueuePrioritizedAsync(item, 0, cancellationToken);

    /// <summary>Adds an item with a priority (lower first), waiting while a bounded queue is full.</summary>
    /// <param name="item">The item.</param>
    /// <param name="priority">The priority; lower numbers are dequeued first.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes once the item is queued.</returns>
    /// <exception cref="InvalidOperationException">The queue is not prioritized.</exception>
    /// <exception cref="ChannelClosedException">The queue was completed.</exception>
    public ValueTask EnqueueAsync(T item, int priority, CancellationToken cancellationToken = default)
    {
        ThrowIfNotPrioritized();
        return EnqueuePrioritizedAsync(item, priority, cancellationToken);
    }

    /// <summary>Adds an item if there is room right now. Prioritized queues use priority 0.</summary>
    /// <param name="item">The item.</param>
    /// <returns>False when the queue is full or completed.</returns>
    public bool TryEnqueue(T item) => _plain is not null ? _plain.Writer.TryWrite(item) : TryEnqueuePrioritized(item, 0);

    /// <summary>Adds an item with a priority if there is room right now.</summary>
    /// <param name="item">The item.</param>
    /// <param name="priority">The priority; lower numbers are dequeued first.</param>
    /// <returns>False when the queue is full or completed.</returns>
    /// <exception cref="InvalidOperationException">The queue is not prioritized.</exception>
    public bool TryEnqueue(T item, int priority)
    {
        ThrowIfNotPrioritized();
        return TryEnqueuePrioritized(item, priority);
    }

    /// <summary>Removes the next item, waiting while the queue is empty.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The item.</returns>
    /// <exception cref="ChannelClosedException">The queue was completed and is empty.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ValueTask<T> DequeueAsync(CancellationToken cancellationToken = default) =>
        _plain is not null ? _plain.Reader.ReadAsync(cancellationToken) : DequeuePrioritizedAsync(cancellationToken);

    /// <summary>Removes the next item if there is one right now.</summary>
    /// <param name="item">The item, or default.</param>
    /// <returns>True when an item was removed.</returns>
    public bool TryDequeue([System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out T item)
    {
        if (_plain is not null)
        {
            return _plain.Reader.TryRead(out item);
        }

        if (_prioritized!.Reader.TryRead(out Entry entry))
        {
            _slots?.Release();
            item = entry.Item;
            return true;
        }

        item = default;
        return false;
    }

    /// <summary>Marks the queue complete: no more items may be added; readers drain the rest.</summary>
    /// <param name="error">Optional error that readers see after draining.</param>
    /// <returns>False when the queue was already completed.</returns>
    public bool Complete(Exception? error = null) =>
        _plain is not null ? _plain.Writer.TryComplete(error) : _prioritized!.Writer.TryComplete(error);

    /// <summary>Reads every item until the queue is completed and drained.</summary>
    /// <param name="cancellationToken">Stops the enumeration.</param>
    /// <returns>The items in dequeue order.</returns>
    public async IAsyncEnumerable<T> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (_plain is not null)
        {
            await foreach (T item in _plain.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return item;
            }

            yield break;
        }

        while (await _prioritized!.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (TryDequeue(out T? item))
            {
                yield return item;
            }
        }
    }

    private void ThrowIfNotPrioritized()
    {
        if (!IsPrioritized)
        {
            throw new InvalidOperationException("This queue has no priorities. Create it with AsyncQueueOptions.Prioritized = true to enqueue with a priority.");
        }
    }

    private bool TryEnqueuePrioritized(T item, int priority)
    {
        if (_slots is not null && !_slots.TryWait())
        {
            return false;
        }

        if (_prioritized!.Writer.TryWrite(new Entry(item, priority, Interlocked.Increment(ref _sequence))))
        {
            return true;
        }

        _slots?.Release();
        return false;
    }

    private async ValueTask EnqueuePrioritizedAsync(T item, int priority, CancellationToken cancellationToken)
    {
        if (_slots is not null)
        {
            await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        if (!_prioritized!.Writer.TryWrite(new Entry(item, priority, Interlocked.Increment(ref _sequence))))
        {
            _slots?.Release();
            throw new ChannelClosedException("The queue was completed; no more items can be added.");
        }
    }

    private async ValueTask<T> DequeuePrioritizedAsync(CancellationToken cancellationToken)
    {
        Entry entry = await _prioritized!.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        _slots?.Release();
        return entry.Item;
    }

    private readonly record struct Entry(T Item, int Priority, long Sequence);

    private sealed class EntryComparer : IComparer<Entry>
    {
        public static readonly EntryComparer Instance = new();

        public int Compare(Entry x, Entry y)
        {
            int byPriority = x.Priority.CompareTo(y.Priority);
            return byPriority != 0 ? byPriority : x.Sequence.CompareTo(y.Sequence);
        }
    }
}
