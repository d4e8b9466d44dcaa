using System.Diagnostics;
using StackExchange.Redis;
using XSystem.Caching.Redis.Tests.Infrastructure;
using XSystem.Serialization;

namespace XSystem.Caching.Redis.Tests;

public sealed class Person
{
    public string Name { get; set; } = "";

    public int Age { get; set; }

    public List<string> Tags { get; set; } = [];

    public Dictionary<string, double> Scores { get; set; } = [];
}

public sealed class RedisCacheTests(RedisFixture redis) : IAsyncLifetime
{
    private ConnectionMultiplexer _connection = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _connection = await redis.ConnectAsync();

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync();

    private RedisCache<T> Create<T>(RedisCacheOptions? options = null) =>
        new(_connection, options ?? new RedisCacheOptions { Prefix = RedisFixture.UniquePrefix() });

    [Fact]
    public async Task SetAsync_String_RoundTrips()
    {
        RedisCache<string> cache = Create<string>();

        await cache.SetAsync("greeting", "héllo wörld ✓", Token);
        CacheLookup<string> lookup = await cache.TryGetAsync("greeting", Token);

        lookup.Found.ShouldBeTrue();
        lookup.Value.ShouldBe("héllo wörld ✓");
    }

    [Fact]
    public async Task SetAsync_Int_RoundTrips()
    {
        RedisCache<int> cache = Create<int>();

        await cache.SetAsync("answer", 42, Token);

        (await cache.TryGetAsync("answer", Token)).ShouldBe(new CacheLookup<int>(42));
    }

    [Fact]
    public async Task SetAsync_Object_RoundTrips()
    {
        RedisCache<Person> cache = Create<Person>();
        var ada = new Person { Name = "Ada", Age = 36, Tags = ["math", "engines"], Scores = new() { ["logic"] = 9.5 } };

        await cache.SetAsync("ada", ada, Token);
        CacheLookup<Person> lookup = await cache.TryGetAsync("ada", Token);

        lookup.Found.ShouldBeTrue();
        lookup.Value.Name.ShouldBe("Ada");
        lookup.Value.Age.ShouldBe(36);
        lookup.Value.Tags.ShouldBe(["math", "engines"]);
        lookup.Value.Scores["logic"].ShouldBe(9.5);
    }

    [Fact]
    public async Task SetAsync_ByteArrayAndList_RoundTrip()
    {
        RedisCache<byte[]> bytes = Create<byte[]>();
        RedisCache<List<long>> list = Create<List<long>>();

        await bytes.SetAsync("blob", [0, 1, 2, 255], Token);
        await list.SetAsync("numbers", [1, long.MaxValue, -7], Token);

        (await bytes.TryGetAsync("blob", Token)).Value.ShouldBe(new byte[] { 0, 1, 2, 255 });
        (await list.TryGetAsync("numbers", Token)).Value.ShouldBe([1, long.MaxValue, -7]);
    }

    [Fact]
    public async Task Set_JsonFormat_RoundTripsThroughSyncCalls()
    {
        RedisCache<Person> cache = Create<Person>(new RedisCacheOptions { Prefix = RedisFixture.UniquePrefix(), Format = Formats.Json });

        cache.Set("bob", new Person { Name = "Bob", Age = 7 });
        bool found = cache.TryGet("bob", out Person? bob);

        found.ShouldBeTrue();
        bob!.Name.ShouldBe("Bob");
        bob.Age.ShouldBe(7);
    }

    [Fact]
    public async Task SetAsync_JsonFormat_StoresJsonText()
    {
        string prefix = RedisFixture.UniquePrefix();
        RedisCache<int[]> cache = Create<int[]>(new RedisCacheOptions { Prefix = prefix, Format = Formats.Json });

        await cache.SetAsync("k", [1, 2, 3], Token);
        string raw = await redis.Server.CommandAsync(Token, "GET", prefix + "v:k");

        raw.ShouldContain("[1,2,3]");
    }

