using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace XSystem.Monitoring.Tests.System;

/// <summary>psutil-style accuracy checks: SystemInfo against the machine's own tools and kernel files (Linux).</summary>
public class SystemInfoCrossCheckTests
{
    private const long MiB = 1024 * 1024;
    private const long MemoryTolerance = 5 * MiB;
    private const long DiskTolerance = 10 * MiB;

    private static void RequireLinux() => Assert.SkipUnless(OperatingSystem.IsLinux(), "Linux cross-checks");

    private static string RequireTool(string file, params string[] args)
    {
        string? output = TestSupport.Tool(file, args);
        Assert.SkipWhen(output is null, $"{file} is not installed");
        return output!;
    }

    /// <summary>
    /// Moving values (memory, disk, load) can change between our read and the tool's on a busy machine; like psutil's
    /// retry_on_failure, the comparison is repeated a few times and only the last failure is reported.
    /// </summary>
    private static void Retry(Action check, int attempts = 5)
    {
        for (int i = 1; ; i++)
        {
            try
            {
                check();
                return;
            }
            catch (ShouldAssertException) when (i < attempts)
            {
                Thread.Sleep(50);
            }
        }
    }

    private static long[] Numbers(string line) =>
        [.. line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(s => long.Parse(s, CultureInfo.InvariantCulture))];

    [Fact]
    public void Memory_Total_EqualsMeminfoAndFree()
    {
        RequireLinux();
        Retry(() =>
        {
            string free = RequireTool("free", "-b");
            long meminfoTotal = long.Parse(File.ReadAllLines("/proc/meminfo")[0].Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            long[] mem = Numbers(free.Split('\n').First(l => l.StartsWith("Mem:", StringComparison.Ordinal)));

            MemoryInfo memory = SystemInfo.Memory();

            memory.Total.ShouldBe(meminfoTotal);
            memory.Total.ShouldBe(mem[0]);
            Math.Abs(memory.Used - mem[1]).ShouldBeLessThan(MemoryTolerance, "used vs free -b");
            Math.Abs(memory.Free - mem[2]).ShouldBeLessThan(MemoryTolerance, "free vs free -b");
            Math.Abs(memory.Available - mem[5]).ShouldBeLessThan(MemoryTolerance, "available vs free -b");
            Math.Abs(memory.Buffers + memory.Cached - mem[4]).ShouldBeLessThan(MemoryTolerance, "buff/cache vs free -b");
            memory.Percent.ShouldBeInRange(0, 100);
        });
    }

    [Fact]
    public void Swap_Total_EqualsFree()
    {
        RequireLinux();
        Retry(() =>
        {
            long[] swap = Numbers(RequireTool("free", "-b").Split('\n').First(l => l.StartsWith("Swap:", StringComparison.Ordinal)));

            SwapInfo info = SystemInfo.Swap();

            info.Total.ShouldBe(swap[0]);
            Math.Abs(info.Used - swap[1]).ShouldBeLessThan(MemoryTolerance);
        });
    }

    [Fact]
    public void CpuCount_Logical_EqualsNprocAll()
    {
        RequireLinux();
        int nproc = int.Parse(RequireTool("nproc", "--all").Trim(), CultureInfo.InvariantCulture);

        SystemInfo.CpuCount(logical: true).ShouldBe(nproc);
    }

    [Fact]
    public void CpuCount_Physical_EqualsLscpuCores()
    {
        RequireLinux();
        int cores = RequireTool("lscpu", "-p").Split('\n')
            .Where(l => l.Length > 0 && l[0] != '#')
            .Select(l => l.Split(','))
            .Select(f => (f[1], f[2]))
            .Distinct()
            .Count();

        SystemInfo.CpuCount(logical: false).ShouldBe(cores);
    }

    [Fact]
    public void DiskUsage_Root_MatchesDf()
    {
        RequireLinux();
        Retry(() =>
        {
            string df = RequireTool("df", "-B1", "--output=size,used,avail", "/");
            long[] v = [.. df.Split('\n')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => long.Parse(s, CultureInfo.InvariantCulture))];

            DiskUsageInfo usage = SystemInfo.DiskUsage("/");

            usage.Total.ShouldBe(v[0]);
            Math.Abs(usage.Used - v[1]).ShouldBeLessThan(DiskTolerance);
            Math.Abs(usage.Free - v[2]).ShouldBeLessThan(DiskTolerance);
            usage.Percent.ShouldBeInRange(0, 100);
        });
    }

