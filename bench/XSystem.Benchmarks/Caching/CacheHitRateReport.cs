using System.Globalization;
using BitFaster.Caching.Lfu;
using BitFaster.Caching.Lru;
using BitFaster.Caching.Scheduler;
using XSystem.Caching;
using XSystem.Caching.Internal;

namespace XSystem.Benchmarks.Caching;

/// <summary>
/// Hit-rate console run (<c>dotnet run -c Release --project bench/XSystem.Benchmarks -- cache-hitrate</c>):
/// Zipf(0.9), 1M requests over 50k keys, cache sizes 1%, 5%, 10%; XSystem LruCache and LfuCache against BitFaster
/// ConcurrentLru and ConcurrentLfu and Belady's optimum. Prints a Markdown table.
/// </summary>
internal static class CacheHitRateReport
{
    public static void Run()
    {
        const int Keys = 50_000;
        var trace = CacheSimulation.ZipfTrace(Keys, 0.9, 1_000_000, seed: 42);
        Console.WriteLine("| Cache size | Belady (optimum) | BitFaster ConcurrentLru | BitFaster ConcurrentLfu | XSystem LruCache | XSystem LfuCache | LfuCache - ConcurrentLfu |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (int size in new[] { Keys / 100, Keys / 20, Keys / 10 })
        {
            double belady = CacheSimulation.BeladyHitRate(trace, size);
            double bitFasterLru = Replay(trace, new ConcurrentLru<int, int>(size));
            var lfu = new ConcurrentLfu<int, int>(1, size, new ForegroundScheduler(), EqualityComparer<int>.Default);
            double bitFasterLfu = Replay(trace, lfu);
            double ours = CacheSimulation.HitRate(new LruCache<int, int>(size), trace);
            double oursLfu = CacheSimulation.HitRate(new LfuCache<int, int>(size), trace);
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {size:N0} ({100.0 * size / Keys:0.#}%) | {belady:P1} | {bitFasterLru:P1} | {bitFasterLfu:P1} | {ours:P1} | {oursLfu:P1} | {100 * (oursLfu - bitFasterLfu):+0.0;-0.0} points |"));
        }
    }

    private static double Replay(int[] trace, BitFaster.Caching.ICache<int, int> cache)
    {
        long hits = 0;
        foreach (int key in trace)
        {
            if (cache.TryGet(key, out _))
            {
                hits++;
            }
            else
            {
                cache.AddOrUpdate(key, key);
            }
        }

        return (double)hits / trace.Length;
    }
}
