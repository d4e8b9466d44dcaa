using XSystem.Threading.Internal;

namespace XSystem.Threading;

/// <summary>Options for <see cref="AsyncResourcePool{T}"/>, validated when the pool is created.</summary>
/// <typeparam name="T">The pooled resource type.</typeparam>
/// <remarks>Thread safety: set the options before creating the pool; they are read once.</remarks>
public sealed class AsyncResourcePoolOptions<T>
{
    /// <summary>The most resources that exist at once, leased or idle. Default 10.</summary>
    public int MaxSize { get; init; } = 10;

    /// <summary>Idle resources that idle-timeout eviction keeps, and that <see cref="AsyncResourcePool{T}.WarmUpAsync"/> creates. Default 0.</summary>
    public int MinIdle { get; init; }

    /// <summary>Idle resources older than this are destroyed (down to <see cref="MinIdle"/>). Default null (never).</summary>
    public TimeSpan? IdleTimeout { get; init; }

    /// <summary>Checks a resource; false (or an exception) means it is broken and is destroyed and replaced. Default null (no checks).</summary>
    public Func<T, CancellationToken, ValueTask<bool>>? Validate { get; init; }

    /// <summary>Run <see cref="Validate"/> before handing out an idle resource. Default true.</summary>
    public bool ValidateOnRent { get; init; } = true;

    /// <summary>Run <see cref="Validate"/> when a resource comes back. Default true.</summary>
    public bool ValidateOnReturn { get; init; } = true;

    /// <summary>Destroys a resource. Default null: <see cref="IAsyncDisposable.DisposeAsync"/> or <see cref="IDisposable.Dispose"/> when implemented.</summary>
    public Func<T, ValueTask>? Destroy { get; init; }

    /// <summary>How long <see cref="AsyncResourcePool{T}.DisposeAsync"/> waits for leased resources to come back. Default 30 seconds.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The clock for idle timeouts, rent timeouts and the drain timeout. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}

/// <summary>
/// A pool of expensive resources (connections, sessions, buffers) created on demand by a factory, at most
/// <see cref="AsyncResourcePoolOptions{T}.MaxSize"/> at once. <c>await using var lease = await pool.RentAsync();</c>
/// </summary>
/// <typeparam name="T">The pooled resource type.</typeparam>
/// <remarks>
/// <para>Renting reuses the most recently returned idle resource, else creates one while under the limit, else waits;
/// waiters are served first-in, first-out. A resource that fails validation, that is marked broken with
/// <see cref="Lease.MarkBroken"/>, or whose factory call failed frees its slot for the next waiter, which creates a
/// replacement. The pool never holds more than <c>MaxSize</c> resources, counting those being created.</para>
/// <para><see cref="DisposeAsync"/> fails queued waiters with <see cref="ObjectDisposedException"/>, destroys idle
/// resources at once, and waits (up to <c>DrainTimeout</c>) for leased ones to come back and destroys them too.</para>
/// <para>Thread safety: every member is safe to call from any thread concurrently.</para>
/// </remarks>
public sealed class AsyncResourcePool<T> : IAsyncDisposable, IWaiterOwner<AsyncResourcePool<T>.Entry?>
{
    private readonly Lock _gate = new();
    private readonly Func<CancellationToken, ValueTask<T>> _factory;
    private readonly AsyncResourcePoolOptions<T> _options;
    private readonly List<Entry> _idle = [];
    private readonly AsyncManualResetEvent _drained = new(initialState: true);
    private readonly ITimer? _evictionTimer;
    private WaiterQueue<Entry?> _waiters;
    private int _total;
    private int _leased;
    private bool _disposed;

