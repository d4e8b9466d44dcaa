using Microsoft.Extensions.Time.Testing;

namespace XSystem.Threading.Tests;

public class AsyncEventTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ManualReset_Set_WakesAllWaiters()
    {
        var evt = new AsyncManualResetEvent();
        ValueTask a = evt.WaitAsync(Ct);
        ValueTask b = evt.WaitAsync(Ct);

        evt.Set();
        await a;
        await b;

        evt.IsSet.ShouldBeTrue();
        ValueTask after = evt.WaitAsync(Ct);
        after.IsCompletedSuccessfully.ShouldBeTrue();
        await after;
    }

    [Fact]
    public async Task ManualReset_SetThenResetImmediately_QueuedWaiterStillWoken()
    {
        var evt = new AsyncManualResetEvent();
        ValueTask waiter = evt.WaitAsync(Ct);

        evt.Set();
        evt.Reset();

        await waiter;
        evt.IsSet.ShouldBeFalse();
        ValueTask later = evt.WaitAsync(Ct);
        later.IsCompleted.ShouldBeFalse();
        evt.Set();
        await later;
    }

    [Fact]
    public async Task ManualReset_Timeout_ReturnsFalse()
    {
        var time = new FakeTimeProvider();
        var evt = new AsyncManualResetEvent(false, time);

        ValueTask<bool> pending = evt.WaitAsync(TimeSpan.FromMinutes(1), Ct);
        time.Advance(TimeSpan.FromMinutes(1));

        (await pending).ShouldBeFalse();
    }

    [Fact]
    public void ManualReset_SyncWaitWhenSet_ReturnsTrue()
    {
        var evt = new AsyncManualResetEvent(initialState: true);

        evt.Wait(TimeSpan.Zero, Ct).ShouldBeTrue();
    }

    [Fact]
    public async Task AutoReset_Set_ReleasesExactlyOneWaiter()
    {
        var evt = new AsyncAutoResetEvent();
        ValueTask first = evt.WaitAsync(Ct);
        ValueTask second = evt.WaitAsync(Ct);

        evt.Set();
        await first;

        second.IsCompleted.ShouldBeFalse();
        evt.Set();
        await second;
        evt.IsSet.ShouldBeFalse();
    }

    [Fact]
    public async Task AutoReset_SetWithoutWaiters_NextWaitPassesOnce()
    {
        var evt = new AsyncAutoResetEvent();

        evt.Set();
        evt.Set();

        await evt.WaitAsync(Ct);
        (await evt.WaitAsync(TimeSpan.Zero, Ct)).ShouldBeFalse();
    }

    [Fact]
    public async Task AutoReset_CancelledWaiter_DoesNotConsumeSignal()
    {
        var evt = new AsyncAutoResetEvent();
        using var cts = new CancellationTokenSource();
        ValueTask cancelled = evt.WaitAsync(cts.Token);
        await cts.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(async () => await cancelled);

        evt.Set();

        evt.IsSet.ShouldBeTrue();
        await evt.WaitAsync(Ct);
    }

    [Fact]
    public async Task Countdown_SignalToZero_SetsEvent()
    {
        var countdown = new AsyncCountdownEvent(3);
        ValueTask waiter = countdown.WaitAsync(Ct);

        countdown.Signal().ShouldBeFalse();
        countdown.Signal(2).ShouldBeTrue();

        await waiter;
        countdown.IsSet.ShouldBeTrue();
        countdown.CurrentCount.ShouldBe(0);
    }

    [Fact]
    public void Countdown_SignalBelowZero_Throws()
    {
        var countdown = new AsyncCountdownEvent(1);

        Should.Throw<InvalidOperationException>(() => countdown.Signal(2));
        countdown.CurrentCount.ShouldBe(1);
    }

    [Fact]
    public void Countdown_AddCountAfterZero_Throws()
    {
        var countdown = new AsyncCountdownEvent(0);

        countdown.TryAddCount().ShouldBeFalse();
        Should.Throw<InvalidOperationException>(() => countdown.AddCount());
        countdown.Reset(2);
        countdown.IsSet.ShouldBeFalse();
        countdown.AddCount();
        countdown.CurrentCount.ShouldBe(3);
    }

    [Fact]
    public async Task Countdown_ConcurrentSignals_SetExactlyOnce()
    {
        var countdown = new AsyncCountdownEvent(1_000);
        int zeros = 0;

        await Parallel.ForAsync(0, 1_000, Ct, (_, _) =>
        {
            if (countdown.Signal())
            {
                Interlocked.Increment(ref zeros);
            }

            return ValueTask.CompletedTask;
        });

        zeros.ShouldBe(1);
        (await countdown.WaitAsync(TimeSpan.Zero, Ct)).ShouldBeTrue();
    }
}
