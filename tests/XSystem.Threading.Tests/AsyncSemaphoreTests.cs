using Microsoft.Extensions.Time.Testing;

namespace XSystem.Threading.Tests;

public class AsyncSemaphoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WaitAsync_WithFreeSlots_DecrementsCount()
    {
        var semaphore = new AsyncSemaphore(2, 2);

        await semaphore.WaitAsync(Ct);

        semaphore.CurrentCount.ShouldBe(1);
    }

    [Fact]
    public void Release_BeyondMax_ThrowsSemaphoreFull()
    {
        var semaphore = new AsyncSemaphore(1, 2);

        semaphore.Release().ShouldBe(1);
        Should.Throw<SemaphoreFullException>(() => semaphore.Release());
        semaphore.CurrentCount.ShouldBe(2);
    }

    [Fact]
    public void Release_ManyBeyondMax_ThrowsAndLeavesCount()
    {
        var semaphore = new AsyncSemaphore(0, 3);

        Should.Throw<SemaphoreFullException>(() => semaphore.Release(4));
        semaphore.CurrentCount.ShouldBe(0);
    }

    [Theory]
    [InlineData(-1, 1)]
    [InlineData(2, 1)]
    [InlineData(0, 0)]
    public void Constructor_BadCounts_Throws(int initial, int max) =>
        Should.Throw<ArgumentOutOfRangeException>(() => new AsyncSemaphore(initial, max));

    [Fact]
    public async Task Release_Many_WakesWaitersInFifoOrder()
    {
        var semaphore = new AsyncSemaphore(0, 3);
        var order = new List<int>();
        Task[] waiters = Enumerable.Range(0, 3).Select(i => Continue(semaphore.WaitAsync(Ct), i)).ToArray();

        semaphore.Release(2);
        await Task.WhenAll(waiters.Take(2));
        waiters[2].IsCompleted.ShouldBeFalse();
        semaphore.Release();
        await waiters[2];

        order.Take(2).OrderBy(x => x).ShouldBe([0, 1]);
        order[2].ShouldBe(2);
        semaphore.CurrentCount.ShouldBe(0);

        async Task Continue(ValueTask pending, int id)
        {
            await pending;
            lock (order)
            {
                order.Add(id);
            }
        }
    }

    [Fact]
    public async Task WaitAsync_Timeout_ReturnsFalseAndTakesNoSlot()
    {
        var time = new FakeTimeProvider();
        var semaphore = new AsyncSemaphore(0, 1, time);

        ValueTask<bool> pending = semaphore.WaitAsync(TimeSpan.FromSeconds(1), Ct);
        time.Advance(TimeSpan.FromSeconds(1));

        (await pending).ShouldBeFalse();
        semaphore.Release();
        semaphore.CurrentCount.ShouldBe(1);
        semaphore.WaitingCount.ShouldBe(0);
    }

    [Fact]
    public async Task WaitAsync_CancelledWhileQueued_ReleaseGoesToNextWaiter()
    {
        var semaphore = new AsyncSemaphore(0, 1);
        using var cts = new CancellationTokenSource();
        ValueTask cancelled = semaphore.WaitAsync(cts.Token);
        ValueTask next = semaphore.WaitAsync(Ct);

        await cts.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(async () => await cancelled);
        semaphore.Release();
        await next;

        semaphore.CurrentCount.ShouldBe(0);
    }

    [Fact]
    public void Wait_Sync_ReturnsFalseOnTimeout()
    {
        var semaphore = new AsyncSemaphore(0, 1);

        semaphore.Wait(TimeSpan.FromMilliseconds(10), Ct).ShouldBeFalse();
        semaphore.TryWait().ShouldBeFalse();
    }

    [Fact]
    public async Task WaitAsync_FourSlotsEightWorkers_NeverMoreThanFourInside()
    {
        var semaphore = new AsyncSemaphore(4, 4);
        int inside = 0;
        int max = 0;
        Task[] workers = Enumerable.Range(0, 8).Select(_ => Task.Run(
            async () =>
            {
                for (int i = 0; i < 2_000; i++)
                {
                    await semaphore.WaitAsync(Ct);
                    int now = Interlocked.Increment(ref inside);
                    InterlockedMax(ref max, now);
                    if ((i & 15) == 0)
                    {
                        await Task.Yield();
                    }

                    Interlocked.Decrement(ref inside);
                    semaphore.Release();
                }
            },
            Ct)).ToArray();

        await Task.WhenAll(workers);

        max.ShouldBeLessThanOrEqualTo(4);
        semaphore.CurrentCount.ShouldBe(4);
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
