using XSystem.Monitoring.Platform.Linux;
using static XSystem.Monitoring.Tests.System.TestSupport;

namespace XSystem.Monitoring.Tests.System;

public class MountAndCountersParserTests
{
    [Fact]
    public void ParseMounts_EscapedSpace_Unescaped()
    {
        List<DiskPartition> mounts = MountParser.ParseMounts(Fixture("mounts_odd.txt"));

        mounts.Count.ShouldBe(6);
        DiskPartition disk = mounts.Single(m => m.Device == "/dev/sdb1");
        disk.MountPoint.ShouldBe("/mnt/my disk");
        disk.FileSystemType.ShouldBe("xfs");
        disk.IsReadOnly.ShouldBeTrue();
        mounts[0].IsReadOnly.ShouldBeFalse();
    }

    [Fact]
    public void IsPhysical_PsutilRule_SkipsPseudoAndNoneDevices()
    {
        HashSet<string> physical = MountParser.ParsePhysicalFileSystems(Fixture("real_filesystems.txt"));
        List<DiskPartition> mounts = MountParser.ParseMounts(Fixture("mounts_odd.txt"));

        string[] kept = [.. mounts.Where(m => MountParser.IsPhysical(m, physical)).Select(m => m.MountPoint)];

        physical.ShouldContain("ext4");
        physical.ShouldNotContain("proc");
        physical.ShouldNotContain("nodev");
        kept.ShouldBe(["/", "/mnt/my disk", "/tank/data"]);
    }

    [Fact]
    public void ParseMountInfo_Real_FindsRootAndCgroupMounts()
    {
        List<MountInfoEntry> entries = MountParser.ParseMountInfo(Fixture("real_self_mountinfo.txt"));

        entries.ShouldContain(e => e.MountPoint == "/" && e.FileSystemType == "ext4" && e.Source == "/dev/vda");
        entries.ShouldContain(e => e.FileSystemType == "cgroup" && e.SuperOptions.Contains("memory"));
    }

    [Fact]
    public void ParseDiskStats_OldAndNewFormats_SkipsShortPartitionLines()
    {
        List<KeyValuePair<string, DiskIoCounters>> disks = CountersParser.ParseDiskStats(Fixture("diskstats_odd.txt"));

        disks.Select(d => d.Key).ShouldBe(["sda", "nvme0n1"]);
        DiskIoCounters sda = disks[0].Value;
        sda.ReadCount.ShouldBe(100);
        sda.ReadMergedCount.ShouldBe(5);
        sda.ReadBytes.ShouldBe(2000 * 512);
        sda.ReadTime.ShouldBe(TimeSpan.FromMilliseconds(300));
        sda.WriteCount.ShouldBe(50);
        sda.WriteBytes.ShouldBe(800 * 512);
        sda.BusyTime.ShouldBe(TimeSpan.FromMilliseconds(500));
    }

    [Fact]
    public void ParseDiskStats_Real_HasVda()
    {
        List<KeyValuePair<string, DiskIoCounters>> disks = CountersParser.ParseDiskStats(Fixture("real_diskstats.txt"));

        disks.ShouldContain(d => d.Key == "vda" && d.Value.ReadCount == 49606 && d.Value.WriteBytes == 316964976L * 512);
        CountersParser.Sum(disks.Select(d => d.Value)).ReadCount.ShouldBe(49606);
    }

    [Fact]
    public void ParseNetDev_OddNames_DotsDashesAndGluedNumbers()
    {
        List<KeyValuePair<string, NetworkIoCounters>> nics = CountersParser.ParseNetDev(Fixture("net_dev_odd.txt"));

        nics.Select(n => n.Key).ShouldBe(["lo", "br-1a2b3c4d", "eth0.100", "veth-a.b_c", "eth1"]);
        NetworkIoCounters br = nics[1].Value;
        br.BytesReceived.ShouldBe(2000);
        br.PacketsReceived.ShouldBe(20);
        br.ErrorsIn.ShouldBe(1);
        br.DropsIn.ShouldBe(2);
        br.BytesSent.ShouldBe(3000);
        br.PacketsSent.ShouldBe(30);
        br.ErrorsOut.ShouldBe(3);
        br.DropsOut.ShouldBe(4);
        nics[4].Value.BytesReceived.ShouldBe(long.MaxValue);
    }

    [Fact]
    public void ParseNetDev_Real_MatchesFile()
    {
        List<KeyValuePair<string, NetworkIoCounters>> nics = CountersParser.ParseNetDev(Fixture("real_net_dev.txt"));

        nics.Select(n => n.Key).ShouldBe(["lo", "ifb0", "ifb1", "eth0"]);
        nics[3].Value.BytesReceived.ShouldBe(267329452);
        nics[3].Value.BytesSent.ShouldBe(620403);
    }
}
