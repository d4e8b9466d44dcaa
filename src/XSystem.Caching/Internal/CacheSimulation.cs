using System.Diagnostics;

namespace XSystem.Caching.Internal;

/// <summary>
/// Hit-rate and throughput simulation shared by the benchmarks and <c>xsys cache-bench</c>: a seeded Zipf trace,
/// a replay against any cache (miss, then Set), Belady's optimum (the upper limit), and a multi-threaded replay.
/// </summary>
internal static class CacheSimulation
{
    /// <summary>A seeded trace of <paramref name="requests"/> keys in [0, <paramref name="keys"/>) with P(k) ~ 1/(k+1)^s.</summary>
    public static int[] ZipfTrace(int keys, double exponent, int requests, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(keys);
        ArgumentOutOfRangeException.ThrowIfNegative(requests);
        var cumulative = new double[keys];
        double sum = 0;
        for (int k = 0; k < keys; k++)
        {
            sum += 1.0 / Math.Pow(k + 1, exponent);
            cumulative[k] = sum;
        }

        var random = new Random(seed);
        var trace = new int[requests];
        for (int i = 0; i < requests; i++)
        {
            int index = Array.BinarySearch(cumulative, random.NextDouble() * sum);
            trace[i] = index >= 0 ? index : Math.Min(~index, keys - 1);
        }

        // Shuffle key identities so that hot keys are not also the small integers (hash layout would flatter them).
        var names = new int[keys];
        for (int k = 0; k < keys; k++)
        {
            names[k] = k;
        }

        random.Shuffle(names);
        for (int i = 0; i < requests; i++)
        {
            trace[i] = names[trace[i]];
        }

        return trace;
    }

    /// <summary>Replays a trace: TryGet, and Set on a miss. Returns the hit rate (0..1).</summary>
    public static double HitRate(ICache<int, int> cache, ReadOnlySpan<int> trace)
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
                cache.Set(key, key);
            }
        }

        return trace.Length == 0 ? 0 : (double)hits / trace.Length;
    }

    /// <summary>Belady's clairvoyant policy: on a miss with a full cache, evict the key used again furthest in the future.</summary>
    public static double BeladyHitRate(ReadOnlySpan<int> trace, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        int n = trace.Length;
        var nextUse = new int[n];
        var last = new Dictionary<int, int>();
        for (int i = n - 1; i >= 0; i--)
        {
            nextUse[i] = last.TryGetValue(trace[i], out int j) ? j : int.MaxValue;
            last[trace[i]] = i;
        }

        // key -> its next use; the heap holds (key, next use) with the furthest first, stale entries skipped lazily.
        var resident = new Dictionary<int, int>(capacity);
        var heap = new PriorityQueue<int, int>(Comparer<int>.Create(static (a, b) => b.CompareTo(a)));
        long hits = 0;
        for (int i = 0; i < n; i++)
        {
            int key = trace[i];
            if (resident.ContainsKey(key))
            {
                hits++;
            }
            else if (resident.Count >= capacity)
            {
                while (true)
                {
                    heap.TryDequeue(out int victim, out int due);
                    if (resident.TryGetValue(victim, out int current) && current == due)
                    {
                        resident.Remove(victim);
                        break;
                    }
                }
            }

            resident[key] = nextUse[i];
            heap.Enqueue(key, nextUse[i]);
            if (heap.Count > 4 * capacity + 1024)
            {
                heap.Clear();
                foreach (var pair in resident)
                {
                    heap.Enqueue(pair.Key, pair.Value);
                }
            }
        }

        return n == 0 ? 0 : (double)hits / n;
    }

    /// <summary>
    /// Replays the trace from <paramref name="threads"/> threads at once (each starts at a different offset) and
    /// returns operations per second over all threads. Each request is a TryGet; a miss is followed by a Set.
    /// </summary>
    public static double Throughput(ICache<int, int> cache, int[] trace, int threads, int operationsPerThread)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threads);
        using var start = new Barrier(threads + 1);
        var workers = new Thread[threads];
        for (int t = 0; t < threads; t++)
        {
            int offset = (int)((long)trace.Length * t / threads);
            workers[t] = new Thread(() =>
            {
                start.SignalAndWait();
                int index = offset;
                for (int i = 0; i < operationsPerThread; i++)
                {
                    int key = trace[index];
                    if (!cache.TryGet(key, out _))
                    {
                        cache.Set(key, key);
                    }

                    if (++index == trace.Length)
                    {
                        index = 0;
                    }
                }
            })
            { IsBackground = true };
            workers[t].Start();
        }

        start.SignalAndWait();
        var clock = Stopwatch.StartNew();
        foreach (var worker in workers)
        {
            worker.Join();
        }

        return (double)threads * operationsPerThread / clock.Elapsed.TotalSeconds;
    }
}
