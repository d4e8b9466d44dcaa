using System.Diagnostics;
using XSystem.Threading;

namespace XSystem.Cli.Doctor;

/// <summary>Hands an <see cref="AsyncLock"/> to a queued waiter, cycles a semaphore and moves items through an <see cref="AsyncQueue{T}"/>.</summary>
internal sealed class ThreadingCheck : IDoctorCheck
{
    public string Module => "XSystem.Threading";

    public string Description => "lock hand-off, semaphore and queue round trip";

    public async ValueTask<CheckResult> RunAsync(CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var gate = new AsyncLock();
        AsyncLock.Releaser first = await gate.LockAsync(cancellationToken).ConfigureAwait(false);
        ValueTask<AsyncLock.Releaser> waiter = gate.LockAsync(TimeSpan.FromSeconds(5), cancellationToken);
        first.Dispose();
        (await waiter.ConfigureAwait(false)).Dispose();
        if (gate.IsHeld)
        {
            return CheckResult.Fail("the lock is still held after both releases");
        }

        var semaphore = new AsyncSemaphore(2, 2);
        await semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
        semaphore.Release();

        var queue = new AsyncQueue<int>(new AsyncQueueOptions { Prioritized = true });
        queue.TryEnqueue(2, 2);
        queue.TryEnqueue(1, 1);
        int head = await queue.DequeueAsync(cancellationToken).ConfigureAwait(false);
        return head == 1 && semaphore.CurrentCount == 2
            ? CheckResult.Pass($"lock, semaphore and priority queue OK ({watch.ElapsedMilliseconds} ms)")
            : CheckResult.Fail($"unexpected state: queue head {head}, semaphore count {semaphore.CurrentCount}");
    }
}
