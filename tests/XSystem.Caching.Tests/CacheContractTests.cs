using System.Collections.Concurrent;

namespace XSystem.Caching.Tests;

/// <summary>The same behaviour checks run against every cache policy.</summary>
public abstract class CacheContractTests
{
    protected abstract ICache<int, string> Create(int capacity, bool disposeEvicted = false);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public void Constructor_ZeroCapacity_Throws() => Should.Throw<ArgumentOutOfRangeException>(() => Create(0));

    [Fact]
    public void TryGet_AfterSet_ReturnsValueAndCountsHit()
    {
        var cache = Create(4);
        cache.Set(1, "one");

        cache.TryGet(1, out var value).ShouldBeTrue();
        cache.TryGet(2, out _).ShouldBeFalse();

        value.ShouldBe("one");
        cache.Stats.ShouldBe(new CacheStats(1, 1, 0, 0));
        cache.Stats.HitRate.ShouldBe(0.5);
    }

    [Fact]
    public void Set_BeyondCapacity_EvictsOneAndRaisesCapacity()
    {
        var cache = Create(2);
        var events = new List<CacheEvictedEventArgs<int, string>>();
        cache.Evicted += (_, e) => events.Add(e);

        cache.Set(1, "a");
        cache.Set(2, "b");
        cache.Set(3, "c");

        cache.Count.ShouldBe(2);
        cache.Capacity.ShouldBe(2);
        events.Count.ShouldBe(1);
        events[0].Reason.ShouldBe(EvictionReason.Capacity);
        cache.Stats.Evictions.ShouldBe(1);
    }