    [Fact]
    public async Task TryGetAsync_MissingKey_ReturnsMissAndCountsIt()
    {
        RedisCache<string> cache = Create<string>();

        CacheLookup<string> lookup = await cache.TryGetAsync("nothing-here", Token);

        lookup.Found.ShouldBeFalse();
        lookup.Value.ShouldBeNull();
        cache.Stats.Misses.ShouldBe(1);
        cache.Stats.Hits.ShouldBe(0);
    }

    [Fact]
    public async Task RemoveAsync_PresentKey_RemovesItOnce()
    {
        RedisCache<string> cache = Create<string>();
        await cache.SetAsync("k", "v", Token);

        bool first = await cache.RemoveAsync("k", Token);
        bool second = await cache.RemoveAsync("k", Token);

        first.ShouldBeTrue();
        second.ShouldBeFalse();
        (await cache.TryGetAsync("k", Token)).Found.ShouldBeFalse();
        cache.TryRemove("k").ShouldBeFalse();
    }

    [Fact]
    public async Task TryGetAsync_OtherPrefix_DoesNotSeeEntries()
    {
        RedisCache<string> a = Create<string>();
        RedisCache<string> b = Create<string>();

        await a.SetAsync("shared-name", "from a", Token);

        (await b.TryGetAsync("shared-name", Token)).Found.ShouldBeFalse();
        (await a.TryGetAsync("shared-name", Token)).Value.ShouldBe("from a");
    }

    [Fact]
    public async Task SetAsync_DefaultTimeToLive_IsAppliedToTheKey()
    {
        RedisCache<string> cache = Create<string>(new RedisCacheOptions { Prefix = RedisFixture.UniquePrefix(), DefaultTimeToLive = TimeSpan.FromMinutes(3) });

        await cache.SetAsync("k", "v", Token);
        TimeSpan? left = await cache.GetTimeToLiveAsync("k", Token);

        left.ShouldNotBeNull();
        left.Value.ShouldBeInRange(TimeSpan.FromMinutes(2.9), TimeSpan.FromMinutes(3));
    }

    [Fact]
    public async Task SetAsync_InfiniteTimeToLive_NeverExpires()
    {
        RedisCache<string> cache = Create<string>();

        await cache.SetAsync("k", "v", Timeout.InfiniteTimeSpan, Token);

        (await cache.GetTimeToLiveAsync("k", Token)).ShouldBe(Timeout.InfiniteTimeSpan);
        (await cache.GetTimeToLiveAsync("absent", Token)).ShouldBeNull();
    }

    [Fact]
    public async Task SetAsync_ShortTimeToLive_EntryExpires()
    {
        RedisCache<string> cache = Create<string>();

        await cache.SetAsync("short", "v", TimeSpan.FromMilliseconds(300), Token);
        await cache.SetAsync("long", "v", TimeSpan.FromMinutes(5), Token);
        (await cache.TryGetAsync("short", Token)).Found.ShouldBeTrue();
        await WaitUntilAsync(async () => !(await cache.TryGetAsync("short", Token)).Found, TimeSpan.FromSeconds(5));

        (await cache.TryGetAsync("short", Token)).Found.ShouldBeFalse();
        (await cache.TryGetAsync("long", Token)).Found.ShouldBeTrue();
    }

