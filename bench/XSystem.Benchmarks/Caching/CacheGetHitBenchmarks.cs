using BenchmarkDotNet.Attributes;
using BitFaster.Caching.Lfu;
using BitFaster.Caching.Lru;
using Microsoft.Extensions.Caching.Memory;
using XSystem.Caching;

namespace XSystem.Benchmarks.Caching;

/// <summary>
/// Single-thread get-hit: 1,000 hot int keys, all present, looked up round-robin (1,000 lookups per invocation).
/// Baseline: BitFaster ConcurrentLru. A plain ConcurrentDictionary shows the floor.
/// </summary>
[MemoryDiagnoser]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet disposes through [GlobalCleanup].")]
public class CacheGetHitBenchmarks
{
    private const int Keys = 1000;
    private readonly LruCache<int, int> _lru = new(2 * Keys);
    private readonly LfuCache<int, int> _lfu = new(2 * Keys);
    private readonly TtlCache<int, int> _ttl = new(2 * Keys, TimeSpan.FromHours(1));
    private readonly ConcurrentLru<int, int> _bitFasterLru = new(2 * Keys);
    private readonly ConcurrentLfu<int, int> _bitFasterLfu = new(2 * Keys);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, int> _dictionary = new();
    private readonly MemoryCache _memoryCache = new(new MemoryCacheOptions());

    [GlobalSetup]
    public void Setup()
    {
        for (int i = 0; i < Keys; i++)
        {
            _lru.Set(i, i);
            _lfu.Set(i, i);
            _ttl.Set(i, i);
            _bitFasterLru.AddOrUpdate(i, i);
            _bitFasterLfu.AddOrUpdate(i, i);
            _dictionary[i] = i;
            _memoryCache.Set(i, i);
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _memoryCache.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Keys, Description = "BitFaster ConcurrentLru")]
    public int BitFasterConcurrentLru()
    {
        int sum = 0;
        for (int i = 0; i < Keys; i++)
        {
            _bitFasterLru.TryGet(i, out int v);
            sum += v;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Keys, Description = "BitFaster ConcurrentLfu")]
    public int BitFasterConcurrentLfu()
    {
        int sum = 0;
        for (int i = 0; i < Keys; i++)
        {
            _bitFasterLfu.TryGet(i, out int v);
            sum += v;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Keys, Description = "XSystem LruCache")]
    public int LruCache()
    {
        int sum = 0;
        for (int i = 0; i < Keys; i++)
        {
            _lru.TryGet(i, out int v);
            sum += v;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Keys, Description = "XSystem LfuCache")]
    public int LfuCache()
    {
        int sum = 0;
        for (int i = 0; i < Keys; i++)
        {
            _lfu.TryGet(i, out int v);
            sum += v;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Keys, Description = "XSystem TtlCache")]
    public int TtlCache()
    {
        int sum = 0;
        for (int i = 0; i < Keys; i++)
        {
            _ttl.TryGet(i, out int v);
            sum += v;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Keys, Description = "MemoryCache")]
    public int MemoryCache()
    {
        int sum = 0;
        for (int i = 0; i < Keys; i++)
        {
            _memoryCache.TryGetValue(i, out int v);
            sum += v;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Keys, Description = "ConcurrentDictionary (floor)")]
    public int Dictionary()
    {
        int sum = 0;
        for (int i = 0; i < Keys; i++)
        {
            _dictionary.TryGetValue(i, out int v);
            sum += v;
        }

        return sum;
    }
}