    /// <summary>Creates a pool around an asynchronous factory.</summary>
    /// <param name="factory">Creates one resource.</param>
    /// <param name="options">Limits, validation and timeouts; default values when null.</param>
    public AsyncResourcePool(Func<CancellationToken, ValueTask<T>> factory, AsyncResourcePoolOptions<T>? options = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _factory = factory;
        _options = options ?? new AsyncResourcePoolOptions<T>();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxSize, 1, "options.MaxSize");
        ArgumentOutOfRangeException.ThrowIfNegative(_options.MinIdle, "options.MinIdle");
        ArgumentOutOfRangeException.ThrowIfGreaterThan(_options.MinIdle, _options.MaxSize, "options.MinIdle");
        ArgumentNullException.ThrowIfNull(_options.TimeProvider, "options.TimeProvider");
        Guard.NonNegativeTimeout(_options.DrainTimeout, allowInfinite: true, "options.DrainTimeout");
        if (_options.IdleTimeout is { } idle)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(idle, TimeSpan.Zero, "options.IdleTimeout");
            TimeSpan period = idle / 2 > TimeSpan.FromMilliseconds(1) ? idle / 2 : TimeSpan.FromMilliseconds(1);
            _evictionTimer = _options.TimeProvider.CreateTimer(static s => ((AsyncResourcePool<T>)s!).EvictIdle(), this, period, period);
        }
    }

    /// <summary>Creates a pool around a synchronous factory.</summary>
    /// <param name="factory">Creates one resource.</param>
    /// <param name="options">Limits, validation and timeouts; default values when null.</param>
    public AsyncResourcePool(Func<T> factory, AsyncResourcePoolOptions<T>? options = null)
        : this(WrapSync(factory), options)
    {
    }

    /// <summary>The limit on resources.</summary>
    public int MaxSize => _options.MaxSize;

    /// <summary>Resources that exist now, leased, idle or being created (a snapshot).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _total;
            }
        }
    }

    /// <summary>Idle resources (a snapshot).</summary>
    public int IdleCount
    {
        get
        {
            lock (_gate)
            {
                return _idle.Count;
            }
        }
    }

    /// <summary>Leased resources (a snapshot).</summary>
    public int LeasedCount
    {
        get
        {
            lock (_gate)
            {
                return _leased;
            }
        }
    }

    /// <summary>Callers waiting for a resource (a snapshot).</summary>
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

    /// <summary>Rents a resource, waiting in FIFO order when <see cref="MaxSize"/> are leased.</summary>
    /// <param name="cancellationToken">Cancels the wait and the factory call.</param>
    /// <returns>A lease; dispose it to give the resource back.</returns>
    /// <exception cref="ObjectDisposedException">The pool was disposed.</exception>
    /// <exception cref="OperationCanceledException">The token fired first.</exception>
    public ValueTask<Lease> RentAsync(CancellationToken cancellationToken = default) => RentAsync(Timeout.InfiniteTimeSpan, cancellationToken);

    /// <summary>Rents a resource, failing with <see cref="TimeoutException"/> when none frees up within <paramref name="timeout"/>.</summary>
    /// <param name="timeout">How long to wait for a free slot (the factory call itself is not timed).</param>
    /// <param name="cancellationToken">Cancels the wait and the factory call.</param>
    /// <returns>A lease; dispose it to give the resource back.</returns>
    /// <exception cref="TimeoutException">No resource freed up in time.</exception>
    /// <exception cref="ObjectDisposedException">The pool was disposed.</exception>
    public async ValueTask<Lease> RentAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        Guard.NonNegativeTimeout(timeout);
        cancellationToken.ThrowIfCancellationRequested();
        while (true)
        {
            Entry? entry;
            Waiter<Entry?>? node = null;
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                entry = PopIdle();
                if (entry is null)
                {
                    if (_total < _options.MaxSize)
                    {
                        _total++;
                    }
                    else if (timeout == TimeSpan.Zero)
                    {
                        throw new TimeoutException($"All {_options.MaxSize} pooled resources are leased and the timeout is zero.");
                    }
                    else
                    {
                        node = new Waiter<Entry?>();
                        node.InitializeAsync(this, pool: null, 0);
                        _waiters.Enqueue(node);
                    }
                }
                else
                {
                    _leased++;
                    _drained.Reset();
                }
            }

            if (node is not null)
            {
                node.Arm(timeout, _options.TimeProvider, cancellationToken);
                entry = await node.Task.ConfigureAwait(false);
            }

            if (entry is not null && !await IsUsableAsync(entry, cancellationToken).ConfigureAwait(false))
            {
                // Broken or expired: destroy it and build a replacement in the same slot.
                await DestroyAsync(entry).ConfigureAwait(false);
                lock (_gate)
                {
                    _leased--;
                    SignalIfDrained();
                }

                entry = null;
            }

            if (entry is null)
            {
                // We hold a slot (counted in _total) but no resource: create one.
                try
                {
                    T value = await _factory(cancellationToken).ConfigureAwait(false);
                    entry = new Entry(value);
                }
                catch
                {
                    GiveUpSlot();
                    throw;
                }

                lock (_gate)
                {
                    _leased++;
                    _drained.Reset();
                }
            }

            return new Lease(this, entry, entry.Version);
        }
    }

    /// <summary>Creates idle resources until <see cref="AsyncResourcePoolOptions{T}.MinIdle"/> are idle (or the limit is reached).</summary>
    /// <param name="cancellationToken">Cancels the factory calls.</param>
    /// <returns>A task that completes when the pool is warm.</returns>
    public async Task WarmUpAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (_idle.Count >= _options.MinIdle || _total >= _options.MaxSize)
                {
                    return;
                }

                _total++;
            }

            Entry entry;
            try
            {
                entry = new Entry(await _factory(cancellationToken).ConfigureAwait(false));
            }
            catch
            {
                GiveUpSlot();
                throw;
            }

            entry.LastUsed = _options.TimeProvider.GetTimestamp();
            AddIdleOrHandOver(entry);
        }
    }

    /// <summary>Destroys idle resources, fails waiters, and waits for leased resources to come back (up to the drain timeout).</summary>
    /// <returns>A task that completes when the pool is empty or the drain timeout passed.</returns>
    public async ValueTask DisposeAsync()
    {
        Entry[] idle;
        List<Waiter<Entry?>> waiters = [];
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            idle = [.. _idle];
            _idle.Clear();
            _total -= idle.Length;
            while (_waiters.Dequeue() is { } waiter)
            {
                waiters.Add(waiter);
            }
        }

        _evictionTimer?.Dispose();
        foreach (Waiter<Entry?> waiter in waiters)
        {
            waiter.SetException(new ObjectDisposedException(GetType().Name, "The resource pool was disposed while waiting for a resource."));
        }

        foreach (Entry entry in idle)
        {
            await DestroyAsync(entry).ConfigureAwait(false);
        }

        await _drained.WaitAsync(_options.DrainTimeout).ConfigureAwait(false);
    }

    bool IWaiterOwner<Entry?>.TryRemove(Waiter<Entry?> waiter)
    {
        lock (_gate)
        {
            return _waiters.Remove(waiter);
        }
    }

    private static Func<CancellationToken, ValueTask<T>> WrapSync(Func<T> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return _ => new ValueTask<T>(factory());
    }

    /// <summary>Under the gate: the most recently returned idle entry, or null.</summary>
    private Entry? PopIdle()
    {
        if (_idle.Count == 0)
        {
            return null;
        }

        Entry entry = _idle[^1];
        _idle.RemoveAt(_idle.Count - 1);
        return entry;
    }

    private async ValueTask<bool> IsUsableAsync(Entry entry, CancellationToken cancellationToken)
    {
        if (_options.IdleTimeout is { } idle && _options.TimeProvider.GetElapsedTime(entry.LastUsed) >= idle)
        {
            return false;
        }

        if (_options.Validate is null || !_options.ValidateOnRent)
        {
            return true;
        }

        return await ValidateAsync(entry, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<bool> ValidateAsync(Entry entry, CancellationToken cancellationToken)
    {
        try
        {
            return await _options.Validate!(entry.Value, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A validator that throws reports a broken resource; the resource is replaced.
            return false;
        }
    }

    /// <summary>A slot was reserved but no resource fills it: pass the slot to the oldest waiter, or free it.</summary>
    private void GiveUpSlot()
    {
        Waiter<Entry?>? next;
        lock (_gate)
        {
            next = _waiters.Dequeue();
            if (next is null)
            {
                _total--;
            }
        }

        next?.SetResult(null);
    }

    private void AddIdleOrHandOver(Entry entry)
    {
        Waiter<Entry?>? next;
        lock (_gate)
        {
            next = _waiters.Dequeue();
            if (next is null)
            {
                _idle.Add(entry);
                return;
            }

            _leased++;
            _drained.Reset();
        }

        next.SetResult(entry);
    }

    private async ValueTask ReturnAsync(Entry entry, long version)
    {
        if (Interlocked.CompareExchange(ref entry.Version, version + 1, version) != version)
        {
            throw new InvalidOperationException("This lease was already returned. Dispose each lease exactly once.");
        }

        bool keep = !entry.Broken && !Volatile.Read(ref _disposed);
        if (keep && _options.Validate is not null && _options.ValidateOnReturn)
        {
            keep = await ValidateAsync(entry, CancellationToken.None).ConfigureAwait(false);
        }

        if (keep)
        {
            entry.LastUsed = _options.TimeProvider.GetTimestamp();
            Waiter<Entry?>? next;
            lock (_gate)
            {
                if (!_disposed)
                {
                    next = _waiters.Dequeue();
                    if (next is null)
                    {
                        _leased--;
                        _idle.Add(entry);
                        SignalIfDrained();
                        return;
                    }

                    // Stays leased: handed straight to the oldest waiter.
                    next.SetResult(entry);
                    return;
                }
            }
        }

        await DestroyAsync(entry).ConfigureAwait(false);
        lock (_gate)
        {
            _leased--;
            SignalIfDrained();
        }

        GiveUpSlot();
    }

    private void SignalIfDrained()
    {
        if (_leased == 0)
        {
            _drained.Set();
        }
    }

    private void EvictIdle()
    {
        if (_options.IdleTimeout is not { } idle)
        {
            return;
        }

        List<Entry>? expired = null;
        lock (_gate)
        {
            // _idle is oldest first; keep MinIdle of the most recent.
            while (_idle.Count > _options.MinIdle && _options.TimeProvider.GetElapsedTime(_idle[0].LastUsed) >= idle)
            {
                (expired ??= []).Add(_idle[0]);
                _idle.RemoveAt(0);
                _total--;
            }
        }

        if (expired is not null)
        {
            _ = DestroyAllAsync(expired);
        }
    }

    private async Task DestroyAllAsync(List<Entry> entries)
    {
        foreach (Entry entry in entries)
        {
            await DestroyAsync(entry).ConfigureAwait(false);
        }
    }

    private async ValueTask DestroyAsync(Entry entry)
    {
        try
        {
            if (_options.Destroy is { } destroy)
            {
                await destroy(entry.Value).ConfigureAwait(false);
            }
            else if (entry.Value is IAsyncDisposable asyncDisposable)
            {
                await asyncDisposable.DisposeAsync().ConfigureAwait(false);
            }
            else if (entry.Value is IDisposable disposable)
            {
                disposable.Dispose();
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A resource that fails to close is gone either way; the pool must keep serving.
            System.Diagnostics.Debug.WriteLine($"AsyncResourcePool: destroying a resource failed: {ex.Message}");
        }
    }

    /// <summary>One pooled resource and its lease bookkeeping.</summary>
    internal sealed class Entry
    {
        internal Entry(T value) => Value = value;

        internal T Value { get; }

        internal long Version;

        internal long LastUsed;

        internal bool Broken;
    }

    /// <summary>A rented resource; dispose it (once) to give the resource back to the pool.</summary>
    /// <remarks>Thread safety: use a lease from one flow at a time; disposing twice throws.</remarks>
    public readonly struct Lease : IAsyncDisposable
    {
        private readonly AsyncResourcePool<T>? _pool;
        private readonly Entry? _entry;
        private readonly long _version;

        internal Lease(AsyncResourcePool<T> pool, Entry entry, long version)
        {
            _pool = pool;
            _entry = entry;
            _version = version;
        }

        /// <summary>The rented resource.</summary>
        /// <exception cref="InvalidOperationException">The lease was already returned.</exception>
        public T Value
        {
            get
            {
                if (_entry is null || Volatile.Read(ref _entry.Version) != _version)
                {
                    throw new InvalidOperationException("This lease was already returned; rent again to use a resource.");
                }

                return _entry.Value;
            }
        }

        /// <summary>Marks the resource broken: it is destroyed instead of returned, and the next renter gets a new one.</summary>
        public void MarkBroken()
        {
            if (_entry is not null)
            {
                _entry.Broken = true;
            }
        }

        /// <summary>Returns the resource to the pool (or destroys it when broken or invalid).</summary>
        /// <returns>A task that completes when the resource is back.</returns>
        /// <exception cref="InvalidOperationException">The lease was already returned.</exception>
        public ValueTask DisposeAsync() =>
            _pool is null ? throw new InvalidOperationException("This is a default lease; it holds no resource.") : _pool.ReturnAsync(_entry!, _version);
    }
}
