using Microsoft.Extensions.Time.Testing;
using XSystem.Caching.Internal;

namespace XSystem.Caching.Tests;

public sealed class LruCacheTests
{
    [Fact]
    public void Keys_AfterGet_MostRecentFirstAndVictimIsLeastRecent()
    {
        var cache = new LruCache<string, int>(3);
        cache.Set("key1", 1);
        cache.Set("key2", 2);
        cache.Set("key3", 3);

        cache.TryGet("key1", out _);
        cache.Set("key4", 4);

        cache.Keys.ShouldBe(["key4", "key1", "key3"]);
    }

    [Fact]
    public void Set_ExistingKeyWhenFull_DoesNotEvict()
    {
        var cache = new LruCache<int, int>(2);
        cache.Set(1, 1);
        cache.Set(2, 2);

        cache.Set(1, 10);

        cache.Count.ShouldBe(2);
        cache.Stats.Evictions.ShouldBe(0);
        cache.Keys.ShouldBe([1, 2]);
    }

    [Fact]
    public void Comparer_IgnoreCase_FindsKeyInOtherCase()
    {
        var cache = new LruCache<string, int>(4, comparer: StringComparer.OrdinalIgnoreCase);
        cache.Set("Alpha", 1);

        cache.TryGet("ALPHA", out int value).ShouldBeTrue();
        value.ShouldBe(1);
    }

    [Fact]
    public void TimeToLive_Elapsed_EntryExpiresAndCounts()
    {
        var time = new FakeTimeProvider();
        var cache = new LruCache<int, int>(4, new LruOptions { TimeToLive = TimeSpan.FromSeconds(10), TimeProvider = time });
        var reasons = new List<EvictionReason>();
        cache.Evicted += (_, e) => reasons.Add(e.Reason);
        cache.Set(1, 1);

        time.Advance(TimeSpan.FromSeconds(5));
        cache.TryGet(1, out _).ShouldBeTrue();
        time.Advance(TimeSpan.FromSeconds(5));

        cache.TryGet(1, out _).ShouldBeFalse();
        reasons.ShouldBe([EvictionReason.Expired]);
        cache.Stats.Expirations.ShouldBe(1);
    }

    [Fact]
    public void ManyReads_MoreThanBufferHolds_OrderStaysExact()
    {
        var cache = new LruCache<int, int>(1000);
        for (int i = 0; i < 1000; i++)
        {
            cache.Set(i, i);
        }

        // 10,000 hits overflow the read ring many times; the last 1,000 reads decide the order.
        for (int i = 0; i < 10_000; i++)
        {
            cache.TryGet(i % 1000, out _);
        }

        cache.TryGet(500, out _);
        cache.Set(1000, 1000);

        cache.Keys[0].ShouldBe(1000);
        cache.Keys[1].ShouldBe(500);
        cache.Keys.ShouldNotContain(0);
        cache.Stats.Hits.ShouldBe(10_001);
    }
}

public sealed class LfuCacheTests
{
    [Fact]
    public void Set_WhenFull_EvictsLeastFrequentlyUsed()
    {
        var cache = new LfuCache<string, int>(3);
        cache.Set("k1", 1);
        cache.Set("k2", 2);
        cache.Set("k3", 3);
        for (int i = 0; i < 3; i++)
        {
            cache.TryGet("k1", out _);
        }

        cache.TryGet("k2", out _);
        cache.Set("k4", 4);

        cache.Keys.ShouldBe(["k1", "k2", "k4"]);
    }

    [Fact]
    public void Set_TiedCounts_EvictsLeastRecentlyUsed()
    {
        var cache = new LfuCache<int, int>(3);
        cache.Set(1, 1);
        cache.Set(2, 2);
        cache.Set(3, 3);
        cache.TryGet(2, out _);
        cache.TryGet(1, out _);
        cache.TryGet(3, out _);

        cache.Set(4, 4);

        cache.Keys.ShouldBe([3, 1, 4]);
    }

    [Fact]
    public void Aging_OnceHotKeyGoesCold_IsEvictedEventually()
    {
        var cache = new LfuCache<int, int>(2, new LfuOptions { AgingInterval = 10 });
        cache.Set(1, 1);
        for (int i = 0; i < 1000; i++)
        {
            cache.TryGet(1, out _);
        }

        // Key 1 is never read again; a steady working set of {2, 3} now competes with it.
        for (int round = 0; round < 200; round++)
        {
            if (!cache.TryGet(2, out _))
            {
                cache.Set(2, 2);
            }

            if (!cache.TryGet(3, out _))
            {
                cache.Set(3, 3);
            }
        }

        cache.Keys.ShouldBe([3, 2], ignoreOrder: true);
    }

