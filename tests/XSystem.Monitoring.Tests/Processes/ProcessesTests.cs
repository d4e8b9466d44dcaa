using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace XSystem.Monitoring.Tests;

/// <summary>The process API against real processes, cross-checked with ps and /proc/&lt;pid&gt;/status.</summary>
public class ProcessesTests
{
    private static readonly long PageSize = Environment.SystemPageSize;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static Dictionary<string, string> Status(int pid) =>
        File.ReadAllLines($"/proc/{pid}/status")
            .Select(l => l.Split(':', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1].Trim());

    [Fact]
    public void Get_SleepChild_MatchesPsAndStatus()
    {
        using var child = ChildProcess.Start("/bin/sleep", "sleep", "30");
        // Right after exec, sleep may still be running its startup; compare once it sleeps.
        WaitForStatus(child.Pid, s => s == ProcessStatus.Sleeping);

        ProcessInfo info = Processes.Get(child.Pid);
        string[] ps = ChildProcess.Run("ps", "-o", "rss=,nlwp=,ppid=,args=", "-p", child.Pid.ToString(CultureInfo.InvariantCulture))
            .Trim().Split(' ', 4, StringSplitOptions.RemoveEmptyEntries);
        Dictionary<string, string> status = Status(child.Pid);

        info.Pid.ShouldBe(child.Pid);
        info.Name.ShouldBe("sleep");
        info.Name.ShouldBe(status["Name"]);
        long psRssBytes = long.Parse(ps[0], CultureInfo.InvariantCulture) * 1024;
        Math.Abs(info.Memory.Rss - psRssBytes).ShouldBeLessThanOrEqualTo(4 * PageSize);
        info.ThreadCount.ShouldBe(int.Parse(ps[1], CultureInfo.InvariantCulture));
        info.ThreadCount.ShouldBe(int.Parse(status["Threads"], CultureInfo.InvariantCulture));
        info.ParentPid.ShouldBe(Environment.ProcessId);
        info.ParentPid.ShouldBe(int.Parse(ps[2], CultureInfo.InvariantCulture));
        info.ParentPid.ShouldBe(int.Parse(status["PPid"], CultureInfo.InvariantCulture));
        string.Join(' ', info.CommandLine).ShouldBe(ps[3].Trim());
        info.CommandLine.ShouldBe(["/bin/sleep", "30"]);
        info.Status.ShouldBe(ProcessStatus.Sleeping);
        status["State"].ShouldStartWith("S");
        info.Uid.ShouldBe(int.Parse(status["Uid"].Split('\t')[0], CultureInfo.InvariantCulture));
        info.Username.ShouldBe("root");
        info.Exe.ShouldBe("/usr/bin/sleep");
        info.Memory.Vms.ShouldBeGreaterThan(info.Memory.Rss);
        info.Memory.Uss.ShouldNotBeNull();
        info.Memory.Pss.ShouldNotBeNull();
        info.Memory.Uss!.Value.ShouldBeLessThanOrEqualTo(info.Memory.Rss);
    }

    [Fact]
    public void Get_SleepChild_CreateTimeMatchesStartWithinTwoSeconds()
    {
        DateTimeOffset before = DateTimeOffset.UtcNow;
        using var child = ChildProcess.Start("/bin/sleep", "sleep", "30");

        ProcessInfo info = Processes.Get(child.Pid);

        // btime has whole seconds, and the clock of the VM may have drifted from boot by a little.
        (info.CreateTime - before).Duration().ShouldBeLessThan(TimeSpan.FromSeconds(2));
        Processes.Current.CreateTime.ShouldBeLessThanOrEqualTo(info.CreateTime);
    }

    [Fact]
    public void Get_NameWithSpacesAndParentheses_ParsesNameAndCommandLine()
    {
        using var child = ChildProcess.StartRenamedSleep("x) (y z", 30);
        WaitForStatus(child.Pid, s => s == ProcessStatus.Sleeping);

        ProcessInfo info = Processes.Get(child.Pid);

        info.Name.ShouldBe("x) (y z");
        info.CommandLine.ShouldBe([child.ExecutablePath!, "30"]);
        info.Exe.ShouldBe(child.ExecutablePath);
        info.Status.ShouldBe(ProcessStatus.Sleeping);
        Processes.List().ShouldContain(p => p.Pid == child.Pid && p.Name == "x) (y z");
    }

