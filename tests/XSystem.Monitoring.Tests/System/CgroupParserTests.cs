using XSystem.Monitoring.Platform.Linux;
using static XSystem.Monitoring.Tests.System.TestSupport;

namespace XSystem.Monitoring.Tests.System;

public class CgroupParserTests
{
    [Fact]
    public void ParseProcCgroup_Real_HybridLayout()
    {
        List<CgroupEntry> entries = CgroupParser.ParseProcCgroup(Fixture("real_self_cgroup.txt"));

        entries.ShouldContain(e => e.HierarchyId == 0 && e.Controllers.Length == 0 && e.Path == "/");
        entries.ShouldContain(e => e.Controllers.Contains("memory") && e.Path.StartsWith("/process_api/"));
    }

    [Theory]
    [InlineData("max 100000", null, 100000L)]
    [InlineData("150000 100000", 150000L, 100000L)]
    [InlineData("max", null, null)]
    [InlineData("", null, null)]
    public void ParseCpuMax_Variants(string text, long? quota, long? period)
    {
        CgroupParser.ParseCpuMax(text).ShouldBe((quota, period));
    }

    [Theory]
    [InlineData("max\n", null)]
    [InlineData("536870912\n", 536870912L)]
    [InlineData("9223372036854771712", null)]
    [InlineData("garbage", null)]
    public void ParseMemoryLimit_Variants(string text, long? expected)
    {
        CgroupParser.ParseMemoryLimit(text).ShouldBe(expected);
    }

    [Fact]
    public void ParseV1Quota_MinusOne_Unlimited()
    {
        CgroupParser.ParseV1Quota("-1\n").ShouldBeNull();
        CgroupParser.ParseV1Quota("50000\n").ShouldBe(50000);
    }

    [Fact]
    public void Locate_V1MountRootIsCgroupPath_UsesMountPoint()
    {
        List<CgroupEntry> cgroups = CgroupParser.ParseProcCgroup(Fixture("cgroup_v1_self.txt"));
        List<MountInfoEntry> mounts = MountParser.ParseMountInfo(Fixture("cgroup_v1_mountinfo.txt"));

        CgroupLocation? cpu = CgroupParser.Locate(cgroups, mounts, "cpu", "", _ => true);
        CgroupLocation? memory = CgroupParser.Locate(cgroups, mounts, "memory", "/r", _ => true);

        cpu.ShouldBe(new CgroupLocation(1, "/sys/fs/cgroup/cpu,cpuacct", "/sys/fs/cgroup/cpu,cpuacct"));
        memory.ShouldBe(new CgroupLocation(1, "/r/sys/fs/cgroup/memory", "/r/sys/fs/cgroup/memory"));
    }

    [Fact]
    public void Locate_V2_AppendsCgroupPath()
    {
        CgroupLocation? location = CgroupParser.Locate(
            CgroupParser.ParseProcCgroup(Fixture("cgroup_v2_self.txt")), MountParser.ParseMountInfo(Fixture("cgroup_v2_mountinfo.txt")), "memory", "", _ => true);

        location.ShouldBe(new CgroupLocation(2, "/sys/fs/cgroup/system.slice/docker-3f2a9c.scope", "/sys/fs/cgroup"));
    }

    [Fact]
    public void Locate_V2DirectoryMissing_FallsBackToMountPoint()
    {
        CgroupLocation? location = CgroupParser.Locate(
            CgroupParser.ParseProcCgroup(Fixture("cgroup_v2_self.txt")), MountParser.ParseMountInfo(Fixture("cgroup_v2_mountinfo.txt")), "cpu", "", _ => false);

        location!.Directory.ShouldBe("/sys/fs/cgroup");
    }

    [Fact]
    public void Locate_V2CgroupNamespace_UsesMountPoint()
    {
        CgroupLocation? location = CgroupParser.Locate(
            CgroupParser.ParseProcCgroup(Fixture("cgroup_v2_ns_self.txt")), MountParser.ParseMountInfo(Fixture("cgroup_v2_ns_mountinfo.txt")), "cpu", "", _ => true);

        location.ShouldBe(new CgroupLocation(2, "/sys/fs/cgroup", "/sys/fs/cgroup"));
    }

    [Fact]
    public void Locate_NoCgroupMounts_ReturnsNull()
    {
        CgroupParser.Locate(CgroupParser.ParseProcCgroup(Fixture("cgroup_v2_self.txt")), [], "cpu", "", _ => true).ShouldBeNull();
    }

    [Fact]
    public void FindContainerRuntime_DockerPath_Named()
    {
        CgroupParser.FindContainerRuntime(Fixture("cgroup_v1_self.txt")).ShouldBe("docker");
        CgroupParser.FindContainerRuntime("0::/init.scope\n").ShouldBeNull();
    }
}