    [Fact]
    public void DiskUsage_MissingPath_ThrowsDirectoryNotFound()
    {
        RequireLinux();

        Should.Throw<DirectoryNotFoundException>(() => SystemInfo.DiskUsage("/definitely/not/here")).Message.ShouldContain("/definitely/not/here");
    }

    [Fact]
    public void NetworkIo_Counters_MonotonicAgainstProcNetDev()
    {
        RequireLinux();
        Dictionary<string, long[]> before = File.ReadAllLines("/proc/net/dev").Skip(2)
            .Select(l => l.Split(':', 2))
            .ToDictionary(p => p[0].Trim(), p => p[1].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray());

        IReadOnlyDictionary<string, NetworkIoCounters> now = SystemInfo.NetworkIoPerInterface();
        NetworkIoCounters total = SystemInfo.NetworkIo();

        now.Keys.ShouldBe(before.Keys, ignoreOrder: true);
        foreach ((string name, long[] v) in before)
        {
            now[name].BytesReceived.ShouldBeGreaterThanOrEqualTo(v[0]);
            now[name].PacketsReceived.ShouldBeGreaterThanOrEqualTo(v[1]);
            now[name].BytesSent.ShouldBeGreaterThanOrEqualTo(v[8]);
            now[name].PacketsSent.ShouldBeGreaterThanOrEqualTo(v[9]);
        }

        total.BytesReceived.ShouldBeGreaterThanOrEqualTo(before.Values.Sum(v => v[0]));
    }

    [Fact]
    public void BootTime_MatchesUptimeS()
    {
        RequireLinux();
        Retry(() =>
        {
            string text = RequireTool("uptime", "-s").Trim();
            var local = DateTime.ParseExact(text, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal);

            DateTimeOffset boot = SystemInfo.BootTime();

            Math.Abs((boot - new DateTimeOffset(local)).TotalSeconds).ShouldBeLessThan(2);
            SystemInfo.Uptime().ShouldBeGreaterThan(TimeSpan.Zero);
        });
    }

    [Fact]
    public void LoadAverage_MatchesProcLoadavg()
    {
        RequireLinux();
        Retry(() =>
        {
            double[] before = ReadLoad();
            LoadAverageInfo load = SystemInfo.LoadAverage();
            double[] after = ReadLoad();

            load.OneMinute.ShouldBeInRange(Math.Min(before[0], after[0]), Math.Max(before[0], after[0]));
            load.FiveMinutes.ShouldBeInRange(Math.Min(before[1], after[1]), Math.Max(before[1], after[1]));
            load.FifteenMinutes.ShouldBeInRange(Math.Min(before[2], after[2]), Math.Max(before[2], after[2]));

            static double[] ReadLoad() => [.. File.ReadAllText("/proc/loadavg").Split(' ').Take(3).Select(s => double.Parse(s, CultureInfo.InvariantCulture))];
        });
    }

    [Fact]
    public void Disks_All_MatchFindmnt()
    {
        RequireLinux();
        HashSet<string> targets = [.. RequireTool("findmnt", "-rn", "-o", "TARGET").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(t => t.Replace("\\x20", " ", StringComparison.Ordinal))];

        IReadOnlyList<DiskPartition> all = SystemInfo.Disks(all: true);
        IReadOnlyList<DiskPartition> physical = SystemInfo.Disks();

        all.Select(d => d.MountPoint).ToHashSet().SetEquals(targets).ShouldBeTrue();
        physical.ShouldContain(d => d.MountPoint == "/");
        physical.ShouldNotContain(d => d.FileSystemType == "proc" || d.FileSystemType == "sysfs" || d.FileSystemType == "cgroup");
        physical.Count.ShouldBeLessThan(all.Count);
    }