    [Fact]
    public async Task GetOrAddAsync_TimeToLive_IsAppliedToNewEntry()
    {
        RedisCache<int> cache = Create<int>();

        int value = await cache.GetOrAddAsync("k", (_, _) => ValueTask.FromResult(5), TimeSpan.FromSeconds(30), Token);

        value.ShouldBe(5);
        (await cache.GetTimeToLiveAsync("k", Token))!.Value.ShouldBeInRange(TimeSpan.FromSeconds(29), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task TryGetAsync_UndecodableValue_IsAMissAndCounted()
    {
        string prefix = RedisFixture.UniquePrefix();
        RedisCache<Person> cache = Create<Person>(new RedisCacheOptions { Prefix = prefix });
        await _connection.GetDatabase().StringSetAsync(prefix + "v:bad", new byte[] { 0xc1, 0xc1 });

        CacheLookup<Person> lookup = await cache.TryGetAsync("bad", Token);

        lookup.Found.ShouldBeFalse();
        cache.DecodeErrors.ShouldBe(1);
    }

    [Fact]
    public async Task GetOrAddAsync_Present_DoesNotRunFactory()
    {
        RedisCache<string> cache = Create<string>();
        await cache.SetAsync("k", "stored", Token);

        string value = await cache.GetOrAddAsync("k", (_, _) => throw new InvalidOperationException("must not run"), Token);

        value.ShouldBe("stored");
        cache.FactoryRuns.ShouldBe(0);
    }

    [Fact]
    public async Task GetOrAddAsync_TwoNodesTwentyCallers_FactoryRunsOnce()
    {
        // Arrange: two caches on two connections stand for two nodes sharing one Redis.
        string prefix = RedisFixture.UniquePrefix();
        await using ConnectionMultiplexer second = await redis.ConnectAsync();
        var nodeA = new RedisCache<string>(_connection, new RedisCacheOptions { Prefix = prefix });
        var nodeB = new RedisCache<string>(second, new RedisCacheOptions { Prefix = prefix });
        int runs = 0;
        async ValueTask<string> Factory(string key, CancellationToken ct)
        {
            Interlocked.Increment(ref runs);
            await Task.Delay(300, ct);
            return "computed " + key;
        }

        using var go = new ManualResetEventSlim();

        // Act
        Task<string>[] callers = Enumerable.Range(0, 20)
            .Select(i => Task.Run(async () =>
            {
                go.Wait(Token);
                return await (i % 2 == 0 ? nodeA : nodeB).GetOrAddAsync("hot", Factory, Token);
            }))
            .ToArray();
        go.Set();
        string[] results = await Task.WhenAll(callers);

        // Assert
        runs.ShouldBe(1);
        (nodeA.FactoryRuns + nodeB.FactoryRuns).ShouldBe(1);
        results.ShouldAllBe(r => r == "computed hot");
        (await redis.Server.CommandAsync(Token, "EXISTS", prefix + "l:hot")).ShouldStartWith(":0");
    }

    [Fact]
    public async Task GetOrAddAsync_FactoryThrows_NothingCachedLockFreedNextCallerRetries()
    {
        string prefix = RedisFixture.UniquePrefix();
        RedisCache<string> cache = Create<string>(new RedisCacheOptions { Prefix = prefix });

        await Should.ThrowAsync<InvalidOperationException>(async () =>
            await cache.GetOrAddAsync("k", (_, _) => throw new InvalidOperationException("boom"), Token));
        (await cache.TryGetAsync("k", Token)).Found.ShouldBeFalse();
        (await redis.Server.CommandAsync(Token, "EXISTS", prefix + "l:k")).ShouldStartWith(":0");
        string value = await cache.GetOrAddAsync("k", (_, _) => ValueTask.FromResult("second try"), Token);

        value.ShouldBe("second try");
    }

    [Fact]
    public async Task GetOrAddAsync_LockHeldByDeadNode_WaitsForExpiryThenRunsFactory()
    {
        // A node that took the lock and died: the lock key exists with a short expiry and no value ever arrives.
        string prefix = RedisFixture.UniquePrefix();
        RedisCache<string> cache = Create<string>(new RedisCacheOptions { Prefix = prefix });
        (await redis.Server.CommandAsync(Token, "SET", prefix + "l:k", "someone-else", "PX", "400")).ShouldStartWith("+OK");
        var clock = Stopwatch.StartNew();

        string value = await cache.GetOrAddAsync("k", (_, _) => ValueTask.FromResult("mine"), Token);

        value.ShouldBe("mine");
        clock.Elapsed.ShouldBeGreaterThan(TimeSpan.FromMilliseconds(300));
        cache.FactoryRuns.ShouldBe(1);
    }

    [Fact]
    public async Task GetOrAddAsync_LockWaitTimeout_RunsFactoryWithoutTheLock()
    {
        string prefix = RedisFixture.UniquePrefix();
        RedisCache<string> cache = Create<string>(new RedisCacheOptions { Prefix = prefix, LockWaitTimeout = TimeSpan.FromMilliseconds(200) });
        await redis.Server.CommandAsync(Token, "SET", prefix + "l:k", "stuck-holder", "PX", "60000");

        string value = await cache.GetOrAddAsync("k", (_, _) => ValueTask.FromResult("anyway"), Token);

        value.ShouldBe("anyway");
        (await cache.TryGetAsync("k", Token)).Value.ShouldBe("anyway");
        (await redis.Server.CommandAsync(Token, "GET", prefix + "l:k")).ShouldContain("stuck-holder");
    }

    [Fact]
    public async Task GetOrAddAsync_FactoryOutlivesLockTimeout_LockIsRenewed()
    {
        // Arrange: a lock that would expire after 300 ms while the factory takes about 1 s.
        string prefix = RedisFixture.UniquePrefix();
        await using ConnectionMultiplexer second = await redis.ConnectAsync();
        var options = new RedisCacheOptions { Prefix = prefix, LockTimeout = TimeSpan.FromMilliseconds(300) };
        var nodeA = new RedisCache<string>(_connection, options);
        var nodeB = new RedisCache<string>(second, options);
        using var started = new SemaphoreSlim(0);
        int runs = 0;
        async ValueTask<string> Slow(string key, CancellationToken ct)
        {
            Interlocked.Increment(ref runs);
            started.Release();
            await Task.Delay(1000, ct);
            return "slow";
        }

        // Act: B asks while A's factory runs well past the lock's own expiry.
        Task<string> first = nodeA.GetOrAddAsync("k", Slow, Token).AsTask();
        await started.WaitAsync(Token);
        await Task.Delay(600, Token);
        string lockTtl = await redis.Server.CommandAsync(Token, "PTTL", prefix + "l:k");
        string viaB = await nodeB.GetOrAddAsync("k", Slow, Token);

        // Assert
        (await first).ShouldBe("slow");
        viaB.ShouldBe("slow");
        runs.ShouldBe(1);
        int.Parse(lockTtl.TrimStart(':').Trim(), System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task GetOrAddAsync_CallerCancels_ThrowsAndLeavesNoLock()
    {
        string prefix = RedisFixture.UniquePrefix();
        RedisCache<string> cache = Create<string>(new RedisCacheOptions { Prefix = prefix });
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Token);

        Task<string> call = cache.GetOrAddAsync("k", async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return "never";
        }, cts.Token).AsTask();
        await Task.Delay(100, Token);
        await cts.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => call);
        (await redis.Server.CommandAsync(Token, "EXISTS", prefix + "l:k")).ShouldStartWith(":0");
        (await cache.TryGetAsync("k", Token)).Found.ShouldBeFalse();
    }

    [Fact]
    public void Constructor_InvalidOptions_Throw()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => new RedisCache<string>(_connection, new RedisCacheOptions { LockTimeout = TimeSpan.FromMilliseconds(10) }))
            .ParamName.ShouldBe("options.LockTimeout");
        Should.Throw<ArgumentOutOfRangeException>(() => new RedisCache<string>(_connection, new RedisCacheOptions { DefaultTimeToLive = TimeSpan.Zero }));
        Should.Throw<ArgumentNullException>(() => new RedisCache<string>(null!));
    }

    internal static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(25, TestContext.Current.CancellationToken);
        }
    }
}