    [Fact]
    public void Aging_Disabled_OnceHotKeyStays()
    {
        var cache = new LfuCache<int, int>(2, new LfuOptions { AgingInterval = -1 });
        cache.Set(1, 1);
        for (int i = 0; i < 1000; i++)
        {
            cache.TryGet(1, out _);
        }

        for (int round = 0; round < 200; round++)
        {
            if (!cache.TryGet(2, out _))
            {
                cache.Set(2, 2);
            }

            if (!cache.TryGet(3, out _))
            {
                cache.Set(3, 3);
            }
        }

        cache.Keys.ShouldContain(1);
    }

    [Fact]
    public void AgingInterval_Default_IsSixteenTimesCapacity() =>
        LfuCache<int, int>.AgingIntervalFor(100, 0).ShouldBe(1600);
}

public sealed class TtlCacheTests
{
    private static TtlCache<string, int> Create(FakeTimeProvider time, bool sliding = false, int capacity = 4, bool sweep = false) =>
        new(capacity, TimeSpan.FromSeconds(1), new TtlOptions { TimeProvider = time, SlidingExpiration = sliding, BackgroundSweep = sweep });

    [Fact]
    public void TryGet_PartialExpiry_OnlyOldEntryGone()
    {
        var time = new FakeTimeProvider();
        var cache = Create(time);
        cache.Set("k1", 1);
        time.Advance(TimeSpan.FromMilliseconds(300));
        cache.Set("k2", 2);

        time.Advance(TimeSpan.FromMilliseconds(800));

        cache.TryGet("k1", out _).ShouldBeFalse();
        cache.TryGet("k2", out _).ShouldBeTrue();
        cache.Stats.Expirations.ShouldBe(1);
    }

    [Fact]
    public void ExpireAfterWrite_ReadsDoNotExtend()
    {
        var time = new FakeTimeProvider();
        var cache = Create(time);
        cache.Set("k", 1);

        time.Advance(TimeSpan.FromMilliseconds(600));
        cache.TryGet("k", out _).ShouldBeTrue();
        time.Advance(TimeSpan.FromMilliseconds(600));

        cache.TryGet("k", out _).ShouldBeFalse();
    }

    [Fact]
    public void Sliding_ReadsExtend()
    {
        var time = new FakeTimeProvider();
        var cache = Create(time, sliding: true);
        cache.Set("k", 1);

        for (int i = 0; i < 5; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(600));
            cache.TryGet("k", out _).ShouldBeTrue();
        }

        time.Advance(TimeSpan.FromMilliseconds(1000));
        cache.TryGet("k", out _).ShouldBeFalse();
    }

    [Fact]
    public void SetWithTimeToLive_OverridesDefault()
    {
        var time = new FakeTimeProvider();
        var cache = Create(time);
        cache.Set("long", 1, TimeSpan.FromMinutes(1));
        cache.Set("short", 2);

        time.Advance(TimeSpan.FromSeconds(30));

        cache.TryGet("long", out _).ShouldBeTrue();
        cache.TryGet("short", out _).ShouldBeFalse();
        cache.GetRemainingTimeToLive("long").ShouldBe(TimeSpan.FromSeconds(30));
        cache.GetRemainingTimeToLive("short").ShouldBeNull();
    }

    [Fact]
    public void Set_WhenFull_EvictsExpiredBeforeLive()
    {
        var time = new FakeTimeProvider();
        var cache = Create(time, capacity: 3);
        var evicted = new List<(string, EvictionReason)>();
        cache.Evicted += (_, e) => evicted.Add((e.Key, e.Reason));
        cache.Set("short", 0, TimeSpan.FromMilliseconds(100));
        cache.Set("a", 1, TimeSpan.FromMinutes(1));
        cache.Set("b", 2, TimeSpan.FromMinutes(1));
        cache.TryGet("short", out _).ShouldBeTrue(); // most recently used, but about to expire
        time.Advance(TimeSpan.FromMilliseconds(200));

        cache.Set("c", 3);

        evicted.ShouldBe([("short", EvictionReason.Expired)]);
        cache.Keys.ShouldBe(["c", "b", "a"]);
    }

    [Fact]
    public void Keys_SkipExpiredEntries()
    {
        var time = new FakeTimeProvider();
        var cache = Create(time);
        cache.Set("old", 1);
        time.Advance(TimeSpan.FromMilliseconds(600));
        cache.Set("new", 2);
        time.Advance(TimeSpan.FromMilliseconds(600));

        cache.Keys.ShouldBe(["new"]);
    }

    [Fact]
    public void SharedTimer_Tick_RemovesExpiredWithoutAccess()
    {
        var time = new FakeTimeProvider();
        var cache = Create(time, sweep: true);
        var reasons = new List<EvictionReason>();
        cache.Evicted += (_, e) => reasons.Add(e.Reason);
        cache.Set("a", 1);
        cache.Set("b", 2);

        time.Advance(ExpiryScheduler.Period * 2);

        cache.Count.ShouldBe(0);
        reasons.ShouldBe([EvictionReason.Expired, EvictionReason.Expired]);
        cache.Stats.Expirations.ShouldBe(2);
    }

    [Fact]
    public void SharedTimer_ManyCaches_OneRegistryPerProvider()
    {
        var time = new FakeTimeProvider();
        var caches = Enumerable.Range(0, 5).Select(_ => Create(time, sweep: true)).ToList();

        ExpiryScheduler.RegisteredCount(time).ShouldBe(5);
        caches.Count.ShouldBe(5);
    }

    [Fact]
    public void SharedTimer_AbandonedCache_IsCollected()
    {
        var time = new FakeTimeProvider();
        var weak = CreateAbandoned(time);

        for (int i = 0; i < 5 && IsAlive(weak); i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        IsAlive(weak).ShouldBeFalse();
        time.Advance(ExpiryScheduler.Period); // the tick drops the dead registration
        ExpiryScheduler.RegisteredCount(time).ShouldBe(0);
    }

    // Separate non-inlined methods, so no hidden local in the test's own frame keeps the cache alive.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static bool IsAlive(WeakReference<TtlCache<string, int>> weak) => weak.TryGetTarget(out _);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference<TtlCache<string, int>> CreateAbandoned(FakeTimeProvider time)
    {
        var cache = Create(time, sweep: true);
        cache.Set("a", 1);
        return new WeakReference<TtlCache<string, int>>(cache);
    }

    [Fact]
    public void Constructor_NonPositiveTimeToLive_Throws() =>
        Should.Throw<ArgumentOutOfRangeException>(() => new TtlCache<int, int>(4, TimeSpan.Zero));
}

