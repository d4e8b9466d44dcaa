using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using XSystem.IO.Tests.Infrastructure;

namespace XSystem.IO.Tests;

public sealed class FileLockTests : IDisposable
{
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromSeconds(90);
    private readonly PathsTempDir _temp = new("xsys-lock-");
    private readonly List<Process> _processes = [];

    public void Dispose()
    {
        foreach (Process process in _processes)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit(10_000);
                }
            }
            finally
            {
                process.Dispose();
            }
        }

        _temp.Dispose();
    }

    [Fact]
    public void Acquire_TwoProcessesIncrementingUnderTheLock_LoseNoUpdate()
    {
        string lockPath = _temp.Combine("counter.lock");
        string counter = _temp.Combine("counter.txt");
        File.WriteAllText(counter, "0");

        Process first = StartHelper("count", lockPath, counter, "500");
        Process second = StartHelper("count", lockPath, counter, "500");
        WaitForSuccess(first);
        WaitForSuccess(second);

        File.ReadAllText(counter).ShouldBe("1000");
    }

    [Fact]
    public void Acquire_HolderProcessKilled_LockIsFreeAtOnce()
    {
        string lockPath = _temp.Combine("held.lock");
        Process holder = StartHelper("hold", lockPath);
        WaitForLine(holder, "LOCKED");
        FileLock.TryAcquire(lockPath, out FileLock? early).ShouldBeFalse();
        early.ShouldBeNull();
        FileLockTimeoutException timeout = Should.Throw<FileLockTimeoutException>(() => FileLock.Acquire(lockPath, TimeSpan.FromMilliseconds(100)));
        timeout.HolderProcessId.ShouldBe(holder.Id);

        holder.Kill(entireProcessTree: true);
        holder.WaitForExit(30_000).ShouldBeTrue();
        long start = Stopwatch.GetTimestamp();
        using FileLock held = FileLock.Acquire(lockPath, TimeSpan.FromSeconds(2));

        held.IsHeld.ShouldBeTrue();
        Stopwatch.GetElapsedTime(start).ShouldBeLessThan(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void TryAcquire_WhileHeldInThisProcess_ReturnsFalseUntilReleased()
    {
        string lockPath = _temp.Combine("a.lock");
        FileLock first = FileLock.Acquire(lockPath, TimeSpan.Zero);

        bool whileHeld = FileLock.TryAcquire(lockPath, out FileLock? second);
        first.Dispose();
        bool afterRelease = FileLock.TryAcquire(lockPath, out FileLock? third);

        whileHeld.ShouldBeFalse();
        second.ShouldBeNull();
        afterRelease.ShouldBeTrue();
        third.ShouldNotBeNull().Dispose();
    }

    [Fact]
    public void Acquire_HeldElsewhere_ThrowsTimeoutNamingPathAndHolder()
    {
        string lockPath = _temp.Combine("busy.lock");
        using FileLock holder = FileLock.Acquire(lockPath, TimeSpan.Zero);
        long start = Stopwatch.GetTimestamp();

        FileLockTimeoutException ex = Should.Throw<FileLockTimeoutException>(() => FileLock.Acquire(lockPath, TimeSpan.FromMilliseconds(300)));

        Stopwatch.GetElapsedTime(start).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(290));
        ex.ShouldBeAssignableTo<TimeoutException>();
        ex.LockPath.ShouldBe(lockPath);
        ex.Timeout.ShouldBe(TimeSpan.FromMilliseconds(300));
        ex.Message.ShouldContain(lockPath);
        if (!OperatingSystem.IsWindows())
        {
            ex.HolderProcessId.ShouldBe(Environment.ProcessId);
            ex.Message.ShouldContain(Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public async Task AcquireAsync_HeldElsewhere_ThrowsTimeout()
    {
        string lockPath = _temp.Combine("busy-async.lock");
        using FileLock holder = FileLock.Acquire(lockPath, TimeSpan.Zero);

        await Should.ThrowAsync<FileLockTimeoutException>(async () => await FileLock.AcquireAsync(lockPath, TimeSpan.FromMilliseconds(150), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task AcquireAsync_Cancelled_ThrowsOperationCanceledPromptly()
    {
        string lockPath = _temp.Combine("cancel.lock");
        using FileLock holder = FileLock.Acquire(lockPath, TimeSpan.Zero);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(150));
        long start = Stopwatch.GetTimestamp();

        await Should.ThrowAsync<OperationCanceledException>(async () => await FileLock.AcquireAsync(lockPath, Timeout.InfiniteTimeSpan, cts.Token));

        Stopwatch.GetElapsedTime(start).ShouldBeLessThan(TimeSpan.FromSeconds(5));
        holder.IsHeld.ShouldBeTrue();
        FileLock.TryAcquire(lockPath, out _).ShouldBeFalse();
    }

    [Fact]
    public async Task AcquireAsync_AlreadyCancelled_ThrowsWithoutTouchingTheLock()
    {
        string lockPath = _temp.Combine("precancelled.lock");

        await Should.ThrowAsync<OperationCanceledException>(async () => await FileLock.AcquireAsync(lockPath, TimeSpan.FromSeconds(1), new CancellationToken(canceled: true)));

        File.Exists(lockPath).ShouldBeFalse();
    }

    [Fact]
    public async Task AcquireAsync_ReleasedWhileWaiting_Acquires()
    {
        string lockPath = _temp.Combine("handoff.lock");
        FileLock holder = FileLock.Acquire(lockPath, TimeSpan.Zero);
        ValueTask<FileLock> waiting = FileLock.AcquireAsync(lockPath, TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);

        await Task.Delay(100, TestContext.Current.CancellationToken);
        holder.Dispose();
        using FileLock acquired = await waiting;

        acquired.IsHeld.ShouldBeTrue();
        acquired.LockPath.ShouldBe(lockPath);
    }

    [Fact]
    public void Dispose_Twice_IsSafeAndReleases()
    {
        string lockPath = _temp.Combine("twice.lock");
        FileLock held = FileLock.Acquire(lockPath, TimeSpan.Zero);

        held.Dispose();
        held.Dispose();

        held.IsHeld.ShouldBeFalse();
        FileLock.TryAcquire(lockPath, out FileLock? again).ShouldBeTrue();
        again!.Dispose();
    }

    [Fact]
    public void Acquire_SameThreadTwice_IsNotReentrant()
    {
        string lockPath = _temp.Combine("reentrant.lock");
        using FileLock first = FileLock.Acquire(lockPath, TimeSpan.Zero);

        Should.Throw<FileLockTimeoutException>(() => FileLock.Acquire(lockPath, TimeSpan.FromMilliseconds(50)));

        first.IsHeld.ShouldBeTrue();
    }

    [Fact]
    public async Task Acquire_ThreadsInOneProcess_ExcludeEachOther()
    {
        string lockPath = _temp.Combine("threads.lock");
        int counter = 0;
        int inside = 0;
        int maxInside = 0;

        Task[] workers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (int i = 0; i < 100; i++)
            {
                using FileLock held = FileLock.Acquire(lockPath, TimeSpan.FromSeconds(30));
                int now = Interlocked.Increment(ref inside);
                InterlockedMax(ref maxInside, now);
                int read = Volatile.Read(ref counter);
                Thread.Yield();
                Volatile.Write(ref counter, read + 1);
                Interlocked.Decrement(ref inside);
            }
        })).ToArray();
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        counter.ShouldBe(400);
        maxInside.ShouldBe(1);
    }

    [Fact]
    public void Acquire_CreatesLockFileWithHolderPid_AndKeepsItAfterRelease()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "The holder's process id is written on Linux and macOS only.");
        string lockPath = _temp.Combine("pid.lock");

        using (FileLock.Acquire(lockPath, TimeSpan.Zero))
        {
            File.Exists(lockPath).ShouldBeTrue();
        }

        File.Exists(lockPath).ShouldBeTrue();
        File.ReadAllText(lockPath).Trim().ShouldBe(Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Acquire_BadArguments_Throw()
    {
        Should.Throw<ArgumentException>(() => FileLock.Acquire(string.Empty, TimeSpan.Zero));
        Should.Throw<ArgumentOutOfRangeException>(() => FileLock.Acquire(_temp.Combine("x.lock"), TimeSpan.FromSeconds(-5)));
        Should.Throw<ArgumentException>(() => FileLock.TryAcquire("bad\0path", out _));
    }

    [Fact]
    public void Acquire_DirectoryMissing_ThrowsIOExceptionNamingThePath()
    {
        string lockPath = _temp.Combine("no-such-dir", "x.lock");

        IOException ex = Should.Throw<IOException>(() => FileLock.Acquire(lockPath, TimeSpan.Zero));

        ex.Message.ShouldContain(lockPath);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    private Process StartHelper(params string[] args)
    {
        string helper = typeof(FileLockTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "XSystem.IO.LockHelper").Value!;
        File.Exists(helper).ShouldBeTrue($"the lock helper was not built at {helper}");
        var info = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(helper);
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        Process process = Process.Start(info)!;
        _processes.Add(process);
        return process;
    }

    private static string DotnetHost()
    {
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }

        // <dotnet root>/shared/Microsoft.NETCore.App/<version>/ -> <dotnet root>/dotnet
        string candidate = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet"));
        return File.Exists(candidate) ? candidate : "dotnet";
    }

    private static void WaitForSuccess(Process process)
    {
        process.WaitForExit(ProcessTimeout).ShouldBeTrue("the helper did not finish in time");
        string stderr = process.StandardError.ReadToEnd();
        process.ExitCode.ShouldBe(0, stderr);
        process.StandardOutput.ReadToEnd().ShouldContain("DONE");
    }

    private static void WaitForLine(Process process, string expected)
    {
        Task<string?> line = process.StandardOutput.ReadLineAsync();
        line.Wait(ProcessTimeout).ShouldBeTrue($"the helper did not print {expected} in time");
        line.Result.ShouldBe(expected);
    }
}
