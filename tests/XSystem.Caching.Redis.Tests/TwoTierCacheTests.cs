using System.Diagnostics;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using XSystem.Caching.Redis.Tests.Infrastructure;

namespace XSystem.Caching.Redis.Tests;

public sealed class TwoTierCacheTests(RedisFixture redis) : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);
    private readonly List<IDisposable> _disposables = [];
    private ConnectionMultiplexer _connectionA = null!;
    private ConnectionMultiplexer _connectionB = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _connectionA = await redis.ConnectAsync();
        _connectionB = await redis.ConnectAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (IDisposable disposable in _disposables)
        {
            disposable.Dispose();
        }

        await _connectionA.DisposeAsync();
        await _connectionB.DisposeAsync();
    }

    /// <summary>Two caches on two connections, sharing a prefix: two nodes of one application.</summary>
    private (TwoTierCache<string> A, TwoTierCache<string> B) TwoNodes()
    {
        var options = new TwoTierCacheOptions { Redis = new RedisCacheOptions { Prefix = RedisFixture.UniquePrefix() } };
        var a = new TwoTierCache<string>(_connectionA, options);
        var b = new TwoTierCache<string>(_connectionB, options);
        _disposables.Add(a);
        _disposables.Add(b);
        return (a, b);
    }

    [Fact]
    public async Task TryGetAsync_LocalHit_CompletesSynchronously()
    {
        var (a, _) = TwoNodes();
        await a.SetAsync("k", "v", Token);

        ValueTask<CacheLookup<string>> pending = a.TryGetAsync("k", Token);
        bool synchronous = pending.IsCompletedSuccessfully;

        synchronous.ShouldBeTrue();
        (await pending).Value.ShouldBe("v");
        a.Stats.LocalHits.ShouldBe(1);
    }

    [Fact]
    public async Task GetOrAddAsync_LocalHit_CompletesSynchronouslyWithoutFactory()
    {
        var (a, _) = TwoNodes();
        await a.SetAsync("k", "v", Token);

        ValueTask<string> pending = a.GetOrAddAsync("k", (_, _) => throw new InvalidOperationException("must not run"), Token);
        bool synchronous = pending.IsCompletedSuccessfully;

        synchronous.ShouldBeTrue();
        (await pending).ShouldBe("v");
    }

    [Fact]
    public async Task TryGetAsync_OtherNodeWrote_ComesFromRedisThenLocally()
    {
        var (a, b) = TwoNodes();
        await a.SetAsync("k", "from a", Token);
        await HeardAsync(b, 1);

        CacheLookup<string> first = await b.TryGetAsync("k", Token);
        CacheLookup<string> second = await b.TryGetAsync("k", Token);

        first.Value.ShouldBe("from a");
        second.Value.ShouldBe("from a");
        b.Stats.RedisHits.ShouldBe(1);
        b.Stats.LocalHits.ShouldBe(1);
    }

    [Fact]
    public async Task SetAsync_OnNodeA_InvalidatesNodeBLocalCopy()
    {
        // Arrange: B holds "v1" locally.
        var (a, b) = TwoNodes();
        await a.SetAsync("k", "v1", Token);
        await HeardAsync(b, 1);
        (await b.TryGetAsync("k", Token)).Value.ShouldBe("v1");
        b.LocalCache.TryGet("k", out _).ShouldBeTrue();

        // Act
        await a.SetAsync("k", "v2", Token);
        bool dropped = await WaitUntilAsync(() => !b.LocalCache.TryGet("k", out _), Bound);

        // Assert: B dropped its copy and reads the new value; A ignored its own message and kept its copy.
        dropped.ShouldBeTrue("node B still holds its local copy 5 s after node A's write");
        (await b.TryGetAsync("k", Token)).Value.ShouldBe("v2");
        b.Stats.InvalidationsReceived.ShouldBeGreaterThanOrEqualTo(1);
        a.Stats.InvalidationsReceived.ShouldBe(0);
        a.LocalCache.TryGet("k", out string? mine).ShouldBeTrue();
        mine.ShouldBe("v2");
    }

    [Fact]
    public async Task RemoveAsync_OnNodeA_RemovesEverywhere()
    {
        var (a, b) = TwoNodes();
        await a.SetAsync("k", "v", Token);
        await HeardAsync(b, 1);
        (await b.TryGetAsync("k", Token)).Found.ShouldBeTrue();
        b.LocalCache.TryGet("k", out _).ShouldBeTrue();

        bool removed = await a.RemoveAsync("k", Token);
        bool dropped = await WaitUntilAsync(() => !b.LocalCache.TryGet("k", out _), Bound);

        removed.ShouldBeTrue();
        dropped.ShouldBeTrue();
        (await b.TryGetAsync("k", Token)).Found.ShouldBeFalse();
        (await a.TryGetAsync("k", Token)).Found.ShouldBeFalse();
    }

    [Fact]
    public async Task Set_SyncOnNodeA_InvalidatesNodeB()
    {
        var (a, b) = TwoNodes();
        a.Set("k", "v1");
        await HeardAsync(b, 1);
        b.TryGet("k", out string? first).ShouldBeTrue();

        a.Set("k", "v2");
        bool dropped = await WaitUntilAsync(() => !b.LocalCache.TryGet("k", out _), Bound);

        first.ShouldBe("v1");
        dropped.ShouldBeTrue();
        b.TryGet("k", out string? second).ShouldBeTrue();
        second.ShouldBe("v2");
        a.TryRemove("k").ShouldBeTrue();
        (await WaitUntilAsync(() => !b.LocalCache.TryGet("k", out _), Bound)).ShouldBeTrue();
    }

    [Fact]
    public async Task GetOrAddAsync_NewValue_InvalidatesStaleCopyOnOtherNode()
    {
        // B holds a copy that Redis no longer has (say the Redis entry expired): A's new value must replace it.
        var (a, b) = TwoNodes();
        b.LocalCache.Set("k", "stale");

        string made = await a.GetOrAddAsync("k", (_, _) => ValueTask.FromResult("fresh"), Token);
        bool dropped = await WaitUntilAsync(() => !b.LocalCache.TryGet("k", out _), Bound);

        made.ShouldBe("fresh");
        dropped.ShouldBeTrue();
        (await b.TryGetAsync("k", Token)).Value.ShouldBe("fresh");
    }

    [Fact]
    public async Task GetOrAddAsync_TwoNodesTwentyCallers_FactoryRunsOnce()
    {
        var (a, b) = TwoNodes();
        int runs = 0;
        async ValueTask<string> Factory(string key, CancellationToken ct)
        {
            Interlocked.Increment(ref runs);
            await Task.Delay(300, ct);
            return "made once";
        }

        using var go = new ManualResetEventSlim();
        Task<string>[] callers = Enumerable.Range(0, 20)
            .Select(i => Task.Run(async () =>
            {
                go.Wait(Token);
                return await (i % 2 == 0 ? a : b).GetOrAddAsync("hot", Factory, Token);
            }))
            .ToArray();
        go.Set();
        string[] results = await Task.WhenAll(callers);

        runs.ShouldBe(1);
        results.ShouldAllBe(r => r == "made once");
        (a.Stats.FactoryRuns + b.Stats.FactoryRuns).ShouldBe(1);
    }

    [Fact]
    public async Task GetOrAddAsync_FactoryThrows_PropagatesAndCachesNothing()
    {
        var (a, _) = TwoNodes();

        await Should.ThrowAsync<InvalidOperationException>(async () =>
            await a.GetOrAddAsync("k", (_, _) => throw new InvalidOperationException("boom"), Token));

        (await a.TryGetAsync("k", Token)).Found.ShouldBeFalse();
        a.RedisErrors.ShouldBe(0);
    }

    [Fact]
    public async Task FactoryThrowingRedisException_IsTheFactorysErrorAndRunsOnce()
    {
        var (a, _) = TwoNodes();
        int runs = 0;

        await Should.ThrowAsync<RedisException>(async () => await a.GetOrAddAsync("k", (_, _) =>
        {
            Interlocked.Increment(ref runs);
            throw new RedisException("the factory's own Redis call failed");
        }, Token));

        runs.ShouldBe(1);
    }

    [Fact]
    public async Task RedisUnreachableFromStart_ServesFromFactoryAndLocal_NoExceptions()
    {
        // Arrange: nothing listens on this port.
        int port = FreePort();
        var logger = new ListLogger();
        await using ConnectionMultiplexer down = await RedisConnection.ConnectAsync($"127.0.0.1:{port},connectTimeout=300", Token);
        using var cache = new TwoTierCache<string>(down, new TwoTierCacheOptions { Redis = new RedisCacheOptions { Prefix = RedisFixture.UniquePrefix(), Logger = logger } });

        // Act
        string made = await cache.GetOrAddAsync("k", (_, _) => ValueTask.FromResult("local"), Token);
        await cache.SetAsync("other", "x", Token);
        CacheLookup<string> hit = await cache.TryGetAsync("other", Token);
        CacheLookup<string> miss = await cache.TryGetAsync("missing", Token);
        bool removed = await cache.RemoveAsync("other", Token);

        // Assert
        made.ShouldBe("local");
        hit.Value.ShouldBe("x");
        miss.Found.ShouldBeFalse();
        removed.ShouldBeTrue();
        cache.IsRedisAvailable.ShouldBeFalse();
        (cache.Stats.RedisErrors + cache.Stats.RedisSkipped).ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task RedisDownAtStart_ThenUp_CacheStartsUsingIt()
    {
        // Arrange: the server is down while both nodes are built.
        await using RedisServer server = await RedisServer.StartNewAsync(Token);
        server.Stop();
        await using ConnectionMultiplexer connectionA = await RedisConnection.ConnectAsync(server.Configuration + ",connectTimeout=300", Token);
        await using ConnectionMultiplexer connectionB = await RedisConnection.ConnectAsync(server.Configuration + ",connectTimeout=300", Token);
        var options = new TwoTierCacheOptions { Redis = new RedisCacheOptions { Prefix = "late:" } };
        using var a = new TwoTierCache<string>(connectionA, options);
        using var b = new TwoTierCache<string>(connectionB, options);
        (await a.GetOrAddAsync("k", (_, _) => ValueTask.FromResult("offline"), Token)).ShouldBe("offline");

        // Act: the server comes up.
        await server.StartAsync(Token);
        bool up = await WaitUntilAsync(() => a.IsRedisAvailable && b.IsRedisAvailable, TimeSpan.FromSeconds(20));

        // Assert: writes reach Redis and invalidations flow.
        up.ShouldBeTrue("the nodes did not connect within 20 s of the server starting");
        bool flowing = await WaitUntilAsync(
            async () =>
            {
                await a.SetAsync("k", "online", Token);
                await Task.Delay(50, Token);
                return b.Stats.InvalidationsReceived > 0;
            },
            TimeSpan.FromSeconds(20));
        flowing.ShouldBeTrue("node B heard no invalidation within 20 s of the server starting");
        (await server.CommandAsync(Token, "EXISTS", "late:v:k")).ShouldStartWith(":1");
        (await b.TryGetAsync("k", Token)).Value.ShouldBe("online");
    }

    [Fact]
    public void Constructor_InvalidOptions_Throw()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => new TwoTierCache<string>(_connectionA, new TwoTierCacheOptions { LocalCapacity = 0 }))
            .ParamName.ShouldBe("options.LocalCapacity");
        Should.Throw<ArgumentOutOfRangeException>(() => new TwoTierCache<string>(_connectionA, new TwoTierCacheOptions { Redis = new RedisCacheOptions { LockTimeout = TimeSpan.Zero } }))
            .ParamName.ShouldBe("options.Redis.LockTimeout");
    }

    [Fact]
    public async Task KillAndRestartRedis_ServesThroughOutage_ThenRecovers()
    {
        // Arrange: a server of this test's own (killing the shared one would disturb other tests), two nodes.
        await using RedisServer server = await RedisServer.StartNewAsync(Token);
        await using ConnectionMultiplexer connectionA = await RedisConnection.ConnectAsync(server.Configuration, Token);
        await using ConnectionMultiplexer connectionB = await RedisConnection.ConnectAsync(server.Configuration, Token);
        var logger = new ListLogger();
        var options = new TwoTierCacheOptions { Redis = new RedisCacheOptions { Prefix = "kill:", Logger = logger } };
        using var a = new TwoTierCache<string>(connectionA, options);
        using var b = new TwoTierCache<string>(connectionB, options);
        await a.SetAsync("before", "v-before", Token);
        await HeardAsync(b, 1);
        (await b.TryGetAsync("before", Token)).Value.ShouldBe("v-before");
        b.LocalCache.TryGet("before", out _).ShouldBeTrue();
        a.RedisErrors.ShouldBe(0);

        // Act 1: kill the server and keep using both nodes for a while (long enough for the breaker to let
        // several attempts through).
        server.Stop();
        int calls = 0;
        int factoryRuns = 0;
        var outage = Stopwatch.StartNew();
        for (int i = 0; i < 100 || outage.Elapsed < TimeSpan.FromSeconds(1.5); i++)
        {
            await Task.Delay(10, Token);
            (await b.TryGetAsync("before", Token)).Value.ShouldBe("v-before");
            string made = await a.GetOrAddAsync($"outage-{i}", (k, _) =>
            {
                Interlocked.Increment(ref factoryRuns);
                return ValueTask.FromResult("made " + k);
            }, Token);
            made.ShouldBe($"made outage-{i}");
            await a.SetAsync($"written-{i}", "w", Token);
            b.TryGet("before", out _).ShouldBeTrue();
            (await a.TryGetAsync($"never-{i}", Token)).Found.ShouldBeFalse();
            calls += 5;
        }

        // Assert 1: served locally and by factories; failures counted, but the breaker kept them far below the calls.
        factoryRuns.ShouldBe(calls / 5);
        a.RedisErrors.ShouldBeGreaterThan(0);
        a.RedisErrors.ShouldBeLessThan(calls / 10);
        a.Stats.RedisSkipped.ShouldBeGreaterThan(0);
        a.IsRedisAvailable.ShouldBeFalse();
        logger.Count(LogLevel.Warning).ShouldBeLessThan(20);
        logger.Entries.ShouldContain(e => e.Message.StartsWith("Redis failed during", StringComparison.Ordinal), "no cache call met the dead server (all were skipped)");

        // Act 2: restart on the same port (empty: persistence is off) and wait for writes to reach Redis again.
        await server.StartAsync(Token);
        bool writesFlow = await WaitUntilAsync(
            async () =>
            {
                await a.SetAsync("after", "v-after", Token);
                return (await server.CommandAsync(Token, "GET", "kill:v:after")).Contains("v-after", StringComparison.Ordinal);
            },
            TimeSpan.FromSeconds(20));

        // Assert 2: recovered; B's local copy from before the outage was dropped on reconnect (it may be stale).
        writesFlow.ShouldBeTrue("writes did not reach the restarted Redis within 20 s");
        bool bBack = await WaitUntilAsync(() => b.IsRedisAvailable && b.Stats.Reconnects > 0, TimeSpan.FromSeconds(20));
        bBack.ShouldBeTrue("node B did not see the connection come back within 20 s");
        a.Stats.Reconnects.ShouldBeGreaterThan(0);
        b.LocalCache.TryGet("before", out _).ShouldBeFalse();

        // Assert 3: invalidations flow again from A to B.
        bool bHolds = await WaitUntilAsync(
            async () => (await b.TryGetAsync("after", Token)).Value == "v-after" && b.LocalCache.TryGet("after", out _),
            Bound);
        bHolds.ShouldBeTrue("node B did not keep a local copy of the value written after the restart");
        long receivedBefore = b.Stats.InvalidationsReceived;
        bool invalidated = await WaitUntilAsync(
            async () =>
            {
                await a.SetAsync("after", "v-after-2", Token);
                await Task.Delay(50, Token);
                return !b.LocalCache.TryGet("after", out _);
            },
            TimeSpan.FromSeconds(20));
        invalidated.ShouldBeTrue("node B's copy was not invalidated within 20 s of the restart");
        (await b.TryGetAsync("after", Token)).Value.ShouldBe("v-after-2");
        b.Stats.InvalidationsReceived.ShouldBeGreaterThan(receivedBefore);
    }

    /// <summary>
    /// Waits until <paramref name="node"/> has heard <paramref name="count"/> invalidations. A node does not keep a
    /// value it read while an invalidation for that key was arriving, so tests that need the copy kept wait first.
    /// </summary>
    private static async Task HeardAsync(TwoTierCache<string> node, long count) =>
        (await WaitUntilAsync(() => node.Stats.InvalidationsReceived >= count, Bound)).ShouldBeTrue($"node heard {node.Stats.InvalidationsReceived} of {count} invalidations within 5 s");

    private static async Task<bool> WaitUntilAsync(Func<bool> condition, TimeSpan limit) =>
        await WaitUntilAsync(() => Task.FromResult(condition()), limit);

    private static async Task<bool> WaitUntilAsync(Func<Task<bool>> condition, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (await condition())
            {
                return true;
            }

            if (clock.Elapsed > limit)
            {
                return false;
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
