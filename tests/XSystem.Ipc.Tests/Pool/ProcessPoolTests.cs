using System.Diagnostics;

namespace XSystem.Ipc.Tests.Pool;

public sealed class ProcessPoolTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SubmitAsync_2000TasksOnTwoWorkers_AllResultsCorrect()
    {
        await RunManyAsync(2_000, workers: 2);
    }

    [Fact]
    public async Task SubmitAsync_10000TasksOnThreeWorkers_AllResultsCorrect()
    {
        await RunManyAsync(10_000, workers: 3);
    }

    private static async Task RunManyAsync(int count, int workers)
    {
        await using ProcessPool pool = await ProcessPool.StartAsync(TestWorkerApp.PoolOptions(workers: workers), Ct).WaitAsync(Limit, Ct);

        Task<long>[] tasks = Enumerable.Range(0, count).Select(i => pool.SubmitAsync<int, long>("square", i, Ct)).ToArray();
        long[] results = await Task.WhenAll(tasks).WaitAsync(Limit, Ct);

        for (int i = 0; i < count; i++)
        {
            results[i].ShouldBe((long)i * i);
        }

        ProcessPoolStats stats = pool.Stats;
        stats.Completed.ShouldBe(count);
        stats.Failed.ShouldBe(0);
        stats.Restarts.ShouldBe(0);
        stats.Workers.ShouldBe(workers);
        pool.WorkerProcessIds.Distinct().Count().ShouldBe(workers);
    }

    [Fact]
    public async Task SubmitAsync_TasksSpreadOverWorkers_EveryWorkerServes()
    {
        var options = TestWorkerApp.PoolOptions(workers: 2);
        options.MaxInFlightPerWorker = 1;
        await using ProcessPool pool = await ProcessPool.StartAsync(options, Ct).WaitAsync(Limit, Ct);

        int[] pids = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => pool.SubmitAsync<int, int>("sleep", 20, Ct))).WaitAsync(Limit, Ct);
        int[] servedBy = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => pool.SubmitAsync<int, int>("pid", 0, Ct))).WaitAsync(Limit, Ct);

        pids.ShouldAllBe(ms => ms == 20);
        servedBy.Distinct().Order().ShouldBe(pool.WorkerProcessIds.Order());
    }

    [Fact]
    public async Task SubmitAsync_HandlerThrows_TaskFailsAndWorkerKeepsServing()
    {
        await using ProcessPool pool = await ProcessPool.StartAsync(TestWorkerApp.PoolOptions(workers: 1), Ct).WaitAsync(Limit, Ct);
        int pid = pool.WorkerProcessIds.Single();

        ProcessPoolTaskException error = await Should.ThrowAsync<ProcessPoolTaskException>(pool.SubmitAsync<string, int>("throw", "boom", Ct).WaitAsync(Limit, Ct));

        error.RemoteExceptionType.ShouldBe(typeof(InvalidOperationException).FullName);
        error.Message.ShouldContain("boom");
        (await pool.SubmitAsync<string, string>("echo", "still here", Ct).WaitAsync(Limit, Ct)).ShouldBe("still here");
        pool.WorkerProcessIds.Single().ShouldBe(pid);
        pool.Stats.Restarts.ShouldBe(0);
    }

    [Fact]
    public async Task SubmitAsync_UnknownHandler_FailsWithRegisteredNames()
    {
        await using ProcessPool pool = await ProcessPool.StartAsync(TestWorkerApp.PoolOptions(workers: 1), Ct).WaitAsync(Limit, Ct);

        ProcessPoolTaskException error = await Should.ThrowAsync<ProcessPoolTaskException>(pool.SubmitAsync<int, int>("nope", 1, Ct).WaitAsync(Limit, Ct));

        error.Message.ShouldContain("no handler named 'nope'");
        error.Message.ShouldContain("square");
    }

    [Fact]
    public async Task SubmitAsync_HandlerCallsFailFast_OnlyItsWorkerDiesAndPoolKeepsServing()
    {
        var options = TestWorkerApp.PoolOptions(workers: 2);
        options.MaxInFlightPerWorker = 1;
        await using ProcessPool pool = await ProcessPool.StartAsync(options, Ct).WaitAsync(Limit, Ct);
        int[] before = [.. pool.WorkerProcessIds];

        WorkerCrashedException error = await Should.ThrowAsync<WorkerCrashedException>(pool.SubmitAsync<string, int>("failfast", "die", Ct).WaitAsync(Limit, Ct));

        before.ShouldContain(error.WorkerProcessId);
        error.Message.ShouldContain("failfast");
        long[] after = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => pool.SubmitAsync<int, long>("square", i, Ct))).WaitAsync(Limit, Ct);
        after[199].ShouldBe(199L * 199);
        pool.Stats.Restarts.ShouldBe(1);
        pool.WorkerProcessIds.ShouldContain(before.Single(p => p != error.WorkerProcessId));
        await WaitUntilAsync(() => pool.Stats.Workers == 2);
    }

    [Fact]
    public async Task SubmitAsync_HandlerAllocatesWithoutBound_WorkerDiesAtHeapLimitAndIsReplaced()
    {
        var options = TestWorkerApp.PoolOptions(workers: 2);
        options.MaxInFlightPerWorker = 1;
        options.Environment["DOTNET_GCHeapHardLimit"] = "0x6000000"; // 96 MiB: the hog dies fast
        await using ProcessPool pool = await ProcessPool.StartAsync(options, Ct).WaitAsync(Limit, Ct);

        WorkerCrashedException error = await Should.ThrowAsync<WorkerCrashedException>(pool.SubmitAsync<int, int>("alloc", 0, Ct).WaitAsync(Limit, Ct));

        error.ExitCode.ShouldNotBe(0);
        (await pool.SubmitAsync<string, string>("echo", "ok", Ct).WaitAsync(Limit, Ct)).ShouldBe("ok");
        pool.Stats.Restarts.ShouldBe(1);
    }

    [Fact]
    public async Task SubmitAsync_TaskExceedsTimeout_ThrowsTimeoutAndWorkerIsReplaced()
    {
        var options = TestWorkerApp.PoolOptions(workers: 1);
        await using ProcessPool pool = await ProcessPool.StartAsync(options, Ct).WaitAsync(Limit, Ct);
        int pid = pool.WorkerProcessIds.Single();
        var watch = Stopwatch.StartNew();

        TimeoutException error = await Should.ThrowAsync<TimeoutException>(
            pool.SubmitAsync<int, int>("sleep", 60_000, TimeSpan.FromMilliseconds(300), Ct).WaitAsync(Limit, Ct));

        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(20));
        error.Message.ShouldContain("sleep");
        (await pool.SubmitAsync<string, string>("echo", "fresh", Ct).WaitAsync(Limit, Ct)).ShouldBe("fresh");
        pool.WorkerProcessIds.Single().ShouldNotBe(pid);
        TestWorkerApp.IsAlive(pid).ShouldBeFalse();
    }

    [Fact]
    public async Task SubmitAsync_WorkerWritesGarbageOnFrameChannel_TaskFailsClearlyAndWorkerIsReplaced()
    {
        var options = TestWorkerApp.PoolOptions("pool-garbage-reply", workers: 1);
        await using ProcessPool pool = await ProcessPool.StartAsync(options, Ct).WaitAsync(Limit, Ct);
        int pid = pool.WorkerProcessIds.Single();

        WorkerCrashedException error = await Should.ThrowAsync<WorkerCrashedException>(pool.SubmitAsync<int, int>("square", 3, Ct).WaitAsync(Limit, Ct));

        error.InnerException.ShouldBeOfType<MessageFrameException>();
        error.Message.ShouldContain("frame");
        await WaitUntilAsync(() => pool.Stats.Workers == 1 && pool.WorkerProcessIds.Single() != pid);
        pool.Stats.Restarts.ShouldBe(1);
        TestWorkerApp.IsAlive(pid).ShouldBeFalse();
    }

    [Fact]
    public async Task StartAsync_WorkerSendsGarbageInsteadOfHello_ThrowsWorkerCrashed()
    {
        var options = TestWorkerApp.PoolOptions("pool-garbage-hello", workers: 1);

        WorkerCrashedException error = await Should.ThrowAsync<WorkerCrashedException>(ProcessPool.StartAsync(options, Ct).WaitAsync(Limit, Ct));

        error.Message.ShouldContain("not an XSystem frame");
    }

    [Fact]
    public async Task StartAsync_WorkerIsNotAPoolWorker_ThrowsWithExitCode()
    {
        var options = TestWorkerApp.PoolOptions("no-such-role", workers: 1);

        WorkerCrashedException error = await Should.ThrowAsync<WorkerCrashedException>(ProcessPool.StartAsync(options, Ct).WaitAsync(Limit, Ct));

        error.Message.ShouldContain("exited with code 2");
    }

    [Fact]
    public async Task MaxTasksPerWorker_Reached_WorkerIsRecycledWithoutFailures()
    {
        var options = TestWorkerApp.PoolOptions(workers: 1);
        options.MaxTasksPerWorker = 50;
        await using ProcessPool pool = await ProcessPool.StartAsync(options, Ct).WaitAsync(Limit, Ct);
        var pids = new HashSet<int>();

        for (int i = 0; i < 120; i++)
        {
            pids.Add(await pool.SubmitAsync<int, int>("pid", i, Ct).WaitAsync(Limit, Ct));
        }

        pids.Count.ShouldBeGreaterThanOrEqualTo(3);
        pool.Stats.Failed.ShouldBe(0);
        pool.Stats.Recycled.ShouldBeGreaterThanOrEqualTo(2);
        pool.Stats.Restarts.ShouldBe(0);
    }

    [Fact]
    public async Task MaxWorkerMemoryBytes_Exceeded_WorkerIsRecycled()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "RSS comes from /proc/PID/statm");
        var options = TestWorkerApp.PoolOptions(workers: 1);
        options.MaxWorkerMemoryBytes = 200L * 1024 * 1024;
        await using ProcessPool pool = await ProcessPool.StartAsync(options, Ct).WaitAsync(Limit, Ct);
        int pid = pool.WorkerProcessIds.Single();

        await pool.SubmitAsync<int, long>("hold", 256, Ct).WaitAsync(Limit, Ct);
        await WaitUntilAsync(() => pool.Stats.Recycled >= 1 && pool.WorkerProcessIds.Count == 1 && pool.WorkerProcessIds[0] != pid);

        (await pool.SubmitAsync<int, int>("pid", 0, Ct).WaitAsync(Limit, Ct)).ShouldNotBe(pid);
        pool.Stats.Failed.ShouldBe(0);
    }

    [Fact]
    public async Task DisposeAsync_WorkQueued_DrainsBeforeWorkersExit()
    {
        var options = TestWorkerApp.PoolOptions(workers: 2);
        ProcessPool pool = await ProcessPool.StartAsync(options, Ct).WaitAsync(Limit, Ct);
        int[] pids = [.. pool.WorkerProcessIds];
        Task<int>[] tasks = Enumerable.Range(0, 40).Select(_ => pool.SubmitAsync<int, int>("sleep", 25, Ct)).ToArray();

        await pool.DisposeAsync().AsTask().WaitAsync(Limit, Ct);

        tasks.ShouldAllBe(t => t.IsCompletedSuccessfully);
        pids.ShouldAllBe(pid => !TestWorkerApp.IsAlive(pid));
        await Should.ThrowAsync<ObjectDisposedException>(pool.SubmitAsync<int, int>("pid", 0, Ct));
    }

    [Fact]
    public async Task SubmitAsync_CallerCancelsQueuedTask_TaskIsCancelledOthersComplete()
    {
        var options = TestWorkerApp.PoolOptions(workers: 1);
        options.MaxInFlightPerWorker = 1;
        await using ProcessPool pool = await ProcessPool.StartAsync(options, Ct).WaitAsync(Limit, Ct);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        Task<int> busy = pool.SubmitAsync<int, int>("sleep", 300, Ct);
        Task<int> queued = pool.SubmitAsync<int, int>("sleep", 1, cancel.Token);

        await cancel.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(queued.WaitAsync(Limit, Ct));
        (await busy.WaitAsync(Limit, Ct)).ShouldBe(300);
    }

    [Fact]
    public async Task SubmitAsync_WorkerLogsToStdout_FramesUnaffected()
    {
        await using ProcessPool pool = await ProcessPool.StartAsync(TestWorkerApp.PoolOptions(workers: 1), Ct).WaitAsync(Limit, Ct);

        (await pool.SubmitAsync<string, string>("log", "hi", Ct).WaitAsync(Limit, Ct)).ShouldBe("HI");
    }

    [Fact]
    public void Constructor_NoWorkerFileName_ThrowsArgumentException()
    {
        Should.Throw<ArgumentException>(() => new ProcessPool(new ProcessPoolOptions()));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            watch.Elapsed.ShouldBeLessThan(Limit, "the condition never became true");
            await Task.Delay(20, Ct); // real worker processes: no fake clock applies
        }
    }
}
