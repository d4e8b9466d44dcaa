using Microsoft.Extensions.Time.Testing;

namespace XSystem.Caching.Tests;

/// <summary>Long stress runs; excluded from the default run (<c>--filter-trait "Category=Soak"</c> to run them).</summary>
[Trait("Category", "Soak")]
public sealed class SoakTests
{
    [Fact]
    public async Task AllPolicies_EightThreadsForManyOperations_StayWithinCapacityAndConsistent()
    {
        var time = new FakeTimeProvider();
        ICache<int, int>[] caches =
        [
            new LruCache<int, int>(500),
            new LfuCache<int, int>(500, new LfuOptions { AgingInterval = 1000 }),
            new TtlCache<int, int>(500, TimeSpan.FromSeconds(5), new TtlOptions { TimeProvider = time, SlidingExpiration = true }),
            new LruCache<int, int>(500, new LruOptions { TimeToLive = TimeSpan.FromSeconds(3), TimeProvider = time }),
        ];
        foreach (var cache in caches)
        {
            using var start = new Barrier(8);
            var workers = Enumerable.Range(0, 8).Select(t => Task.Factory.StartNew(
                () =>
                {
                    var random = new Random(t);
                    start.SignalAndWait(TestContext.Current.CancellationToken);
                    for (int i = 0; i < 500_000; i++)
                    {
                        int key = random.Next(2_000);
                        switch (random.Next(20))
                        {
                            case < 14:
                                if (cache.TryGet(key, out int v))
                                {
                                    v.ShouldBe(key);
                                }

                                break;
                            case < 17:
                                cache.Set(key, key);
                                break;
                            case 17:
                                cache.TryRemove(key);
                                break;
                            case 18:
                                cache.GetOrAdd(key, k => k).ShouldBe(key);
                                break;
                            default:
                                if (t == 0 && i % 1000 == 0)
                                {
                                    time.Advance(TimeSpan.FromMilliseconds(100));
                                }

                                break;
                        }
                    }
                },
                TestContext.Current.CancellationToken,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default)).ToArray();

            await Task.WhenAll(workers).WaitAsync(TimeSpan.FromMinutes(5), TestContext.Current.CancellationToken);

            cache.Count.ShouldBeLessThanOrEqualTo(500);
            cache.Keys.Count.ShouldBeLessThanOrEqualTo(cache.Count);
            cache.Stats.Lookups.ShouldBeGreaterThan(0);
        }
    }
}
