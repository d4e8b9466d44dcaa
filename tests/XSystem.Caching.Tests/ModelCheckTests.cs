using Microsoft.Extensions.Time.Testing;

namespace XSystem.Caching.Tests;

/// <summary>Random operation sequences (seeded) run against a cache and the reference model side by side.</summary>
public sealed class ModelCheckTests
{
    public static TheoryData<int> Seeds => [.. Enumerable.Range(1, 40)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void LruCache_RandomOperations_MatchesModel(int seed)
    {
        var cache = new LruCache<int, int>(8);
        Run(seed, cache, new ReferenceModel(ModelPolicy.Lru, 8), time: null, ttlTicks: long.MaxValue, perEntryTtl: false);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void LruCache_WithTimeToLive_MatchesModel(int seed)
    {
        var time = new FakeTimeProvider();
        var ttl = TimeSpan.FromMilliseconds(700);
        var cache = new LruCache<int, int>(8, new LruOptions { TimeToLive = ttl, TimeProvider = time });
        Run(seed, cache, new ReferenceModel(ModelPolicy.Lru, 8), time, ttl.Ticks, perEntryTtl: false);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void LfuCache_RandomOperations_MatchesModel(int seed)
    {
        var cache = new LfuCache<int, int>(8, new LfuOptions { AgingInterval = -1 });
        Run(seed, cache, new ReferenceModel(ModelPolicy.Lfu, 8), time: null, ttlTicks: long.MaxValue, perEntryTtl: false);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void LfuCache_WithAging_MatchesModel(int seed)
    {
        var cache = new LfuCache<int, int>(8, new LfuOptions { AgingInterval = 37 });
        Run(seed, cache, new ReferenceModel(ModelPolicy.Lfu, 8, agingInterval: 37), time: null, ttlTicks: long.MaxValue, perEntryTtl: false);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void TtlCache_ExpireAfterWrite_MatchesModel(int seed)
    {
        var time = new FakeTimeProvider();
        var ttl = TimeSpan.FromMilliseconds(500);
        var cache = new TtlCache<int, int>(8, ttl, new TtlOptions { TimeProvider = time });
        Run(seed, cache, new ReferenceModel(ModelPolicy.Lru, 8), time, ttl.Ticks, perEntryTtl: true);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void TtlCache_Sliding_MatchesModel(int seed)
    {
        var time = new FakeTimeProvider();
        var ttl = TimeSpan.FromMilliseconds(500);
        var cache = new TtlCache<int, int>(8, ttl, new TtlOptions { TimeProvider = time, SlidingExpiration = true });
        Run(seed, cache, new ReferenceModel(ModelPolicy.Lru, 8, sliding: true), time, ttl.Ticks, perEntryTtl: true);
    }

    private static void Run(int seed, ICache<int, int> cache, ReferenceModel model, FakeTimeProvider? time, long ttlTicks, bool perEntryTtl)
    {
        var random = new Random(seed);
        var events = new List<CacheEvictedEventArgs<int, int>>();
        cache.Evicted += (_, e) => events.Add(e);
        if (time is not null)
        {
            model.Now = time.GetTimestamp();
        }

        for (int step = 0; step < 1500; step++)
        {
            events.Clear();
            model.Expected.Clear();
            int key = Skewed(random, 20);
            int roll = random.Next(100);
            string op;
            if (roll < 50)
            {
                op = $"TryGet({key})";
                bool hit = cache.TryGet(key, out int value);
                bool expectedHit = model.TryGet(key, out int expectedValue);
                hit.ShouldBe(expectedHit, $"seed {seed} step {step}: {op}");
                value.ShouldBe(expectedValue, $"seed {seed} step {step}: {op}");
            }
            else if (roll < 85)
            {
                int value = random.Next(1000);
                long ttl = ttlTicks;
                if (perEntryTtl && random.Next(4) == 0)
                {
                    ttl = TimeSpan.FromMilliseconds(random.Next(1, 1500)).Ticks;
                    ((TtlCache<int, int>)cache).Set(key, value, TimeSpan.FromTicks(ttl));
                }
                else
                {
                    cache.Set(key, value);
                }

                op = $"Set({key})";
                model.Set(key, value, ttl, candidates => events.First(e => e.Reason == EvictionReason.Expired && candidates.Contains(e.Key)).Key);
            }
            else if (roll < 93)
            {
                op = $"TryRemove({key})";
                bool removed = cache.TryRemove(key, out int value);
                model.TryRemove(key, out int expectedValue).ShouldBe(removed, $"seed {seed} step {step}: {op}");
                value.ShouldBe(expectedValue);
            }
            else if (roll < 94)
            {
                op = "Clear()";
                cache.Clear();
                model.Clear();
            }
            else if (time is not null)
            {
                op = "Advance";
                events.Clear();
                time.Advance(TimeSpan.FromMilliseconds(random.Next(1, 400)));
                model.Now = time.GetTimestamp();

                // The shared sweep timer may have run inside Advance; make the sweep explicit on both sides.
                (cache as LruCache<int, int>)?.RemoveExpired();
                (cache as TtlCache<int, int>)?.RemoveExpired();
                var expired = model.RemoveExpired();
                events.Select(e => e.Key).ToHashSet().SetEquals(expired).ShouldBeTrue($"seed {seed} step {step}: sweep");
                events.ShouldAllBe(e => e.Reason == EvictionReason.Expired);
                continue;
            }
            else
            {
                continue;
            }

            events.Count.ShouldBe(model.Expected.Count, $"seed {seed} step {step}: {op} events");
            for (int i = 0; i < events.Count; i++)
            {
                model.Expected[i].Candidates.ShouldContain(events[i].Key, $"seed {seed} step {step}: {op} event {i}");
                events[i].Reason.ShouldBe(model.Expected[i].Reason, $"seed {seed} step {step}: {op} event {i}");
            }

            cache.Keys.ShouldBe(model.Keys(), $"seed {seed} step {step}: after {op}");
            cache.Count.ShouldBe(model.Count, $"seed {seed} step {step}: after {op}");
        }

        var stats = cache.Stats;
        stats.Hits.ShouldBe(model.Hits);
        stats.Misses.ShouldBe(model.Misses);
        stats.Evictions.ShouldBe(model.Evictions);
        stats.Expirations.ShouldBe(model.Expirations);
    }

    /// <summary>Small keys are more likely, so hits, re-uses and evictions all happen.</summary>
    private static int Skewed(Random random, int range) => (int)(range * Math.Pow(random.NextDouble(), 2));
}