    [Fact]
    public void Get_LongName_CompletedFromCommandLineButTruncatedInBasicList()
    {
        using var child = ChildProcess.StartRenamedSleep("sleep-with-a-long-name", 30);

        ProcessInfo full = Processes.Get(child.Pid);
        ProcessInfo basic = Processes.List(ProcessFields.Basic).Single(p => p.Pid == child.Pid);

        full.Name.ShouldBe("sleep-with-a-long-name");
        basic.Name.ShouldBe("sleep-with-a-lo");
    }

    [Fact]
    public void SuspendResume_Child_StatusStoppedThenSleeping()
    {
        using var child = ChildProcess.Start("/bin/sleep", "sleep", "30");
        ProcessInfo info = Processes.Get(child.Pid);

        info.Suspend();
        ProcessStatus stopped = WaitForStatus(child.Pid, s => s == ProcessStatus.Stopped);
        info.Resume();
        ProcessStatus resumed = WaitForStatus(child.Pid, s => s is ProcessStatus.Sleeping or ProcessStatus.Running);

        stopped.ShouldBe(ProcessStatus.Stopped);
        resumed.ShouldBeOneOf(ProcessStatus.Sleeping, ProcessStatus.Running);
    }

    [Fact]
    public async Task Terminate_Child_WaitForExitCompletes()
    {
        using var child = ChildProcess.Start("/bin/sleep", "sleep", "30");
        ProcessInfo info = Processes.Get(child.Pid);

        info.Terminate();
        await info.WaitForExitAsync(Token).WaitAsync(TimeSpan.FromSeconds(10), Token);

        info.HasExited().ShouldBeTrue();
    }

    [Fact]
    public async Task Kill_StoppedChild_WaitForExitCompletes()
    {
        using var child = ChildProcess.Start("/bin/sleep", "sleep", "30");
        ProcessInfo info = Processes.Get(child.Pid);
        info.Suspend();

        info.Kill();
        await info.WaitForExitAsync(Token).WaitAsync(TimeSpan.FromSeconds(10), Token);

        // Exited means gone or a zombie; once the runtime has reaped it, signals are refused as "gone".
        info.HasExited().ShouldBeTrue();
        WaitUntil(() => !info.IsRunning());
        Should.Throw<ProcessGoneException>(info.Kill).Pid.ShouldBe(info.Pid);
    }

    [Fact]
    public async Task WaitForExitAsync_Cancelled_ThrowsOperationCanceled()
    {
        using var child = ChildProcess.Start("/bin/sleep", "sleep", "30");
        ProcessInfo info = Processes.Get(child.Pid);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Should.ThrowAsync<OperationCanceledException>(() => info.WaitForExitAsync(cts.Token));

        info.IsRunning().ShouldBeTrue();
    }

    [Fact]
    public void Get_VanishedPid_ThrowsProcessGoneWithPid()
    {
        int pid;
        using (var child = ChildProcess.Start("/bin/sleep", "sleep", "30"))
        {
            pid = child.Pid;
        }

        WaitUntil(() => !Directory.Exists($"/proc/{pid}"));

        ProcessGoneException error = Should.Throw<ProcessGoneException>(() => Processes.Get(pid));
        error.Pid.ShouldBe(pid);
        error.Message.ShouldContain(pid.ToString(CultureInfo.InvariantCulture));
        Processes.TryGet(pid, out _).ShouldBeFalse();
        Processes.Exists(pid).ShouldBeFalse();
    }

    [Fact]
    public void ControlAndLazyReads_PidNowBelongsToOtherProcess_ThrowProcessGoneAndLeaveItAlone()
    {
        using var child = ChildProcess.Start("/bin/sleep", "sleep", "30");
        ProcessInfo real = Processes.Get(child.Pid, ProcessFields.Basic);
        // The same pid with another start time: what a stale ProcessInfo looks like after the pid was reused.
        var stale = new ProcessInfo(child.Pid, StaleStat(real), memory: null, uid: -1, commandLine: null);

        Should.Throw<ProcessGoneException>(stale.Kill).Message.ShouldContain("replaced");
        Should.Throw<ProcessGoneException>(stale.Terminate);
        Should.Throw<ProcessGoneException>(() => stale.Memory);
        Should.Throw<ProcessGoneException>(() => stale.CommandLine);
        Should.Throw<ProcessGoneException>(stale.GetIoCounters);
        stale.IsRunning().ShouldBeFalse();
        stale.HasExited().ShouldBeTrue();
        real.IsRunning().ShouldBeTrue();
        Processes.Get(child.Pid).Status.ShouldBeOneOf(ProcessStatus.Sleeping, ProcessStatus.Running);
    }

