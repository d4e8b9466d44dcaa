using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Time.Testing;

namespace XSystem.Ipc.Tests.Processes;

public sealed class ProcessManagerTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ProcessSpec Sh(string script, RestartPolicy policy = RestartPolicy.Never) =>
        new("/bin/sh", "-c", script) { RestartPolicy = policy };

    [Fact]
    public async Task Start_CommandWritesBothStreams_OutputCapturedAndExitCodeReported()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "uses /bin/sh");
        await using var manager = new ProcessManager();

        manager.Start("job", Sh("echo out; echo err >&2; exit 3"));
        ManagedProcessInfo final = await manager.WaitForFinalAsync("job", Ct).WaitAsync(Limit, Ct);

        final.State.ShouldBe(ManagedProcessState.Exited);
        final.ExitCode.ShouldBe(3);
        final.Restarts.ShouldBe(0);
        IReadOnlyList<OutputLine> output = manager.GetOutput("job");
        output.ShouldContain(l => l.Text == "out" && l.Stream == OutputStreamKind.StandardOutput);
        output.ShouldContain(l => l.Text == "err" && l.Stream == OutputStreamKind.StandardError);
    }

    [Fact]
    public async Task RestartPolicy_OnFailure_BacksOffExponentiallyAndStopsAtMaxRestarts()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "uses /bin/sh");
        var time = new FakeTimeProvider();
        await using var manager = new ProcessManager(new ProcessManagerOptions { TimeProvider = time });
        int exits = 0;
        manager.Exited += (_, _) => Interlocked.Increment(ref exits);
        ProcessSpec spec = Sh("exit 3", RestartPolicy.OnFailure);
        spec.InitialRestartDelay = TimeSpan.FromSeconds(1);
        spec.MaxRestartDelay = TimeSpan.FromSeconds(10);
        spec.MaxRestarts = 2;

        manager.Start("flaky", spec);
        await WaitForAsync(manager, "flaky", i => i.State == ManagedProcessState.BackingOff && i.Restarts == 0);
        time.Advance(TimeSpan.FromMilliseconds(999));
        await Task.Delay(200, Ct); // a restart would need a real process start; give it the chance to happen wrongly
        Info(manager, "flaky").Restarts.ShouldBe(0);
        time.Advance(TimeSpan.FromMilliseconds(1)); // first delay: 1 s
        await WaitForAsync(manager, "flaky", i => i.State == ManagedProcessState.BackingOff && i.Restarts == 1);
        time.Advance(TimeSpan.FromSeconds(1));
        await Task.Delay(200, Ct);
        Info(manager, "flaky").Restarts.ShouldBe(1); // second delay doubled: 2 s
        time.Advance(TimeSpan.FromSeconds(1));
        ManagedProcessInfo final = await manager.WaitForFinalAsync("flaky", Ct).WaitAsync(Limit, Ct);

        final.State.ShouldBe(ManagedProcessState.Failed);
        final.Restarts.ShouldBe(2);
        final.ExitCode.ShouldBe(3);
        final.Error.ShouldNotBeNull().ShouldContain("MaxRestarts = 2");
        await WaitUntilAsync(() => Volatile.Read(ref exits) == 3);
    }

    [Fact]
    public async Task RestartPolicy_Never_FailingCommandIsNotRestarted()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "uses /bin/sh");
        await using var manager = new ProcessManager();

        manager.Start("once", Sh("exit 1"));
        ManagedProcessInfo final = await manager.WaitForFinalAsync("once", Ct).WaitAsync(Limit, Ct);

        final.State.ShouldBe(ManagedProcessState.Exited);
        final.Restarts.ShouldBe(0);
        final.ExitCode.ShouldBe(1);
    }

    [Fact]
    public async Task RestartPolicy_OnFailure_SuccessfulExitIsNotRestarted()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "uses /bin/sh");
        await using var manager = new ProcessManager();

        manager.Start("ok", Sh("exit 0", RestartPolicy.OnFailure));
        ManagedProcessInfo final = await manager.WaitForFinalAsync("ok", Ct).WaitAsync(Limit, Ct);

        final.State.ShouldBe(ManagedProcessState.Exited);
        final.Restarts.ShouldBe(0);
    }

    [Fact]
    public async Task RestartPolicy_Always_RestartsAfterCleanExit()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "uses /bin/sh");
        var time = new FakeTimeProvider();
        await using var manager = new ProcessManager(new ProcessManagerOptions { TimeProvider = time });
        ProcessSpec spec = Sh("echo run", RestartPolicy.Always);
        spec.InitialRestartDelay = TimeSpan.FromSeconds(1);

        manager.Start("loop", spec);
        await WaitForAsync(manager, "loop", i => i.State == ManagedProcessState.BackingOff);
        time.Advance(TimeSpan.FromSeconds(1));
        await WaitForAsync(manager, "loop", i => i.Restarts == 1 && i.State == ManagedProcessState.BackingOff);
        ManagedProcessInfo stopped = await manager.StopAsync("loop", cancellationToken: Ct).WaitAsync(Limit, Ct);

        stopped.State.ShouldBe(ManagedProcessState.Stopped);
        manager.GetOutput("loop").Count(l => l.Text == "run").ShouldBe(2);
    }

    [Fact]
    public async Task Stop_ChildIgnoresSigterm_KilledWithSigkillAfterGracePeriod()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix signals");
        var time = new FakeTimeProvider();
        await using var manager = new ProcessManager(new ProcessManagerOptions { TimeProvider = time });
        manager.Start("stubborn", Sh("trap '' TERM; echo ready; sleep 60"));
        await WaitForLineAsync(manager, "stubborn", "ready");

        manager.Stop("stubborn", TimeSpan.FromSeconds(10)).ShouldBeTrue();
        await Task.Delay(300, Ct); // SIGTERM is ignored: the process must still be there
        Info(manager, "stubborn").State.ShouldBe(ManagedProcessState.Stopping);
        time.Advance(TimeSpan.FromSeconds(10));
        ManagedProcessInfo final = await manager.WaitForFinalAsync("stubborn", Ct).WaitAsync(Limit, Ct);

        final.State.ShouldBe(ManagedProcessState.Stopped);
        final.ExitCode.ShouldBe(128 + 9);
    }

    [Fact]
    public async Task StopAsync_ChildHonoursSigterm_ExitsAtOnce()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix signals");
        await using var manager = new ProcessManager();
        manager.Start("polite", Sh("echo ready; sleep 60"));
        await WaitForLineAsync(manager, "polite", "ready");
        var watch = Stopwatch.StartNew();

        ManagedProcessInfo final = await manager.StopAsync("polite", TimeSpan.FromSeconds(20), Ct).WaitAsync(Limit, Ct);

        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
        final.State.ShouldBe(ManagedProcessState.Stopped);
        final.ExitCode.ShouldBe(128 + 15);
    }

    [Fact]
    public async Task DisposeAsync_ChildWithGrandchild_BothAreGone()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "reads /proc");
        var manager = new ProcessManager(new ProcessManagerOptions { DisposeGracePeriod = TimeSpan.FromSeconds(2) });
        int grandchild;
        int child;
        try
        {
            manager.Start("parent", Sh("sleep 60 & echo $!; wait"));
            OutputLine line = await FirstLineAsync(manager, "parent");
            grandchild = int.Parse(line.Text, CultureInfo.InvariantCulture);
            child = Info(manager, "parent").ProcessId;
            TestWorkerApp.IsAlive(grandchild).ShouldBeTrue();
        }
        finally
        {
            await manager.DisposeAsync();
        }

        await WaitUntilAsync(() => !TestWorkerApp.IsAlive(grandchild) && !TestWorkerApp.IsAlive(child));
    }

    [Fact]
    public async Task ManagerProcessSigkilled_ChildrenAndGrandchildrenDie()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "reads /proc");
        using Process host = TestWorkerApp.Start("manager-host", "2");
        int[] groups;
        try
        {
            string? line = await host.StandardOutput.ReadLineAsync(Ct).AsTask().WaitAsync(Limit, Ct);
            line.ShouldNotBeNull().ShouldStartWith("pids: ");
            groups = line["pids: ".Length..].Split(' ').Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
            groups.Length.ShouldBe(2);
            await WaitUntilAsync(() => groups.All(g => LiveGroupMembers(g).Count >= 2)); // guard shell + sleeper (+ sleep)

            host.Kill(); // SIGKILL the manager only: no dispose, no finalizers
            await host.WaitForExitAsync(Ct).WaitAsync(Limit, Ct);
        }
        finally
        {
            TestWorkerApp.KillQuietly(host);
        }

        await WaitUntilAsync(() => groups.All(g => LiveGroupMembers(g).Count == 0), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Start_MoreThanMaxProcesses_Throws()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "uses /bin/sh");
        await using var manager = new ProcessManager(new ProcessManagerOptions { MaxProcesses = 1, DisposeGracePeriod = TimeSpan.FromSeconds(1) });
        manager.Start("a", Sh("sleep 60"));

        InvalidOperationException error = Should.Throw<InvalidOperationException>(() => manager.Start("b", Sh("sleep 60")));

        error.Message.ShouldContain("MaxProcesses is 1");
        manager.MaxProcesses.ShouldBe(1);
    }

    [Fact]
    public async Task Start_DuplicateLiveName_Throws()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "uses /bin/sh");
        await using var manager = new ProcessManager(new ProcessManagerOptions { DisposeGracePeriod = TimeSpan.FromSeconds(1) });
        manager.Start("a", Sh("sleep 60"));

        Should.Throw<InvalidOperationException>(() => manager.Start("a", Sh("sleep 60"))).Message.ShouldContain("already supervised");
    }

    [Fact]
    public async Task Start_MissingProgram_ThrowsFileNotFound()
    {
        await using var manager = new ProcessManager();

        Should.Throw<FileNotFoundException>(() => manager.Start("x", new ProcessSpec("/no/such/program-xsys"))).Message.ShouldContain("/no/such/program-xsys");
        manager.List().ShouldBeEmpty();
    }

    [Fact]
    public async Task ReadOutputAsync_LiveProcess_StreamsLinesThenEnds()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "uses /bin/sh");
        await using var manager = new ProcessManager();
        manager.Start("counter", Sh("for i in 1 2 3 4 5; do echo line$i; done; echo oops >&2"));

        var lines = new List<OutputLine>();
        await foreach (OutputLine line in manager.ReadOutputAsync("counter", Ct).WithCancellation(Ct))
        {
            lines.Add(line);
        }

        lines.Where(l => l.Stream == OutputStreamKind.StandardOutput).Select(l => l.Text).ShouldBe(["line1", "line2", "line3", "line4", "line5"]);
        lines.ShouldContain(l => l.Stream == OutputStreamKind.StandardError && l.Text == "oops");
        lines.Select(l => l.Sequence).ShouldBeInOrder();
    }

    [Fact]
    public async Task OutputBuffer_MoreLinesThanCapacity_KeepsNewest()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "uses /bin/sh");
        await using var manager = new ProcessManager(new ProcessManagerOptions { OutputBufferLines = 10 });
        manager.Start("chatty", Sh("i=0; while [ $i -lt 50 ]; do echo n$i; i=$((i+1)); done"));
        await manager.WaitForFinalAsync("chatty", Ct).WaitAsync(Limit, Ct);

        IReadOnlyList<OutputLine> output = manager.GetOutput("chatty");

        output.Count.ShouldBe(10);
        output[^1].Text.ShouldBe("n49");
        output[0].Sequence.ShouldBe(41);
    }

    [Fact]
    public async Task Restart_RunningProcess_StartsNewRunAndCountsRestart()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "uses /bin/sh");
        await using var manager = new ProcessManager(new ProcessManagerOptions { DisposeGracePeriod = TimeSpan.FromSeconds(1) });
        manager.Start("svc", Sh("echo ready; sleep 60"));
        await WaitForLineAsync(manager, "svc", "ready");
        int firstPid = Info(manager, "svc").ProcessId;

        manager.Restart("svc", TimeSpan.FromSeconds(5));

        await WaitForAsync(manager, "svc", i => i.Restarts == 1 && i.State == ManagedProcessState.Running && i.ProcessId != firstPid);
        manager.List().Single().Name.ShouldBe("svc");
    }

    [Fact]
    public async Task List_RunningProcess_ReportsPidAndUptime()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "uses /bin/sh");
        var time = new FakeTimeProvider();
        await using var manager = new ProcessManager(new ProcessManagerOptions { TimeProvider = time, DisposeGracePeriod = TimeSpan.Zero });
        manager.Start("svc", Sh("sleep 60"));

        time.Advance(TimeSpan.FromMinutes(3));
        ManagedProcessInfo info = manager.List().Single();

        info.State.ShouldBe(ManagedProcessState.Running);
        info.ProcessId.ShouldBeGreaterThan(0);
        info.Uptime.ShouldBe(TimeSpan.FromMinutes(3));
        info.ExitCode.ShouldBeNull();
    }

    private static ManagedProcessInfo Info(ProcessManager manager, string name)
    {
        manager.TryGet(name, out ManagedProcessInfo info).ShouldBeTrue();
        return info;
    }

    private static async Task<OutputLine> FirstLineAsync(ProcessManager manager, string name)
    {
        await foreach (OutputLine line in manager.ReadOutputAsync(name, Ct).WithCancellation(Ct))
        {
            return line;
        }

        throw new ShouldAssertException($"{name} wrote no output");
    }

    private static async Task WaitForLineAsync(ProcessManager manager, string name, string text)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(Limit);
        await foreach (OutputLine line in manager.ReadOutputAsync(name, timeout.Token).WithCancellation(timeout.Token))
        {
            if (line.Text == text)
            {
                return;
            }
        }

        throw new ShouldAssertException($"{name} never wrote '{text}'");
    }

    private static Task WaitForAsync(ProcessManager manager, string name, Func<ManagedProcessInfo, bool> condition) =>
        WaitUntilAsync(() => condition(Info(manager, name)));

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan? limit = null)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            watch.Elapsed.ShouldBeLessThan(limit ?? Limit, "the condition never became true");
            await Task.Delay(10, Ct); // waiting on real child processes: no fake clock applies
        }
    }

    /// <summary>Pids of live (not zombie) processes in process group <paramref name="groupId"/>, from /proc.</summary>
    private static List<int> LiveGroupMembers(int groupId)
    {
        var members = new List<int>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (IOException)
            {
                continue;
            }

            // Fields after the ")" that ends the command name: state ppid pgrp ...
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields[0] != "Z" && fields[2] == groupId.ToString(CultureInfo.InvariantCulture))
            {
                members.Add(pid);
            }
        }

        return members;
    }
}
