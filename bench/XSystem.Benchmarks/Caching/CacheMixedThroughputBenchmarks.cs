using BenchmarkDotNet.Attributes;
using BitFaster.Caching.Lru;
using Microsoft.Extensions.Caching.Memory;
using XSystem.Caching;

namespace XSystem.Benchmarks.Caching;

/// <summary>
/// Two threads at once, 90% TryGet / 10% Set, keys from a Zipf(0.9)-like trace over 20,000 keys, capacity 2,000;
/// the time per operation over both threads (lower is better). Baseline: BitFaster ConcurrentLru.
/// </summary>
[MemoryDiagnoser]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet disposes through [GlobalCleanup].")]
public class CacheMixedThroughputBenchmarks
{
    private const int OperationsPerThread = 100_000;
    private const int Threads = 2;
    private int[] _trace = [];
    private LruCache<int, int> _lru = null!;
    private LfuCache<int, int> _lfu = null!;
    private ConcurrentLru<int, int> _bitFaster = null!;
    private MemoryCache _memoryCache = null!;

    [GlobalSetup]
    public void Setup()
    {
        _trace = XSystem.Caching.Internal.CacheSimulation.ZipfTrace(20_000, 0.9, 2 * OperationsPerThread, seed: 7);
        _lru = new LruCache<int, int>(2_000);
        _lfu = new LfuCache<int, int>(2_000);
        _bitFaster = new ConcurrentLru<int, int>(2_000);
        _memoryCache = new MemoryCache(new MemoryCacheOptions { SizeLimit = 2_000 });
    }

    [GlobalCleanup]
    public void Cleanup() => _memoryCache.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Threads * OperationsPerThread, Description = "BitFaster ConcurrentLru")]
    public void BitFasterConcurrentLru() => Run(key =>
    {
        if (key % 10 == 0)
        {
            _bitFaster.AddOrUpdate(key, key);
        }
        else
        {
            _bitFaster.TryGet(key, out _);
        }
    });

    [Benchmark(OperationsPerInvoke = Threads * OperationsPerThread, Description = "XSystem LruCache")]
    public void LruCache() => Run(key =>
    {
        if (key % 10 == 0)
        {
            _lru.Set(key, key);
        }
        else
        {
            _lru.TryGet(key, out _);
        }
    });

    [Benchmark(OperationsPerInvoke = Threads * OperationsPerThread, Description = "XSystem LfuCache")]
    public void LfuCache() => Run(key =>
    {
        if (key % 10 == 0)
        {
            _lfu.Set(key, key);
        }
        else
        {
            _lfu.TryGet(key, out _);
        }
    });

    [Benchmark(OperationsPerInvoke = Threads * OperationsPerThread, Description = "MemoryCache")]
    public void MemoryCache() => Run(key =>
    {
        if (key % 10 == 0)
        {
            _memoryCache.Set(key, key, new MemoryCacheEntryOptions { Size = 1 });
        }
        else
        {
            _memoryCache.TryGetValue(key, out _);
        }
    });

    private void Run(Action<int> operation)
    {
        var trace = _trace;
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, t =>
        {
            int offset = t * OperationsPerThread;
            for (int i = 0; i < OperationsPerThread; i++)
            {
                operation(trace[offset + i]);
            }
        });
    }
}
