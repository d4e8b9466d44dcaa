using Microsoft.Extensions.Time.Testing;

namespace XSystem.Threading.Tests;

public class AsyncReaderWriterLockTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ReadLockAsync_ManyReaders_ShareTheLock()
    {
        var rw = new AsyncReaderWriterLock();

        AsyncReaderWriterLock.ReadReleaser a = await rw.ReadLockAsync(Ct);
        AsyncReaderWriterLock.ReadReleaser b = await rw.ReadLockAsync(Ct);

        rw.CurrentReaderCount.ShouldBe(2);
        a.Dispose();
        b.Dispose();
        rw.CurrentReaderCount.ShouldBe(0);
    }

    [Fact]
    public async Task WriteLockAsync_WhileReading_WaitsForReaders()
    {
        var rw = new AsyncReaderWriterLock();
        AsyncReaderWriterLock.ReadReleaser reader = await rw.ReadLockAsync(Ct);

        ValueTask<AsyncReaderWriterLock.WriteReleaser> writer = rw.WriteLockAsync(Ct);
        writer.IsCompleted.ShouldBeFalse();
        reader.Dispose();

        using (await writer)
        {
            rw.IsWriteLockHeld.ShouldBeTrue();
        }

        rw.IsWriteLockHeld.ShouldBeFalse();
    }

    [Fact]
    public async Task ReadLockAsync_WriterQueued_NewReaderWaitsBehindWriter()
    {
        var rw = new AsyncReaderWriterLock();
        AsyncReaderWriterLock.ReadReleaser first = await rw.ReadLockAsync(Ct);
        ValueTask<AsyncReaderWriterLock.WriteReleaser> writer = rw.WriteLockAsync(Ct);

        ValueTask<AsyncReaderWriterLock.ReadReleaser> late = rw.ReadLockAsync(Ct);

        late.IsCompleted.ShouldBeFalse();
        first.Dispose();
        AsyncReaderWriterLock.WriteReleaser w = await writer;
        late.IsCompleted.ShouldBeFalse();
        w.Dispose();
        (await late).Dispose();
        rw.CurrentReaderCount.ShouldBe(0);
    }

    [Fact]
    public async Task WriteLockAsync_CancelledWriter_UnblocksQueuedReaders()
    {
        var rw = new AsyncReaderWriterLock();
        AsyncReaderWriterLock.ReadReleaser first = await rw.ReadLockAsync(Ct);
        using var cts = new CancellationTokenSource();
        ValueTask<AsyncReaderWriterLock.WriteReleaser> writer = rw.WriteLockAsync(cts.Token);
        ValueTask<AsyncReaderWriterLock.ReadReleaser> late = rw.ReadLockAsync(Ct);

        await cts.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(async () => await writer);
        (await late).Dispose();
        first.Dispose();
        rw.IsWriteLockHeld.ShouldBeFalse();
        rw.CurrentReaderCount.ShouldBe(0);
    }

    [Fact]
    public async Task WriteLockAsync_Timeout_Throws()
    {
        var time = new FakeTimeProvider();
        var rw = new AsyncReaderWriterLock(time);
        using AsyncReaderWriterLock.ReadReleaser reader = await rw.ReadLockAsync(Ct);

        ValueTask<AsyncReaderWriterLock.WriteReleaser> writer = rw.WriteLockAsync(TimeSpan.FromSeconds(2), Ct);
        time.Advance(TimeSpan.FromSeconds(2));

        await Should.ThrowAsync<TimeoutException>(async () => await writer);
        rw.WaitingWriterCount.ShouldBe(0);
    }

    [Fact]
    public async Task WriteReleaser_DisposedTwice_Throws()
    {
        var rw = new AsyncReaderWriterLock();
        AsyncReaderWriterLock.WriteReleaser w = await rw.WriteLockAsync(Ct);
        w.Dispose();

        Should.Throw<InvalidOperationException>(() => w.Dispose());
    }

    [Fact]
    public async Task UpgradeAsync_WaitsForOtherReadersThenWrites()
    {
        var rw = new AsyncReaderWriterLock();
        AsyncReaderWriterLock.UpgradeableReadReleaser upgradeable = await rw.UpgradeableReadLockAsync(Ct);
        AsyncReaderWriterLock.ReadReleaser other = await rw.ReadLockAsync(Ct);

        ValueTask<AsyncReaderWriterLock.WriteReleaser> upgrade = upgradeable.UpgradeAsync(Ct);
        upgrade.IsCompleted.ShouldBeFalse();
        ValueTask<AsyncReaderWriterLock.ReadReleaser> late = rw.ReadLockAsync(Ct);
        late.IsCompleted.ShouldBeFalse();
        other.Dispose();

        AsyncReaderWriterLock.WriteReleaser w = await upgrade;
        w.IsUpgrade.ShouldBeTrue();
        rw.IsWriteLockHeld.ShouldBeTrue();
        late.IsCompleted.ShouldBeFalse();
        w.Dispose();
        (await late).Dispose();
        upgradeable.Dispose();
        rw.CurrentReaderCount.ShouldBe(0);
    }

    [Fact]
    public async Task UpgradeableReadLockAsync_SecondUpgradeable_Waits()
    {
        var rw = new AsyncReaderWriterLock();
        AsyncReaderWriterLock.UpgradeableReadReleaser first = await rw.UpgradeableReadLockAsync(Ct);

        ValueTask<AsyncReaderWriterLock.UpgradeableReadReleaser> second = rw.UpgradeableReadLockAsync(Ct);

        second.IsCompleted.ShouldBeFalse();
        first.Dispose();
        (await second).Dispose();
    }

    [Fact]
    public async Task Mixed_ReadersAndWriters_WritersExclusive()
    {
        var rw = new AsyncReaderWriterLock();
        int readers = 0;
        int writers = 0;
        int violations = 0;
        Task[] tasks = Enumerable.Range(0, 8).Select(t => Task.Run(
            async () =>
            {
                for (int i = 0; i < 1_000; i++)
                {
                    if ((i + t) % 5 == 0)
                    {
                        using (await rw.WriteLockAsync(Ct))
                        {
                            if (Interlocked.Increment(ref writers) != 1 || Volatile.Read(ref readers) != 0)
                            {
                                Interlocked.Increment(ref violations);
                            }

                            await Task.Yield();
                            Interlocked.Decrement(ref writers);
                        }
                    }
                    else
                    {
                        using (await rw.ReadLockAsync(Ct))
                        {
                            Interlocked.Increment(ref readers);
                            if (Volatile.Read(ref writers) != 0)
                            {
                                Interlocked.Increment(ref violations);
                            }

                            Interlocked.Decrement(ref readers);
                        }
                    }
                }
            },
            Ct)).ToArray();

        await Task.WhenAll(tasks);

        violations.ShouldBe(0);
        rw.CurrentReaderCount.ShouldBe(0);
        rw.IsWriteLockHeld.ShouldBeFalse();
    }
}