public sealed class MemoizeTests
{
    [Fact]
    public void Memoize_OneArgument_CallsFunctionOncePerArgument()
    {
        int calls = 0;
        Func<int, int> square = x => { calls++; return x * x; };
        var cached = square.Memoize(new LruCache<int, int>(10));

        cached(3).ShouldBe(9);
        cached(3).ShouldBe(9);
        cached(4).ShouldBe(16);

        calls.ShouldBe(2);
    }

    [Fact]
    public void Memoize_TwoAndThreeArguments_UseCacheKeys()
    {
        int calls = 0;
        Func<string, int, string> repeat = (s, n) => { calls++; return string.Concat(Enumerable.Repeat(s, n)); };
        Func<int, int, int, int> sum = (a, b, c) => { calls++; return a + b + c; };
        var cachedRepeat = repeat.Memoize(new LruCache<CacheKey<string, int>, string>(10));
        var cachedSum = sum.Memoize(new LfuCache<CacheKey<int, int, int>, int>(10));

        cachedRepeat("ab", 2).ShouldBe("abab");
        cachedRepeat("ab", 2).ShouldBe("abab");
        cachedSum(1, 2, 3).ShouldBe(6);
        cachedSum(1, 2, 3).ShouldBe(6);

        calls.ShouldBe(2);
    }

    [Fact]
    public async Task Memoize_Async_HitsCompleteSynchronously()
    {
        int calls = 0;
        Func<int, CancellationToken, ValueTask<string>> load = async (x, ct) =>
        {
            calls++;
            await Task.Yield();
            return $"v{x}";
        };
        var cached = load.Memoize(new LruCache<int, string>(10));

        (await cached(1, TestContext.Current.CancellationToken)).ShouldBe("v1");
        var second = cached(1, TestContext.Current.CancellationToken);

        second.IsCompletedSuccessfully.ShouldBeTrue();
        (await second).ShouldBe("v1");
        calls.ShouldBe(1);
    }

    [Fact]
    public void CacheKey_EqualComponents_EqualKeysAndHashes()
    {
        var a = CacheKey.Create("x", 1, 2.5);
        var b = CacheKey.Create("x", 1, 2.5);
        var c = CacheKey.Create("x", 2, 2.5);

        a.ShouldBe(b);
        a.GetHashCode().ShouldBe(b.GetHashCode());
        a.ShouldNotBe(c);
        CacheKey.Create(1, 2, 3, 4).ShouldBe(new CacheKey<int, int, int, int>(1, 2, 3, 4));
    }
}

public sealed class SimulationTests
{
    [Fact]
    public void Belady_SmallTrace_MatchesHandCount()
    {
        // capacity 2: a b c a b -> misses a, b, c(evict b: next use later than a), hit a, miss b => 1 hit of 5
        int[] trace = [1, 2, 3, 1, 2];

        CacheSimulation.BeladyHitRate(trace, 2).ShouldBe(0.2);
    }

    [Fact]
    public void HitRates_ZipfTrace_OrderedLruBelowLfuBelowBelady()
    {
        var trace = CacheSimulation.ZipfTrace(5_000, 0.9, 100_000, seed: 1);

        double lru = CacheSimulation.HitRate(new LruCache<int, int>(250), trace);
        double lfu = CacheSimulation.HitRate(new LfuCache<int, int>(250), trace);
        double belady = CacheSimulation.BeladyHitRate(trace, 250);

        lru.ShouldBeGreaterThan(0.2);
        lfu.ShouldBeGreaterThan(lru);
        belady.ShouldBeGreaterThan(lfu);
    }
}