    [Fact]
    public void NetworkConnections_OpenListener_FoundWithOurPid()
    {
        RequireLinux();
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;

            IReadOnlyList<NetworkConnectionInfo> connections = SystemInfo.NetworkConnections(ConnectionKinds.Tcp);

            NetworkConnectionInfo mine = connections.Single(c => c.LocalEndPoint.Port == port && c.State == ConnectionState.Listen);
            mine.LocalEndPoint.Address.ShouldBe(IPAddress.Loopback);
            mine.ProcessId.ShouldBe(Environment.ProcessId);
            mine.Protocol.ShouldBe(ProtocolType.Tcp);
            SystemInfo.NetworkConnections(ConnectionKinds.Udp).ShouldNotContain(c => c.Protocol == ProtocolType.Tcp);
        }
        finally
        {
            listener.Stop();
            listener.Dispose();
        }
    }

    [Fact]
    public void EffectiveLimits_AgreeWithRuntime()
    {
        RequireLinux();

        long limit = SystemInfo.EffectiveMemoryLimit;
        int cpus = SystemInfo.EffectiveCpuCount;

        limit.ShouldBeGreaterThan(0);
        limit.ShouldBeLessThanOrEqualTo(SystemInfo.Memory().Total);
        // The .NET runtime reads the same cgroup limits for the GC.
        long runtime = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        Math.Abs(limit - runtime).ShouldBeLessThanOrEqualTo(Math.Max(limit, runtime) / 100);
        cpus.ShouldBeInRange(1, SystemInfo.CpuCount());
        cpus.ShouldBe(Environment.ProcessorCount);
    }

    [Fact]
    public void PublicMembers_AllCallable_NoUnexpectedException()
    {
        RequireLinux();

        SystemInfo.CpuCount().ShouldBeGreaterThan(0);
        SystemInfo.CpuCount(logical: false).ShouldBeGreaterThan(0);
        SystemInfo.CpuTimes().Total.ShouldBeGreaterThan(TimeSpan.Zero);
        SystemInfo.CpuTimesPerCpu().Count.ShouldBe(SystemInfo.CpuCount());
        SystemInfo.CpuUsage(TimeSpan.FromMilliseconds(50)).ShouldBeInRange(0, 100);
        SystemInfo.CpuUsage(TimeSpan.Zero).ShouldBeInRange(0, 100);
        SystemInfo.CpuUsagePerCpu(TimeSpan.FromMilliseconds(50)).Count.ShouldBe(SystemInfo.CpuCount());
        SystemInfo.CpuUsageSinceLastCall().ShouldBeInRange(0, 100);
        SystemInfo.CpuFrequency().CurrentMhz.ShouldBeGreaterThanOrEqualTo(0);
        SystemInfo.LoadAverage().OneMinute.ShouldBeGreaterThanOrEqualTo(0);
        SystemInfo.Memory().Total.ShouldBeGreaterThan(0);
        SystemInfo.Swap().Total.ShouldBeGreaterThanOrEqualTo(0);
        SystemInfo.Disks().ShouldNotBeEmpty();
        SystemInfo.DiskUsage(AppContext.BaseDirectory).Total.ShouldBeGreaterThan(0);
        SystemInfo.DiskIo().ReadCount.ShouldBeGreaterThanOrEqualTo(0);
        SystemInfo.DiskIoPerDisk().ShouldNotBeNull();
        SystemInfo.NetworkIo().BytesReceived.ShouldBeGreaterThanOrEqualTo(0);
        SystemInfo.NetworkInterfaces().ShouldContain(n => n.Name == "lo" && n.IsUp && n.Addresses.Any(a => IPAddress.IsLoopback(a.Address)));
        SystemInfo.NetworkConnections().ShouldNotBeNull();
        SystemInfo.BootTime().ShouldBeLessThan(DateTimeOffset.UtcNow);
        SystemInfo.Users().ShouldNotBeNull();
        SystemInfo.Container().Hints.ShouldNotBeNull();
        HardwareInfo hardware = SystemInfo.Hardware();
        hardware.LogicalCores.ShouldBe(SystemInfo.CpuCount());
        hardware.MemoryTotal.ShouldBe(SystemInfo.Memory().Total);
        hardware.KernelVersion.ShouldBe(File.ReadAllText("/proc/sys/kernel/osrelease").Trim());
        hardware.Caches.ShouldAllBe(c => c.Level > 0 && c.SizeBytes > 0);
        hardware.Disks.ShouldContain(d => d.MountPoint == "/" && d.TotalBytes > 0);
    }

    [Fact]
    public async Task CpuUsageAsync_FakeClock_MeasuresOverInterval()
    {
        RequireLinux();
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();

        Task<double> usage = SystemInfo.CpuUsageAsync(TimeSpan.FromSeconds(1), clock, TestContext.Current.CancellationToken);
        usage.IsCompleted.ShouldBeFalse();
        clock.Advance(TimeSpan.FromSeconds(1));

        (await usage).ShouldBeInRange(0, 100);
    }

    [Fact]
    public async Task CpuUsageAsync_Cancelled_Throws()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        using var cts = new CancellationTokenSource();

        Task<double> usage = SystemInfo.CpuUsageAsync(TimeSpan.FromSeconds(1), clock, cts.Token);
        await cts.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(usage);
    }

    [Fact]
    public void CpuUsage_NegativeInterval_Throws()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => SystemInfo.CpuUsage(TimeSpan.FromSeconds(-1)));
    }
}