    [Fact]
    public void List_Default_ContainsThisProcessAndChildWithMemoryAndUser()
    {
        using var child = ChildProcess.Start("/bin/sleep", "sleep", "30");

        IReadOnlyList<ProcessInfo> all = Processes.List();

        all.Select(p => p.Pid).ShouldBeInOrder(SortDirection.Ascending);
        ProcessInfo self = all.Single(p => p.Pid == Environment.ProcessId);
        self.Memory.Rss.ShouldBeGreaterThan(1024 * 1024);
        self.ThreadCount.ShouldBeGreaterThan(1);
        all.Single(p => p.Pid == child.Pid).ParentPid.ShouldBe(Environment.ProcessId);
        all.ShouldAllBe(p => p.Uid >= 0);
        Processes.Pids().ShouldContain(Environment.ProcessId);
    }

    [Fact]
    public void List_Basic_ReadsMemoryAndCommandLineOnFirstAccess()
    {
        ProcessInfo self = Processes.List(ProcessFields.Basic).Single(p => p.Pid == Environment.ProcessId);

        self.Memory.Rss.ShouldBeGreaterThan(0);
        self.Memory.Uss.ShouldBeNull();
        self.CommandLine.ShouldNotBeEmpty();
        self.Username.ShouldBe("root");
    }

    [Fact]
    public void List_KernelThreads_HaveEmptyCommandLineAndNoExe()
    {
        ProcessInfo kthreadd = Processes.List(ProcessFields.All).Single(p => p.Pid == 2);

        kthreadd.Name.ShouldBe("kthreadd");
        kthreadd.CommandLine.ShouldBeEmpty();
        kthreadd.Exe.ShouldBeNull();
        kthreadd.Memory.Rss.ShouldBe(0);
        kthreadd.Memory.Uss.ShouldBeNull();
    }

    [Fact]
    public void Current_ThisProcess_ReadsLiveData()
    {
        ProcessInfo self = Processes.Current;

        self.Pid.ShouldBe(Environment.ProcessId);
        self.Exe.ShouldNotBeNull();
        self.GetCwd().ShouldBe(Environment.CurrentDirectory);
        self.GetIoCounters().ReadChars.ShouldBeGreaterThan(0);
        self.CpuTimes.Total.ShouldBeGreaterThan(TimeSpan.Zero);
        self.GetParent().ShouldNotBeNull().Pid.ShouldBe(self.ParentPid);
        self.Nice.ShouldBeInRange(-20, 19);
    }