    [Fact]
    public void Set_ExistingKey_ReplacesAndRaisesReplaced()
    {
        var cache = Create(2);
        var events = new List<CacheEvictedEventArgs<int, string>>();
        cache.Evicted += (_, e) => events.Add(e);
        cache.Set(1, "a");

        cache.Set(1, "b");

        cache.TryGet(1, out var value).ShouldBeTrue();
        value.ShouldBe("b");
        cache.Count.ShouldBe(1);
        events.ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            e => e.Key.ShouldBe(1), e => e.Value.ShouldBe("a"), e => e.Reason.ShouldBe(EvictionReason.Replaced));
    }

    [Fact]
    public void TryRemove_PresentAndMissing_ReturnsValueAndRaisesRemoved()
    {
        var cache = Create(2);
        var reasons = new List<EvictionReason>();
        cache.Evicted += (_, e) => reasons.Add(e.Reason);
        cache.Set(1, "a");

        cache.TryRemove(1, out var value).ShouldBeTrue();
        cache.TryRemove(1).ShouldBeFalse();

        value.ShouldBe("a");
        cache.Count.ShouldBe(0);
        reasons.ShouldBe([EvictionReason.Removed]);
    }

    [Fact]
    public void Clear_RaisesClearedForEveryEntry()
    {
        var cache = Create(4);
        var keys = new List<int>();
        cache.Evicted += (_, e) =>
        {
            e.Reason.ShouldBe(EvictionReason.Cleared);
            keys.Add(e.Key);
        };
        cache.Set(1, "a");
        cache.Set(2, "b");

        cache.Clear();

        cache.Count.ShouldBe(0);
        cache.Keys.ShouldBeEmpty();
        keys.Order().ShouldBe([1, 2]);
    }

    [Fact]
    public void Evicted_HandlerTakesNoLock_CanUseTheCache()
    {
        var cache = Create(1);
        int seen = -1;
        cache.Evicted += (_, e) => seen = cache.Count + (cache.TryGet(e.Key, out string? _) ? 100 : 0);
        cache.Set(1, "a");

        cache.Set(2, "b");

        seen.ShouldBe(1);
    }

    [Fact]
    public void DisposeEvicted_EveryReason_DisposesValuesThatLeft()
    {
        var cache = new DisposableCache(Create);
        var a = cache.Add(1, capacityHint: 2);
        var b = cache.Add(2);
        var c = cache.Add(3); // evicts one of a/b by capacity
        cache.Inner.TryRemove(3);
        c.Disposed.ShouldBeTrue();
        (a.Disposed ^ b.Disposed).ShouldBeTrue();
        var survivor = a.Disposed ? b : a;
        int survivorKey = a.Disposed ? 2 : 1;

        cache.Inner.Set(survivorKey, survivor); // same instance again: not disposed
        survivor.Disposed.ShouldBeFalse();
        var replacement = new Tracked();
        cache.Inner.Set(survivorKey, replacement);
        survivor.Disposed.ShouldBeTrue();
        cache.Inner.Clear();
        replacement.Disposed.ShouldBeTrue();
    }

    [Fact]
    public void DisposeEvicted_Off_LeavesValuesAlone()
    {
        var inner = new DisposableCache((capacity, _) => Create(capacity, disposeEvicted: false), dispose: false);
        var a = inner.Add(1, capacityHint: 1);
        inner.Add(2);

        a.Disposed.ShouldBeFalse();
    }

    [Fact]
    public void GetOrAdd_Miss_RunsFactoryOnceThenHits()
    {
        var cache = Create(4);
        int calls = 0;

        string first = cache.GetOrAdd(1, k => { calls++; return $"v{k}"; });
        string second = cache.GetOrAdd(1, k => { calls++; return "other"; });
        string third = cache.GetOrAdd(2, static (k, prefix) => prefix + k, "p");

        first.ShouldBe("v1");
        second.ShouldBe("v1");
        third.ShouldBe("p2");
        calls.ShouldBe(1);
    }

    [Fact]
    public void GetOrAdd_FactoryThrows_CachesNothingAndNextCallerRetries()
    {
        var cache = Create(4);

        Should.Throw<InvalidOperationException>(() => cache.GetOrAdd(1, _ => throw new InvalidOperationException("boom")));
        string value = cache.GetOrAdd(1, _ => "ok");

        value.ShouldBe("ok");
        cache.Count.ShouldBe(1);
    }

    [Fact]
    public async Task GetOrAddAsync_Hit_CompletesSynchronously()
    {
        var cache = Create(4);
        cache.Set(1, "one");

        var pending = cache.GetOrAddAsync(1, (_, _) => throw new InvalidOperationException("not called"), Token);

        pending.IsCompletedSuccessfully.ShouldBeTrue();
        (await pending).ShouldBe("one");
    }

    [Fact]
    public async Task GetOrAddAsync_ManyConcurrentCallers_RunFactoryOnce()
    {
        var cache = Create(16);
        int calls = 0;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async ValueTask<string> Factory(int key, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref calls);
            await gate.Task.WaitAsync(cancellationToken);
            return $"v{key}";
        }

        var callers = Enumerable.Range(0, 32).Select(_ => Task.Run(() => cache.GetOrAddAsync(7, Factory, Token).AsTask(), Token)).ToArray();
        await Task.Delay(50, Token); // let callers pile up behind the running factory
        gate.SetResult();
        string[] results = await Task.WhenAll(callers).WaitAsync(TimeSpan.FromSeconds(30), Token);

        results.ShouldAllBe(r => r == "v7");
        calls.ShouldBe(1);
    }

    [Fact]
    public async Task GetOrAdd_SyncCallersUnderContention_RunFactoryOncePerKey()
    {
        var cache = Create(64);
        var calls = new ConcurrentDictionary<int, int>();
        using var start = new Barrier(8);

        var threads = Enumerable.Range(0, 8).Select(_ => Task.Factory.StartNew(
            () =>
            {
                start.SignalAndWait(Token);
                for (int key = 0; key < 32; key++)
                {
                    cache.GetOrAdd(key, k =>
                    {
                        calls.AddOrUpdate(k, 1, (_, n) => n + 1);
                        Thread.Sleep(1);
                        return $"v{k}";
                    }).ShouldBe($"v{key}");
                }
            },
            Token,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)).ToArray();
        await Task.WhenAll(threads).WaitAsync(TimeSpan.FromSeconds(60), Token);

        calls.Count.ShouldBe(32);
        calls.Values.ShouldAllBe(n => n == 1);
    }

    [Fact]
    public async Task GetOrAddAsync_RunningCallerCancelled_WaiterRetriesAndSucceeds()
    {
        var cache = Create(4);
        using var ownerCancel = new CancellationTokenSource();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int calls = 0;

        var owner = cache.GetOrAddAsync(1, async (_, ct) =>
        {
            Interlocked.Increment(ref calls);
            started.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return "never";
        }, ownerCancel.Token).AsTask();
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10), Token);
        var waiter = cache.GetOrAddAsync(1, (_, _) =>
        {
            Interlocked.Increment(ref calls);
            return ValueTask.FromResult("second");
        }, Token).AsTask();
        await ownerCancel.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => owner);
        (await waiter.WaitAsync(TimeSpan.FromSeconds(10), Token)).ShouldBe("second");
        calls.ShouldBe(2);
    }

    [Fact]
    public async Task GetOrAddAsync_WaiterCancelled_OnlyItsWaitEnds()
    {
        var cache = Create(4);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var owner = cache.GetOrAddAsync(1, async (_, _) =>
        {
            started.SetResult();
            await release.Task;
            return "value";
        }, Token).AsTask();
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10), Token);
        using var waiterCancel = new CancellationTokenSource();

        var waiter = cache.GetOrAddAsync(1, (_, _) => ValueTask.FromResult("other"), waiterCancel.Token).AsTask();
        await waiterCancel.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(() => waiter);
        release.SetResult();

        (await owner.WaitAsync(TimeSpan.FromSeconds(10), Token)).ShouldBe("value");
        cache.TryGet(1, out var cached).ShouldBeTrue();
        cached.ShouldBe("value");
    }

    [Fact]
    public async Task GetOrAddAsync_FactoryFails_NextCallerRetries()
    {
        var cache = Create(4);

        await Should.ThrowAsync<InvalidOperationException>(() => cache.GetOrAddAsync(1, (_, _) => throw new InvalidOperationException("boom"), Token).AsTask());
        string value = await cache.GetOrAddAsync(1, (_, _) => ValueTask.FromResult("ok"), Token);

        value.ShouldBe("ok");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    public async Task MixedOperations_ManyThreads_StayConsistent(int threadCount)
    {
        var cache = Create(50);
        int evicted = 0;
        cache.Evicted += (_, _) => Interlocked.Increment(ref evicted);
        using var start = new Barrier(threadCount);
        var workers = Enumerable.Range(0, threadCount).Select(t => Task.Factory.StartNew(
            () =>
            {
                var random = new Random(t);
                start.SignalAndWait(Token);
                for (int i = 0; i < 20_000; i++)
                {
                    int key = random.Next(200);
                    switch (random.Next(10))
                    {
                        case < 6:
                            if (cache.TryGet(key, out var v))
                            {
                                v.ShouldBe($"v{key}");
                            }

                            break;
                        case < 8:
                            cache.Set(key, $"v{key}");
                            break;
                        case 8:
                            cache.TryRemove(key);
                            break;
                        default:
                            cache.GetOrAdd(key, k => $"v{k}").ShouldBe($"v{key}");
                            break;
                    }
                }

            },
            Token,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)).ToArray();

        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(60), Token);

        cache.Count.ShouldBeLessThanOrEqualTo(50);
        cache.Keys.Count.ShouldBe(cache.Count);
        cache.Keys.Distinct().Count().ShouldBe(cache.Count);
        var stats = cache.Stats;
        stats.Hits.ShouldBeGreaterThan(0);
        stats.Misses.ShouldBeGreaterThan(0);
        (stats.Evictions + stats.Expirations).ShouldBeLessThanOrEqualTo(evicted);
    }

    /// <summary>Builds a cache of <see cref="Tracked"/> values through the policy's own factory.</summary>
    private sealed class DisposableCache(Func<int, bool, ICache<int, string>> factory, bool dispose = true)
    {
        private readonly Func<int, bool, ICache<int, string>> _factory = factory;

        public ICache<int, Tracked> Inner { get; private set; } = null!;

        public Tracked Add(int key, int capacityHint = 0)
        {
            if (capacityHint > 0)
            {
                Inner = CacheFactories.Tracked(_factory(1, false), capacityHint, dispose);
            }

            var value = new Tracked();
            Inner.Set(key, value);
            return value;
        }
    }
}

