using System.Buffers;
using System.Threading.Channels;
using MessagePack;
using XSystem.Ipc.Internal;

namespace XSystem.Ipc;

/// <summary>
/// A pool of worker processes that run named handlers (see <see cref="ProcessPoolWorker"/>) for requests submitted
/// here. Requests and responses travel as MessagePack frames over one private pipe per worker, several in flight per
/// worker (correlation ids). A worker that crashes, breaks the protocol or runs a task past its timeout is killed and
/// replaced; only the tasks in flight on it fail (<see cref="WorkerCrashedException"/>, <see cref="TimeoutException"/>).
/// Workers exit by themselves when the pool's process dies (their pipe closes).
/// </summary>
/// <remarks>
/// Seed names: <c>ProcessPool</c> and <c>AsyncProcessPool</c> of the Python xSystem both map to this type.
/// Thread safety: every member is thread-safe.
/// </remarks>
public sealed class ProcessPool : IAsyncDisposable
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMilliseconds(50);

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _scratch;

    private readonly ProcessPoolOptions _options;
    // Synchronous continuations let an idle worker's pump send a task on the submitting thread (one thread hop less).
    private readonly Channel<PoolWorkItem> _queue = Channel.CreateUnbounded<PoolWorkItem>(new UnboundedChannelOptions { AllowSynchronousContinuations = true });
    private readonly List<PoolWorker> _workers = [];
    private readonly Lock _workersLock = new();
    private readonly CancellationTokenSource _lifetime = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<Exception> _startFault = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task[] _initialStarts;
    private readonly ITimer _sweepTimer;
    private long _nextId;
    private long _queued;
    private long _pending;
    private long _completed;
    private long _failed;
    private long _restarts;
    private long _recycled;
    private long _sweeps;
    private int _consecutiveStartFailures;
    private volatile bool _disposing;
    private volatile bool _shuttingDown;
    private int _disposed;

    /// <summary>Creates the pool and starts its workers in the background; tasks submitted before they are ready wait in the queue.</summary>
    /// <param name="options">The worker program and settings.</param>
    public ProcessPool(ProcessPoolOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _initialStarts = new Task[options.WorkerCount];
        for (int i = 0; i < options.WorkerCount; i++)
        {
            _initialStarts[i] = StartWorkerAsync();
        }

        _sweepTimer = options.TimeProvider.CreateTimer(static state => ((ProcessPool)state!).Sweep(), this, SweepInterval, SweepInterval);
    }

    internal ProcessPoolOptions Options => _options;

    /// <summary>Creates the pool and waits until every worker has started and connected.</summary>
    /// <param name="options">The worker program and settings.</param>
    /// <param name="cancellationToken">Cancels the wait (the pool is then disposed).</param>
    /// <returns>The ready pool.</returns>
    /// <exception cref="WorkerCrashedException">Workers fail to start (three attempts in a row); the message carries the cause.</exception>
    public static async Task<ProcessPool> StartAsync(ProcessPoolOptions options, CancellationToken cancellationToken = default)
    {
        var pool = new ProcessPool(options);
        try
        {
            Task all = Task.WhenAll(pool._initialStarts);
            Task first = await Task.WhenAny(all, pool._startFault.Task).WaitAsync(cancellationToken).ConfigureAwait(false);
            if (first != all)
            {
                Exception cause = await pool._startFault.Task.ConfigureAwait(false);
                throw new WorkerCrashedException($"The process-pool workers fail to start ('{options.WorkerFileName}'): {cause.Message}", cause);
            }
        }
        catch
        {
            await pool.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return pool;
    }

    /// <summary>The counters now.</summary>
    public ProcessPoolStats Stats
    {
        get
        {
            long running = 0;
            int alive = 0;
            lock (_workersLock)
            {
                foreach (PoolWorker worker in _workers)
                {
                    running += worker.InFlightCount;
                    alive++;
                }
            }

            return new ProcessPoolStats(Math.Max(0, Interlocked.Read(ref _queued)), running, Interlocked.Read(ref _completed),
                Interlocked.Read(ref _failed), Interlocked.Read(ref _restarts), Interlocked.Read(ref _recycled), alive);
        }
    }

    /// <summary>The process ids of the workers alive now.</summary>
    public IReadOnlyList<int> WorkerProcessIds
    {
        get
        {
            lock (_workersLock)
            {
                return _workers.Select(w => w.ProcessId).ToArray();
            }
        }
    }

    /// <summary>Runs handler <paramref name="handler"/> on a worker with <see cref="ProcessPoolOptions.DefaultTaskTimeout"/>.</summary>
    /// <typeparam name="TRequest">The request type (MessagePack contractless).</typeparam>
    /// <typeparam name="TResponse">The response type (MessagePack contractless).</typeparam>
    /// <param name="handler">The handler name registered in the worker.</param>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Abandons the task: a queued task is never sent; a running one finishes in the worker and its answer is dropped.</param>
    /// <returns>The handler's response.</returns>
    /// <exception cref="ProcessPoolTaskException">The handler threw (or no handler has that name).</exception>
    /// <exception cref="WorkerCrashedException">The worker died while the task was in flight.</exception>
    /// <exception cref="TimeoutException">The task ran longer than the timeout; its worker was killed and replaced.</exception>
    public Task<TResponse> SubmitAsync<TRequest, TResponse>(string handler, TRequest request, CancellationToken cancellationToken = default) =>
        SubmitAsync<TRequest, TResponse>(handler, request, _options.DefaultTaskTimeout, cancellationToken);

    /// <summary>Runs handler <paramref name="handler"/> on a worker with the given timeout.</summary>
    /// <typeparam name="TRequest">The request type (MessagePack contractless).</typeparam>
    /// <typeparam name="TResponse">The response type (MessagePack contractless).</typeparam>
    /// <param name="handler">The handler name registered in the worker.</param>
    /// <param name="request">The request.</param>
    /// <param name="timeout">How long the task may run once sent to a worker; <see cref="Timeout.InfiniteTimeSpan"/> for no limit. Time spent waiting in the queue does not count.</param>
    /// <param name="cancellationToken">Abandons the task: a queued task is never sent; a running one finishes in the worker and its answer is dropped.</param>
    /// <returns>The handler's response.</returns>
    /// <exception cref="ProcessPoolTaskException">The handler threw (or no handler has that name).</exception>
    /// <exception cref="WorkerCrashedException">The worker died while the task was in flight.</exception>
    /// <exception cref="TimeoutException">The task ran longer than <paramref name="timeout"/>; its worker was killed and replaced.</exception>
    /// <exception cref="MessageFrameException">The request serializes to more than <see cref="ProcessPoolOptions.MaxFrameBytes"/>.</exception>
    public async Task<TResponse> SubmitAsync<TRequest, TResponse>(string handler, TRequest request, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(handler);
        if (timeout <= TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must be positive or Timeout.InfiniteTimeSpan.");
        }

        ObjectDisposedException.ThrowIf(_disposing, this);
        cancellationToken.ThrowIfCancellationRequested();
        long id = Interlocked.Increment(ref _nextId);
        byte[] frame = BuildRequest(id, handler, request);
        var item = new PoolWorkItem(id, handler, frame, timeout);
        Interlocked.Increment(ref _pending);
        Interlocked.Increment(ref _queued);
        if (!_queue.Writer.TryWrite(item))
        {
            Interlocked.Decrement(ref _queued);
            CompletePending();
            throw new ObjectDisposedException(nameof(ProcessPool));
        }

        try
        {
            byte[] body;
            if (cancellationToken.CanBeCanceled)
            {
                using CancellationTokenRegistration registration = cancellationToken.Register(
                    static (state, token) => ((PoolWorkItem)state!).Completion.TrySetCanceled(token), item);
                body = await item.Completion.Task.ConfigureAwait(false);
            }
            else
            {
                body = await item.Completion.Task.ConfigureAwait(false);
            }

            try
            {
                return MessagePackSerializer.Deserialize<TResponse>(body, Frames.Options, CancellationToken.None);
            }
            catch (MessagePackSerializationException ex)
            {
                throw MessageFrameException.Undecodable($"the process-pool response of handler '{handler}'", typeof(TResponse), body.Length, ex);
            }
        }
        finally
        {
            CompletePending();
        }
    }

    /// <summary>
    /// Stops taking tasks, lets queued and running tasks finish (up to <see cref="ProcessPoolOptions.ShutdownTimeout"/>),
    /// then shuts the workers down (killing any that do not exit within 5 seconds).
    /// </summary>
    /// <returns>A task that completes when every worker has exited.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _disposing = true;
        _queue.Writer.TryComplete();
        if (Interlocked.Read(ref _pending) == 0)
        {
            _drained.TrySetResult();
        }

        try
        {
            await _drained.Task.WaitAsync(_options.ShutdownTimeout, _options.TimeProvider).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Shut down anyway; tasks still running fail with WorkerCrashedException.
        }

        _shuttingDown = true;
        await _sweepTimer.DisposeAsync().ConfigureAwait(false);
        await _lifetime.CancelAsync().ConfigureAwait(false);
        PoolWorker[] workers;
        lock (_workersLock)
        {
            workers = [.. _workers];
        }

        await Task.WhenAll(workers.Select(w => w.ShutdownAsync(TimeSpan.FromSeconds(5)))).ConfigureAwait(false);
        while (_queue.Reader.TryRead(out PoolWorkItem? left))
        {
            Fail(left, new ObjectDisposedException(nameof(ProcessPool), "The process pool was disposed before the task could run."));
        }

        _lifetime.Dispose();
    }

    internal void OnCompleted() => Interlocked.Increment(ref _completed);

    internal void Fail(PoolWorkItem item, Exception error)
    {
        if (item.Completion.TrySetException(error))
        {
            Interlocked.Increment(ref _failed);
        }
    }

    internal bool TryTakeQueued(out PoolWorkItem item)
    {
        if (_queue.Reader.TryRead(out item!))
        {
            Interlocked.Decrement(ref _queued);
            return true;
        }

        return false;
    }

    internal ValueTask<bool> WaitForQueuedAsync(CancellationToken cancellationToken) => _queue.Reader.WaitToReadAsync(cancellationToken);

    internal void Requeue(PoolWorkItem item)
    {
        Interlocked.Increment(ref _queued);
        if (!_queue.Writer.TryWrite(item))
        {
            Interlocked.Decrement(ref _queued);
            Fail(item, new ObjectDisposedException(nameof(ProcessPool), "The process pool was disposed before the task could run."));
        }
    }

    internal void OnWorkerEnded(PoolWorker worker, bool crashed, bool alreadyReplaced)
    {
        lock (_workersLock)
        {
            _workers.Remove(worker);
        }

        if (crashed)
        {
            Interlocked.Increment(ref _restarts);
        }

        if (!alreadyReplaced && !_shuttingDown)
        {
            _ = StartWorkerAsync();
        }
    }

    internal void OnRetiring()
    {
        Interlocked.Increment(ref _recycled);
        if (!_shuttingDown)
        {
            _ = StartWorkerAsync();
        }
    }

    private void CompletePending()
    {
        if (Interlocked.Decrement(ref _pending) == 0 && _disposing)
        {
            _drained.TrySetResult();
        }
    }

    private async Task StartWorkerAsync()
    {
        int attempt = 0;
        while (!_shuttingDown)
        {
            try
            {
                PoolWorker worker = await PoolWorker.StartAsync(this, _lifetime.Token).ConfigureAwait(false);
                lock (_workersLock)
                {
                    _workers.Add(worker);
                }

                Interlocked.Exchange(ref _consecutiveStartFailures, 0);
                worker.Run();
                if (_shuttingDown)
                {
                    await worker.ShutdownAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
                }

                return;
            }
            catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is WorkerCrashedException or IOException or System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                attempt++;
                if (Interlocked.Increment(ref _consecutiveStartFailures) >= 3)
                {
                    _startFault.TrySetResult(ex);
                    if (Stats.Workers == 0)
                    {
                        FailQueued(ex);
                    }
                }

                TimeSpan delay = TimeSpan.FromMilliseconds(Math.Min(5000, 100 * Math.Pow(2, Math.Min(attempt, 10))));
                try
                {
                    await Task.Delay(delay, _options.TimeProvider, _lifetime.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private void FailQueued(Exception cause)
    {
        while (TryTakeQueued(out PoolWorkItem item))
        {
            Fail(item, new WorkerCrashedException($"No process-pool worker could be started ('{_options.WorkerFileName}'), so the task cannot run: {cause.Message}", cause));
        }
    }

    private void Sweep()
    {
        long now = _options.TimeProvider.GetTimestamp();
        bool checkMemory = _options.MaxWorkerMemoryBytes > 0 && Interlocked.Increment(ref _sweeps) % 10 == 0;
        PoolWorker[] workers;
        lock (_workersLock)
        {
            workers = [.. _workers];
        }

        foreach (PoolWorker worker in workers)
        {
            worker.CheckTimeouts(now);
            if (checkMemory && worker.ResidentBytes() > _options.MaxWorkerMemoryBytes)
            {
                worker.BeginRetire();
            }
        }
    }

    private byte[] BuildRequest<TRequest>(long id, string handler, TRequest request)
    {
        ArrayBufferWriter<byte> scratch = _scratch ??= new ArrayBufferWriter<byte>(1024);
        Frames.BeginFrame(scratch);
        PoolProtocol.WriteHeader(scratch, FrameKind.Request, id);
        PoolProtocol.WriteString(scratch, handler, lengthPrefix: true);
        MessagePackSerializer.Serialize(scratch, request, Frames.Options);
        byte[] frame = Frames.Complete(scratch, _options.MaxFrameBytes, "the process pool").ToArray();
        if (scratch.Capacity > 1024 * 1024)
        {
            _scratch = null;
        }

        return frame;
    }
}