    [Fact]
    public void GetOpenFiles_FileHeldOpen_ListsPathAndDescriptor()
    {
        string path = Path.Combine(Path.GetTempPath(), $"xsys-open-{Guid.NewGuid():N}.txt");
        try
        {
            using FileStream stream = File.Create(path);

            IReadOnlyList<ProcessOpenFile> files = Processes.Current.GetOpenFiles();

            ProcessOpenFile file = files.Single(f => f.Path == path);
            file.Fd.ShouldBe((int)stream.SafeFileHandle.DangerousGetHandle());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void GetConnections_LoopbackListener_ListedAsListen()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;

        IReadOnlyList<ProcessConnection> connections = Processes.Current.GetConnections();

        ProcessConnection connection = connections.Single(c => c.Local.Port == port);
        connection.Protocol.ShouldBe(ProtocolType.Tcp);
        connection.Family.ShouldBe(AddressFamily.InterNetwork);
        connection.State.ShouldBe(ConnectionState.Listen);
        connection.Remote.ShouldBeNull();
        connection.Local.Address.ShouldBe(IPAddress.Loopback);
    }

    [Fact]
    public void GetChildren_ShellWithSleep_DirectAndRecursive()
    {
        using var child = ChildProcess.Start("/bin/sh", "sh", "-c", "sleep 30 & wait");
        WaitUntil(() => Processes.Get(child.Pid).GetChildren().Count == 1);
        ProcessInfo shell = Processes.Get(child.Pid);

        IReadOnlyList<ProcessInfo> mine = Processes.Current.GetChildren();
        IReadOnlyList<ProcessInfo> all = Processes.Current.GetChildren(recursive: true);

        mine.ShouldContain(p => p.Pid == child.Pid);
        mine.ShouldNotContain(p => p.Name == "sleep" && p.ParentPid == child.Pid);
        all.ShouldContain(p => p.Name == "sleep" && p.ParentPid == child.Pid);
        shell.GetChildren().Single().Name.ShouldBe("sleep");
    }

    [Fact]
    public async Task CpuPercentAsync_BusyChild_ReportsCpuUse()
    {
        using var child = ChildProcess.Start("/bin/sh", "sh", "-c", "while :; do :; done");
        ProcessInfo info = Processes.Get(child.Pid);

        double busy = await info.CpuPercentAsync(TimeSpan.FromSeconds(1), cancellationToken: Token);

        // The machine is shared and can be very loaded (builds and benchmarks of other work); a spinning shell
        // still gets a few percent of a core, and an idle sleep gets 0.
        busy.ShouldBeGreaterThan(2);
        busy.ShouldBeLessThanOrEqualTo(Environment.ProcessorCount * 100 + 5);
        using var idle = ChildProcess.Start("/bin/sleep", "sleep", "30");
        (await Processes.Get(idle.Pid).CpuPercentAsync(TimeSpan.FromMilliseconds(200), cancellationToken: Token)).ShouldBe(0);
    }

    [Fact]
    public async Task MeasureCpuAsync_AllProcesses_IncludesThisProcessWithNonNegativePercent()
    {
        IReadOnlyList<ProcessCpuUsage> usage = await Processes.MeasureCpuAsync(TimeSpan.FromMilliseconds(200), cancellationToken: Token);

        usage.ShouldContain(u => u.Process.Pid == Environment.ProcessId);
        usage.ShouldAllBe(u => u.CpuPercent >= 0 && !double.IsNaN(u.CpuPercent));
    }

    [Fact]
    public void EveryMember_EveryProcess_OnlyGoneOrAccessDenied()
    {
        int checkedCount = 0;
        foreach (ProcessInfo process in Processes.List(ProcessFields.Basic))
        {
            var calls = new Action[]
            {
                () => _ = process.Name.Length,
                () => _ = process.ParentPid,
                () => _ = process.Status,
                () => _ = process.CpuTimes.Total,
                () => _ = process.ThreadCount,
                () => _ = process.Nice,
                () => _ = process.CreateTime,
                () => _ = process.Memory.Rss,
                () => _ = process.Uid,
                () => _ = process.Username.Length,
                () => _ = process.CommandLine.Count,
                () => _ = process.Exe,
                () => _ = process.GetCwd(),
                () => _ = process.GetIoCounters(),
                () => _ = process.GetOpenFiles(),
                () => _ = process.GetConnections(),
                () => _ = process.GetChildren(recursive: true),
                () => _ = process.GetParent(),
                () => _ = process.IsRunning(),
                () => _ = process.HasExited(),
                () => _ = process.Refresh(),
                () => _ = process.ToString(),
            };
            foreach (Action call in calls)
            {
                try
                {
                    call();
                }
                catch (Exception e) when (e is ProcessGoneException or AccessDeniedException)
                {
                    // Allowed: the process exited during the pass or is not ours.
                }
            }

            checkedCount++;
        }

        checkedCount.ShouldBeGreaterThan(5);
    }

    [Fact]
    public void AccessDeniedException_PidAndWhat_InMessageAndProperties()
    {
        var error = new AccessDeniedException(42, "/proc/42/io");

        error.ShouldBeAssignableTo<UnauthorizedAccessException>();
        error.Pid.ShouldBe(42);
        error.What.ShouldBe("/proc/42/io");
        error.Message.ShouldContain("/proc/42/io");
        error.Message.ShouldContain("42");
        Should.Throw<AccessDeniedException>(() => ProcessReader.ThrowIfFailed(ProcReadStatus.AccessDenied, 7, "smaps_rollup"))
            .What.ShouldBe("/proc/7/smaps_rollup");
        Should.Throw<ProcessGoneException>(() => ProcessReader.ThrowIfFailed(ProcReadStatus.NotFound, 7, "stat")).Pid.ShouldBe(7);
    }

    [Fact]
    public void Get_InvalidPid_ThrowsArgumentOutOfRange()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => Processes.Get(0));
        Should.Throw<ArgumentOutOfRangeException>(() => Processes.Get(-5));
    }

    private static StatFields StaleStat(ProcessInfo real)
    {
        byte[] bytes = File.ReadAllBytes($"/proc/{real.Pid}/stat");
        ProcParsers.TryParseStat(bytes, out StatFields stat).ShouldBeTrue();
        return stat with { StartTicks = stat.StartTicks - 1 };
    }

    private static ProcessStatus WaitForStatus(int pid, Func<ProcessStatus, bool> done)
    {
        ProcessStatus status = ProcessStatus.Unknown;
        WaitUntil(() => done(status = Processes.Get(pid, ProcessFields.Basic).Status));
        return status;
    }

    private static void WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The condition did not become true within 10 s.");
            }

            Thread.Sleep(10);
        }
    }
}