/// <summary>The whole container reader on fake /proc and /sys trees in a temp directory.</summary>
public class LinuxContainerTests
{
    [Fact]
    public void Read_V2WithLimits_ReportsQuotaAndMemory()
    {
        using var tree = new TempTree();
        tree.Write("proc/self/cgroup", Fixture("cgroup_v2_self.txt"));
        tree.Write("proc/self/mountinfo", Fixture("cgroup_v2_mountinfo.txt"));
        tree.Write("sys/fs/cgroup/system.slice/docker-3f2a9c.scope/cpu.max", "150000 100000\n");
        tree.Write("sys/fs/cgroup/system.slice/docker-3f2a9c.scope/memory.max", "536870912\n");
        tree.Write("sys/fs/cgroup/memory.max", "max\n");
        tree.Write(".dockerenv", "");

        ContainerInfo info = LinuxContainer.Read(tree.Root);

        info.IsContainer.ShouldBeTrue();
        info.Hints.ShouldContain("/.dockerenv");
        info.CgroupVersion.ShouldBe(2);
        info.CpuLimit.ShouldBe(1.5);
        info.CpuQuota.ShouldBe(TimeSpan.FromMilliseconds(150));
        info.CpuPeriod.ShouldBe(TimeSpan.FromMilliseconds(100));
        info.MemoryLimit.ShouldBe(536870912);
        info.MemoryCgroupPath.ShouldEndWith("docker-3f2a9c.scope");
    }

    [Fact]
    public void Read_V2Unlimited_NullLimits()
    {
        using var tree = new TempTree();
        tree.Write("proc/self/cgroup", Fixture("cgroup_v2_self.txt"));
        tree.Write("proc/self/mountinfo", Fixture("cgroup_v2_mountinfo.txt"));
        tree.Write("sys/fs/cgroup/system.slice/docker-3f2a9c.scope/cpu.max", "max 100000\n");
        tree.Write("sys/fs/cgroup/system.slice/docker-3f2a9c.scope/memory.max", "max\n");

        ContainerInfo info = LinuxContainer.Read(tree.Root);

        info.IsContainer.ShouldBeFalse();
        info.CgroupVersion.ShouldBe(2);
        info.CpuLimit.ShouldBeNull();
        info.CpuQuota.ShouldBeNull();
        info.CpuPeriod.ShouldBe(TimeSpan.FromMilliseconds(100));
        info.MemoryLimit.ShouldBeNull();
    }

    [Fact]
    public void Read_V2ParentLimitLower_ParentWins()
    {
        using var tree = new TempTree();
        tree.Write("proc/self/cgroup", Fixture("cgroup_v2_self.txt"));
        tree.Write("proc/self/mountinfo", Fixture("cgroup_v2_mountinfo.txt"));
        tree.Write("sys/fs/cgroup/system.slice/docker-3f2a9c.scope/memory.max", "max\n");
        tree.Write("sys/fs/cgroup/system.slice/memory.max", "268435456\n");
        tree.Write("sys/fs/cgroup/system.slice/cpu.max", "50000 100000\n");

        ContainerInfo info = LinuxContainer.Read(tree.Root);

        info.MemoryLimit.ShouldBe(268435456);
        info.CpuLimit.ShouldBe(0.5);
        info.MemoryCgroupPath.ShouldEndWith("system.slice");
    }

    [Fact]
    public void Read_V1WithLimits_ReportsQuotaAndMemory()
    {
        using var tree = new TempTree();
        tree.Write("proc/self/cgroup", Fixture("cgroup_v1_self.txt"));
        tree.Write("proc/self/mountinfo", Fixture("cgroup_v1_mountinfo.txt"));
        tree.Write("proc/1/cgroup", Fixture("cgroup_v1_self.txt"));
        tree.Write("sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us", "200000\n");
        tree.Write("sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us", "100000\n");
        tree.Write("sys/fs/cgroup/memory/memory.limit_in_bytes", "1073741824\n");
        tree.Write("run/systemd/container", "docker\n");

        ContainerInfo info = LinuxContainer.Read(tree.Root);

        info.CgroupVersion.ShouldBe(1);
        info.CpuLimit.ShouldBe(2.0);
        info.MemoryLimit.ShouldBe(1073741824);
        info.Hints.ShouldBe(["/run/systemd/container: docker", "/proc/1/cgroup: docker"]);
    }

    [Fact]
    public void Read_V1NoLimits_NullLimits()
    {
        using var tree = new TempTree();
        tree.Write("proc/self/cgroup", Fixture("cgroup_v1_self.txt"));
        tree.Write("proc/self/mountinfo", Fixture("cgroup_v1_mountinfo.txt"));
        tree.Write("sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us", "-1\n");
        tree.Write("sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us", "100000\n");
        tree.Write("sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n");

        ContainerInfo info = LinuxContainer.Read(tree.Root);

        info.CpuLimit.ShouldBeNull();
        info.MemoryLimit.ShouldBeNull();
        info.CpuPeriod.ShouldBe(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Read_NothingThere_EmptyInfo()
    {
        using var tree = new TempTree();

        ContainerInfo info = LinuxContainer.Read(tree.Root);

        info.IsContainer.ShouldBeFalse();
        info.CgroupVersion.ShouldBe(0);
        info.CpuLimit.ShouldBeNull();
        info.MemoryLimit.ShouldBeNull();
    }
}