internal sealed class Tracked : IDisposable
{
    public bool Disposed { get; private set; }

    public void Dispose() => Disposed = true;
}

internal static class CacheFactories
{
    /// <summary>A cache of the same policy as <paramref name="sample"/> holding <see cref="Tracked"/> values.</summary>
    public static ICache<int, Tracked> Tracked(ICache<int, string> sample, int capacity, bool dispose) => sample switch
    {
        LruCache<int, string> => new LruCache<int, Tracked>(capacity, new LruOptions { DisposeEvicted = dispose }),
        LfuCache<int, string> => new LfuCache<int, Tracked>(capacity, new LfuOptions { DisposeEvicted = dispose }),
        _ => new TtlCache<int, Tracked>(capacity, TimeSpan.FromHours(1), new TtlOptions { DisposeEvicted = dispose }),
    };
}

public sealed class LruCacheContractTests : CacheContractTests
{
    protected override ICache<int, string> Create(int capacity, bool disposeEvicted = false) =>
        new LruCache<int, string>(capacity, new LruOptions { DisposeEvicted = disposeEvicted });
}

public sealed class LfuCacheContractTests : CacheContractTests
{
    protected override ICache<int, string> Create(int capacity, bool disposeEvicted = false) =>
        new LfuCache<int, string>(capacity, new LfuOptions { DisposeEvicted = disposeEvicted });
}

public sealed class TtlCacheContractTests : CacheContractTests
{
    protected override ICache<int, string> Create(int capacity, bool disposeEvicted = false) =>
        new TtlCache<int, string>(capacity, TimeSpan.FromHours(1), new TtlOptions { DisposeEvicted = disposeEvicted });
}
