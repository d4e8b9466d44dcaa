using BenchmarkDotNet.Attributes;
using DotNext.Threading;
using XSystem.Threading;

namespace XSystem.Benchmarks.Threading;

/// <summary>
/// Uncontended acquire + release, 1,000 per invocation, each acquisition completing synchronously. Baseline:
/// SemaphoreSlim.WaitAsync + Release. The target is AsyncLock at or below 1.0x with 0 bytes allocated.
/// </summary>
[MemoryDiagnoser]
public class AsyncLockUncontendedBenchmarks : IDisposable
{
    private const int Operations = 1_000;
    private readonly SemaphoreSlim _semaphore = new(1, 1);
    private readonly XSystem.Threading.AsyncLock _lock = new();
    private readonly Nito.AsyncEx.AsyncLock _nito = new();
    private readonly AsyncExclusiveLock _dotNext = new();
    private readonly AsyncSemaphore _asyncSemaphore = new(1, 1);

    public void Dispose()
    {
        _semaphore.Dispose();
        _dotNext.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Operations)]
    public void SemaphoreSlim_WaitAsyncRelease()
    {
        for (int i = 0; i < Operations; i++)
        {
            _semaphore.WaitAsync().GetAwaiter().GetResult();
            _semaphore.Release();
        }
    }

    [Benchmark(OperationsPerInvoke = Operations)]
    public void XSystem_AsyncLock()
    {
        for (int i = 0; i < Operations; i++)
        {
            ValueTask<XSystem.Threading.AsyncLock.Releaser> pending = _lock.LockAsync();
            if (!pending.IsCompletedSuccessfully)
            {
                throw new InvalidOperationException("An uncontended lock must be acquired synchronously.");
            }

            pending.Result.Dispose();
        }
    }

    [Benchmark(OperationsPerInvoke = Operations)]
    public void XSystem_AsyncSemaphore()
    {
        for (int i = 0; i < Operations; i++)
        {
            ValueTask pending = _asyncSemaphore.WaitAsync();
            if (!pending.IsCompletedSuccessfully)
            {
                throw new InvalidOperationException("An uncontended semaphore must be taken synchronously.");
            }

            _asyncSemaphore.Release();
        }
    }

    [Benchmark(OperationsPerInvoke = Operations)]
    public void Nito_AsyncLock()
    {
        for (int i = 0; i < Operations; i++)
        {
            _nito.LockAsync().GetAwaiter().GetResult().Dispose();
        }
    }

    [Benchmark(OperationsPerInvoke = Operations)]
    public void DotNext_AsyncExclusiveLock()
    {
        for (int i = 0; i < Operations; i++)
        {
            ValueTask pending = _dotNext.AcquireAsync(CancellationToken.None);
            if (!pending.IsCompletedSuccessfully)
            {
                throw new InvalidOperationException("An uncontended lock must be acquired synchronously.");
            }

            _dotNext.Release();
        }
    }
}

/// <summary>Contended throughput: <see cref="Tasks"/> tasks each take the lock 2,000 times around a tiny critical section.</summary>
[MemoryDiagnoser]
public class AsyncLockContendedBenchmarks : IDisposable
{
    private const int PerTask = 2_000;
    private SemaphoreSlim _semaphore = null!;
    private XSystem.Threading.AsyncLock _lock = null!;
    private Nito.AsyncEx.AsyncLock _nito = null!;
    private AsyncExclusiveLock _dotNext = null!;
    private long _counter;

    [Params(2, 8)]
    public int Tasks { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _semaphore = new SemaphoreSlim(1, 1);
        _lock = new XSystem.Threading.AsyncLock();
        _nito = new Nito.AsyncEx.AsyncLock();
        _dotNext = new AsyncExclusiveLock();
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _semaphore.Dispose();
        _dotNext.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true)]
    public Task SemaphoreSlim() => Run(async () =>
    {
        for (int i = 0; i < PerTask; i++)
        {
            await _semaphore.WaitAsync().ConfigureAwait(false);
            _counter++;
            _semaphore.Release();
        }
    });

    [Benchmark]
    public Task XSystem_AsyncLock() => Run(async () =>
    {
        for (int i = 0; i < PerTask; i++)
        {
            using (await _lock.LockAsync().ConfigureAwait(false))
            {
                _counter++;
            }
        }
    });

    [Benchmark]
    public Task Nito_AsyncLock() => Run(async () =>
    {
        for (int i = 0; i < PerTask; i++)
        {
            using (await _nito.LockAsync().ConfigureAwait(false))
            {
                _counter++;
            }
        }
    });

    [Benchmark]
    public Task DotNext_AsyncExclusiveLock() => Run(async () =>
    {
        for (int i = 0; i < PerTask; i++)
        {
            await _dotNext.AcquireAsync(CancellationToken.None).ConfigureAwait(false);
            _counter++;
            _dotNext.Release();
        }
    });

    private Task Run(Func<Task> body)
    {
        var tasks = new Task[Tasks];
        for (int t = 0; t < tasks.Length; t++)
        {
            tasks[t] = Task.Run(body);
        }

        return Task.WhenAll(tasks);
    }
}
