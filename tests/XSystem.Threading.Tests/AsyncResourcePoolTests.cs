using Microsoft.Extensions.Time.Testing;

namespace XSystem.Threading.Tests;

public class AsyncResourcePoolTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed class Resource(int id) : IDisposable
    {
        public int Id { get; } = id;

        public bool Disposed { get; private set; }

        public bool Healthy { get; set; } = true;

        public void Dispose() => Disposed = true;
    }

    private sealed class Factory
    {
        private int _next;

        public List<Resource> Created { get; } = [];

        public Resource Create()
        {
            var r = new Resource(Interlocked.Increment(ref _next));
            lock (Created)
            {
                Created.Add(r);
            }

            return r;
        }
    }

    [Fact]
    public async Task RentAsync_ReturnedResource_IsReused()
    {
        var factory = new Factory();
        await using var pool = new AsyncResourcePool<Resource>(factory.Create);

        int firstId;
        await using (AsyncResourcePool<Resource>.Lease lease = await pool.RentAsync(Ct))
        {
            firstId = lease.Value.Id;
        }

        await using AsyncResourcePool<Resource>.Lease again = await pool.RentAsync(Ct);
        again.Value.Id.ShouldBe(firstId);
        factory.Created.Count.ShouldBe(1);
    }

    [Fact]
    public async Task RentAsync_AsyncFactory_IsUsed()
    {
        await using var pool = new AsyncResourcePool<string>(async ct =>
        {
            await Task.Yield();
            return "conn";
        });

        await using AsyncResourcePool<string>.Lease lease = await pool.RentAsync(Ct);

        lease.Value.ShouldBe("conn");
        pool.LeasedCount.ShouldBe(1);
    }

    [Fact]
    public async Task RentAsync_AtMaxSize_WaitsFifoForReturn()
    {
        var factory = new Factory();
        await using var pool = new AsyncResourcePool<Resource>(factory.Create, new() { MaxSize = 1 });
        AsyncResourcePool<Resource>.Lease held = await pool.RentAsync(Ct);

        ValueTask<AsyncResourcePool<Resource>.Lease> first = pool.RentAsync(Ct);
        ValueTask<AsyncResourcePool<Resource>.Lease> second = pool.RentAsync(Ct);
        first.IsCompleted.ShouldBeFalse();
        pool.WaitingCount.ShouldBe(2);
        await held.DisposeAsync();

        AsyncResourcePool<Resource>.Lease got = await first;
        second.IsCompleted.ShouldBeFalse();
        await got.DisposeAsync();
        await (await second).DisposeAsync();
        factory.Created.Count.ShouldBe(1);
    }

    [Fact]
    public async Task RentAsync_Timeout_ThrowsTimeout()
    {
        var time = new FakeTimeProvider();
        await using var pool = new AsyncResourcePool<Resource>(new Factory().Create, new() { MaxSize = 1, TimeProvider = time, DrainTimeout = TimeSpan.Zero });
        AsyncResourcePool<Resource>.Lease held = await pool.RentAsync(Ct);

        ValueTask<AsyncResourcePool<Resource>.Lease> waiting = pool.RentAsync(TimeSpan.FromSeconds(3), Ct);
        time.Advance(TimeSpan.FromSeconds(3));

        await Should.ThrowAsync<TimeoutException>(async () => await waiting);
        pool.WaitingCount.ShouldBe(0);
        await held.DisposeAsync();
    }

    [Fact]
    public async Task Lease_DisposedTwice_Throws()
    {
        await using var pool = new AsyncResourcePool<Resource>(new Factory().Create);
        AsyncResourcePool<Resource>.Lease lease = await pool.RentAsync(Ct);
        await lease.DisposeAsync();

        await Should.ThrowAsync<InvalidOperationException>(async () => await lease.DisposeAsync());
        Should.Throw<InvalidOperationException>(() => lease.Value);
        pool.IdleCount.ShouldBe(1);
    }

    [Fact]
    public async Task MarkBroken_ResourceDestroyedAndReplaced()
    {
        var factory = new Factory();
        await using var pool = new AsyncResourcePool<Resource>(factory.Create, new() { MaxSize = 1 });
        AsyncResourcePool<Resource>.Lease lease = await pool.RentAsync(Ct);
        Resource broken = lease.Value;

        lease.MarkBroken();
        await lease.DisposeAsync();
        await using AsyncResourcePool<Resource>.Lease next = await pool.RentAsync(Ct);

        broken.Disposed.ShouldBeTrue();
        next.Value.ShouldNotBeSameAs(broken);
        pool.Count.ShouldBe(1);
    }

    [Fact]
    public async Task MarkBroken_WithWaiter_WaiterGetsReplacement()
    {
        var factory = new Factory();
        await using var pool = new AsyncResourcePool<Resource>(factory.Create, new() { MaxSize = 1 });
        AsyncResourcePool<Resource>.Lease lease = await pool.RentAsync(Ct);
        ValueTask<AsyncResourcePool<Resource>.Lease> waiter = pool.RentAsync(Ct);

        lease.MarkBroken();
        await lease.DisposeAsync();

        await using AsyncResourcePool<Resource>.Lease replacement = await waiter;
        replacement.Value.Id.ShouldBe(2);
        pool.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Validate_FailsOnRent_ReplacesResource()
    {
        var factory = new Factory();
        await using var pool = new AsyncResourcePool<Resource>(
            factory.Create,
            new() { Validate = (r, _) => ValueTask.FromResult(r.Healthy), ValidateOnReturn = false });
        Resource first;
        await using (AsyncResourcePool<Resource>.Lease lease = await pool.RentAsync(Ct))
        {
            first = lease.Value;
        }

        first.Healthy = false;
        await using AsyncResourcePool<Resource>.Lease next = await pool.RentAsync(Ct);

        next.Value.ShouldNotBeSameAs(first);
        first.Disposed.ShouldBeTrue();
        pool.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Validate_FailsOnReturn_DestroysResource()
    {
        var factory = new Factory();
        await using var pool = new AsyncResourcePool<Resource>(factory.Create, new() { Validate = (r, _) => ValueTask.FromResult(r.Healthy) });
        AsyncResourcePool<Resource>.Lease lease = await pool.RentAsync(Ct);
        lease.Value.Healthy = false;
        Resource resource = lease.Value;

        await lease.DisposeAsync();

        resource.Disposed.ShouldBeTrue();
        pool.Count.ShouldBe(0);
        pool.IdleCount.ShouldBe(0);
    }

    [Fact]
    public async Task FactoryThrows_SlotFreedAndErrorPropagates()
    {
        int calls = 0;
        await using var pool = new AsyncResourcePool<Resource>(
            () => ++calls == 1 ? throw new InvalidOperationException("boom") : new Resource(calls),
            new() { MaxSize = 1 });

        await Should.ThrowAsync<InvalidOperationException>(async () => await pool.RentAsync(Ct));
        pool.Count.ShouldBe(0);
        await using AsyncResourcePool<Resource>.Lease lease = await pool.RentAsync(Ct);
        lease.Value.Id.ShouldBe(2);
    }

    [Fact]
    public async Task IdleTimeout_EvictsDownToMinIdle()
    {
        var time = new FakeTimeProvider();
        var factory = new Factory();
        await using var pool = new AsyncResourcePool<Resource>(
            factory.Create,
            new() { MaxSize = 4, MinIdle = 1, IdleTimeout = TimeSpan.FromMinutes(1), TimeProvider = time });
        AsyncResourcePool<Resource>.Lease[] leases = [await pool.RentAsync(Ct), await pool.RentAsync(Ct), await pool.RentAsync(Ct)];
        foreach (AsyncResourcePool<Resource>.Lease lease in leases)
        {
            await lease.DisposeAsync();
        }

        pool.IdleCount.ShouldBe(3);
        time.Advance(TimeSpan.FromSeconds(30));
        pool.IdleCount.ShouldBe(3);
        time.Advance(TimeSpan.FromSeconds(31));

        pool.IdleCount.ShouldBe(1);
        pool.Count.ShouldBe(1);
        factory.Created.Count(r => r.Disposed).ShouldBe(2);
    }

    [Fact]
    public async Task WarmUpAsync_CreatesMinIdle()
    {
        var factory = new Factory();
        await using var pool = new AsyncResourcePool<Resource>(factory.Create, new() { MinIdle = 3 });

        await pool.WarmUpAsync(Ct);

        pool.IdleCount.ShouldBe(3);
        factory.Created.Count.ShouldBe(3);
    }

    [Fact]
    public async Task DisposeAsync_DestroysIdleFailsWaitersAndDrainsLeased()
    {
        var factory = new Factory();
        var pool = new AsyncResourcePool<Resource>(factory.Create, new() { MaxSize = 2 });
        AsyncResourcePool<Resource>.Lease idle = await pool.RentAsync(Ct);
        AsyncResourcePool<Resource>.Lease leased = await pool.RentAsync(Ct);
        await idle.DisposeAsync();
        AsyncResourcePool<Resource>.Lease extra = await pool.RentAsync(Ct);
        ValueTask<AsyncResourcePool<Resource>.Lease> waiter = pool.RentAsync(Ct);

        ValueTask disposing = pool.DisposeAsync();
        await Should.ThrowAsync<ObjectDisposedException>(async () => await waiter);
        disposing.IsCompleted.ShouldBeFalse();
        await extra.DisposeAsync();
        await leased.DisposeAsync();
        await disposing;

        factory.Created.ShouldAllBe(r => r.Disposed);
        pool.Count.ShouldBe(0);
        await Should.ThrowAsync<ObjectDisposedException>(async () => await pool.RentAsync(Ct));
    }

    [Fact]
    public async Task RentAsync_ConcurrentWithRandomBreakage_NeverExceedsMaxSize()
    {
        var factory = new Factory();
        int alive = 0;
        int maxAlive = 0;
        await using var pool = new AsyncResourcePool<Resource>(
            () =>
            {
                int now = Interlocked.Increment(ref alive);
                InterlockedMax(ref maxAlive, now);
                return factory.Create();
            },
            new()
            {
                MaxSize = 3,
                Destroy = r =>
                {
                    Interlocked.Decrement(ref alive);
                    r.Dispose();
                    return ValueTask.CompletedTask;
                },
            });
        int inUse = 0;
        int maxInUse = 0;

        Task[] workers = Enumerable.Range(0, 8).Select(seed => Task.Run(
            async () =>
            {
                var random = new Random(seed);
                for (int i = 0; i < 500; i++)
                {
                    AsyncResourcePool<Resource>.Lease lease = await pool.RentAsync(Ct);
                    InterlockedMax(ref maxInUse, Interlocked.Increment(ref inUse));
                    lease.Value.Disposed.ShouldBeFalse();
                    if (random.Next(10) == 0)
                    {
                        lease.MarkBroken();
                    }

                    await Task.Yield();
                    Interlocked.Decrement(ref inUse);
                    await lease.DisposeAsync();
                }
            },
            Ct)).ToArray();
        await Task.WhenAll(workers);

        maxInUse.ShouldBeLessThanOrEqualTo(3);
        maxAlive.ShouldBeLessThanOrEqualTo(3);
        pool.Count.ShouldBeLessThanOrEqualTo(3);
        pool.LeasedCount.ShouldBe(0);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current = Volatile.Read(ref target);
        while (value > current && Interlocked.CompareExchange(ref target, value, current) != current)
        {
            current = Volatile.Read(ref target);
        }
    }
}
