using Microsoft.Extensions.Time.Testing;

namespace XSystem.Threading.Tests;

public class AsyncLockTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task LockAsync_Uncontended_CompletesSynchronouslyAndReleases()
    {
        var gate = new AsyncLock();

        ValueTask<AsyncLock.Releaser> pending = gate.LockAsync(Ct);

        pending.IsCompletedSuccessfully.ShouldBeTrue();
        gate.IsHeld.ShouldBeTrue();
        (await pending).Dispose();
        gate.IsHeld.ShouldBeFalse();
    }

    [Fact]
    public void LockAsync_UncontendedAcquireRelease_AllocatesNothing()
    {
        var gate = new AsyncLock();
        AcquireRelease(gate, 100);

        long before = GC.GetAllocatedBytesForCurrentThread();
        AcquireRelease(gate, 10_000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        allocated.ShouldBe(0);

        static void AcquireRelease(AsyncLock gate, int count)
        {
            for (int i = 0; i < count; i++)
            {
                ValueTask<AsyncLock.Releaser> pending = gate.LockAsync(Ct);
                if (!pending.IsCompletedSuccessfully)
                {
                    throw new InvalidOperationException("An uncontended lock must be acquired synchronously.");
                }

                pending.Result.Dispose();
            }
        }
    }

    [Fact]
    public async Task Dispose_Twice_ThrowsInvalidOperation()
    {
        var gate = new AsyncLock();
        AsyncLock.Releaser releaser = await gate.LockAsync(Ct);
        releaser.Dispose();

        Should.Throw<InvalidOperationException>(() => releaser.Dispose());
        gate.IsHeld.ShouldBeFalse();
    }

    [Fact]
    public async Task Dispose_StaleReleaserWhileOtherHolds_ThrowsAndKeepsHolder()
    {
        var gate = new AsyncLock();
        AsyncLock.Releaser first = await gate.LockAsync(Ct);
        first.Dispose();
        AsyncLock.Releaser second = await gate.LockAsync(Ct);

        Should.Throw<InvalidOperationException>(() => first.Dispose());

        gate.IsHeld.ShouldBeTrue();
        second.Dispose();
    }

    [Fact]
    public void Dispose_DefaultReleaser_Throws()
    {
        AsyncLock.Releaser releaser = default;

        Should.Throw<InvalidOperationException>(() => releaser.Dispose());
    }

    [Fact]
    public async Task TryLock_WhenHeld_ReturnsFalse()
    {
        var gate = new AsyncLock();
        using AsyncLock.Releaser held = await gate.LockAsync(Ct);

        gate.TryLock(out AsyncLock.Releaser releaser).ShouldBeFalse();
        releaser.ShouldBe(default);
    }

    [Fact]
    public async Task LockAsync_Contended_WaiterGetsLockAfterRelease()
    {
        var gate = new AsyncLock();
        AsyncLock.Releaser first = await gate.LockAsync(Ct);

        ValueTask<AsyncLock.Releaser> second = gate.LockAsync(Ct);
        second.IsCompleted.ShouldBeFalse();
        gate.WaitingCount.ShouldBe(1);
        first.Dispose();

        using AsyncLock.Releaser r = await second;
        gate.IsHeld.ShouldBeTrue();
        gate.WaitingCount.ShouldBe(0);
    }

    [Fact]
    public async Task LockAsync_ReleaseWhileWaiting_DoesNotRunContinuationInline()
    {
        var gate = new AsyncLock();
        AsyncLock.Releaser first = await gate.LockAsync(Ct);
        using var insideRelease = new ThreadLocal<bool>();
        bool ranInsideRelease = true;
        ValueTask<AsyncLock.Releaser> pending = gate.LockAsync(Ct);
        Task waiter = Continue();

        insideRelease.Value = true;
        first.Dispose();
        insideRelease.Value = false;
        await waiter;

        ranInsideRelease.ShouldBeFalse();

        async Task Continue()
        {
            using AsyncLock.Releaser r = await pending;
            ranInsideRelease = insideRelease.Value;
        }
    }

    [Fact]
    public async Task LockAsync_Timeout_ThrowsTimeoutAndLeavesNoPhantomHolder()
    {
        var time = new FakeTimeProvider();
        var gate = new AsyncLock(time);
        AsyncLock.Releaser first = await gate.LockAsync(Ct);

        ValueTask<AsyncLock.Releaser> waiting = gate.LockAsync(TimeSpan.FromSeconds(5), Ct);
        time.Advance(TimeSpan.FromSeconds(4));
        waiting.IsCompleted.ShouldBeFalse();
        time.Advance(TimeSpan.FromSeconds(1));

        await Should.ThrowAsync<TimeoutException>(async () => await waiting);
        first.Dispose();
        gate.IsHeld.ShouldBeFalse();
        gate.WaitingCount.ShouldBe(0);
    }

    [Fact]
    public async Task LockAsync_ZeroTimeoutWhenHeld_ThrowsTimeoutImmediately()
    {
        var gate = new AsyncLock();
        using AsyncLock.Releaser held = await gate.LockAsync(Ct);

        await Should.ThrowAsync<TimeoutException>(async () => await gate.LockAsync(TimeSpan.Zero, Ct));
        gate.WaitingCount.ShouldBe(0);
    }

    [Fact]
    public async Task LockAsync_CancelledWhileQueued_NoPhantomHolderAndNextWaiterServed()
    {
        var gate = new AsyncLock();
        AsyncLock.Releaser first = await gate.LockAsync(Ct);
        using var cts = new CancellationTokenSource();
        ValueTask<AsyncLock.Releaser> cancelled = gate.LockAsync(cts.Token);
        ValueTask<AsyncLock.Releaser> third = gate.LockAsync(Ct);

        await cts.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(async () => await cancelled);
        first.Dispose();

        using (await third)
        {
            gate.IsHeld.ShouldBeTrue();
        }

        gate.IsHeld.ShouldBeFalse();
        gate.TryLock(out AsyncLock.Releaser again).ShouldBeTrue();
        again.Dispose();
    }

    [Fact]
    public async Task LockAsync_AlreadyCancelledToken_ThrowsWhenHeld()
    {
        var gate = new AsyncLock();
        using AsyncLock.Releaser held = await gate.LockAsync(Ct);

        await Should.ThrowAsync<OperationCanceledException>(async () => await gate.LockAsync(new CancellationToken(true)));
        gate.WaitingCount.ShouldBe(0);
    }

    [Fact]
    public async Task LockAsync_ManyWaiters_ServedInFifoOrder()
    {
        var gate = new AsyncLock();
        AsyncLock.Releaser first = await gate.LockAsync(Ct);
        var order = new List<int>();
        var tasks = new List<Task>();
        for (int i = 0; i < 20; i++)
        {
            int id = i;
            ValueTask<AsyncLock.Releaser> pending = gate.LockAsync(Ct);
            tasks.Add(Continue(pending, id));
        }

        first.Dispose();
        await Task.WhenAll(tasks);

        order.ShouldBe(Enumerable.Range(0, 20));

        async Task Continue(ValueTask<AsyncLock.Releaser> pending, int id)
        {
            using (await pending)
            {
                order.Add(id);
                await Task.Yield();
            }
        }
    }

    [Fact]
    public async Task LockAsync_EightThreadsTenThousandEach_MutualExclusionAndAllComplete()
    {
        var gate = new AsyncLock();
        const int Threads = 8;
        const int Iterations = 10_000;
        int inside = 0;
        int maxInside = 0;
        long counter = 0;

        Task[] workers = Enumerable.Range(0, Threads).Select(_ => Task.Run(
            async () =>
            {
                for (int i = 0; i < Iterations; i++)
                {
                    using (await gate.LockAsync(Ct))
                    {
                        int now = Interlocked.Increment(ref inside);
                        maxInside = Math.Max(maxInside, now);
                        counter++;
                        if ((i & 63) == 0)
                        {
                            await Task.Yield();
                        }

                        Interlocked.Decrement(ref inside);
                    }
                }
            },
            Ct)).ToArray();
        await Task.WhenAll(workers);

        maxInside.ShouldBe(1);
        counter.ShouldBe(Threads * Iterations);
        gate.IsHeld.ShouldBeFalse();
    }

    [Fact]
    public async Task LockAsync_EightThreadsContended_NoWorkerStarves()
    {
        // Fairness: with FIFO hand-off, every worker gets a share while all are competing.
        var gate = new AsyncLock();
        const int Threads = 8;
        const int Total = 80_000;
        int taken = 0;
        int[] perWorker = new int[Threads];

        Task[] workers = Enumerable.Range(0, Threads).Select(w => Task.Run(
            async () =>
            {
                while (true)
                {
                    using (await gate.LockAsync(Ct))
                    {
                        if (taken >= Total)
                        {
                            return;
                        }

                        taken++;
                        perWorker[w]++;
                    }
                }
            },
            Ct)).ToArray();
        await Task.WhenAll(workers);

        taken.ShouldBe(Total);
        perWorker.Sum().ShouldBe(Total);
        perWorker.ShouldAllBe(n => n > 0);
    }

    [Fact]
    public async Task Lock_Sync_BlocksUntilAsyncHolderReleases()
    {
        var gate = new AsyncLock();
        AsyncLock.Releaser first = await gate.LockAsync(Ct);
        var acquired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            using (gate.Lock(Ct))
            {
                acquired.SetResult();
            }
        });
        thread.Start();

        acquired.Task.IsCompleted.ShouldBeFalse();
        first.Dispose();
        await acquired.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        thread.Join();

        gate.IsHeld.ShouldBeFalse();
    }

    [Fact]
    public async Task Lock_SyncTimeout_ThrowsTimeout()
    {
        var gate = new AsyncLock();
        using AsyncLock.Releaser held = await gate.LockAsync(Ct);

        Should.Throw<TimeoutException>(() => gate.Lock(TimeSpan.FromMilliseconds(20), Ct));
        gate.WaitingCount.ShouldBe(0);
    }

    [Fact]
    public async Task LockAsync_SeededRandomCancellation_InvariantsHold()
    {
        var gate = new AsyncLock();
        var random = new Random(12345);
        int inside = 0;
        int violations = 0;
        int acquired = 0;
        int cancelled = 0;
        var tasks = new List<Task>();
        var sources = new List<CancellationTokenSource>();

        for (int i = 0; i < 2_000; i++)
        {
            var cts = new CancellationTokenSource();
            sources.Add(cts);
            tasks.Add(Worker(cts.Token));
            if (random.Next(3) == 0)
            {
                sources[random.Next(sources.Count)].Cancel();
            }

            if (random.Next(8) == 0)
            {
                await Task.Yield();
            }
        }

        await Task.WhenAll(tasks);
        foreach (CancellationTokenSource cts in sources)
        {
            cts.Dispose();
        }

        violations.ShouldBe(0);
        (acquired + cancelled).ShouldBe(2_000);
        gate.IsHeld.ShouldBeFalse();
        gate.WaitingCount.ShouldBe(0);

        async Task Worker(CancellationToken token)
        {
            try
            {
                using (await gate.LockAsync(token))
                {
                    if (Interlocked.Increment(ref inside) != 1)
                    {
                        Interlocked.Increment(ref violations);
                    }

                    await Task.Yield();
                    Interlocked.Decrement(ref inside);
                    Interlocked.Increment(ref acquired);
                }
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref cancelled);
            }
        }
    }

    [Fact]
    [Trait("Category", "Soak")]
    public async Task LockAsync_SoakRandomCancellationAndTimeouts_InvariantsHold()
    {
        var gate = new AsyncLock();
        int inside = 0;
        int violations = 0;
        Task[] workers = Enumerable.Range(0, 16).Select(seed => Task.Run(
            async () =>
            {
                var random = new Random(seed);
                for (int i = 0; i < 50_000; i++)
                {
                    using var cts = new CancellationTokenSource();
                    if (random.Next(4) == 0)
                    {
                        cts.CancelAfter(random.Next(2));
                    }

                    try
                    {
                        using (await gate.LockAsync(TimeSpan.FromMilliseconds(random.Next(1, 50)), cts.Token))
                        {
                            if (Interlocked.Increment(ref inside) != 1)
                            {
                                Interlocked.Increment(ref violations);
                            }

                            Interlocked.Decrement(ref inside);
                        }
                    }
                    catch (OperationCanceledException)
                    {
                    }
                    catch (TimeoutException)
                    {
                    }
                }
            },
            Ct)).ToArray();
        await Task.WhenAll(workers);

        violations.ShouldBe(0);
        gate.IsHeld.ShouldBeFalse();
    }
}
