using System.Buffers.Binary;
using System.Text;
using XSystem.Monitoring.Internal;
using XSystem.Monitoring.Platform.Linux;
using static XSystem.Monitoring.Tests.System.TestSupport;

namespace XSystem.Monitoring.Tests.System;

public class MiscParserTests
{
    [Fact]
    public void CpuInfo_Real_ModelHypervisorAndCores()
    {
        CpuInfoSummary info = CpuInfoParser.Parse(Fixture("real_cpuinfo.txt"));

        info.ModelName.ShouldBe("Intel(R) Xeon(R) Processor");
        info.LogicalCount.ShouldBe(2);
        info.PhysicalCores.ShouldBe(2);
        info.HasHypervisorFlag.ShouldBeTrue();
        info.AverageMhz.ShouldBe(2100.0);
    }

    [Fact]
    public void CpuInfo_Arm_ModelFromModelLineNoCoreIds()
    {
        CpuInfoSummary info = CpuInfoParser.Parse(Fixture("cpuinfo_arm.txt"));

        info.ModelName.ShouldBe("BCM2835");
        info.LogicalCount.ShouldBe(2);
        info.PhysicalCores.ShouldBe(0);
        info.HasHypervisorFlag.ShouldBeFalse();
        info.AverageMhz.ShouldBe(0);
    }

    [Theory]
    [InlineData("48K", 48L * 1024)]
    [InlineData("307200K\n", 307200L * 1024)]
    [InlineData("2M", 2L * 1024 * 1024)]
    [InlineData("", 0L)]
    public void ParseCacheSize_Units(string text, long expected)
    {
        CpuInfoParser.ParseCacheSize(text).ShouldBe(expected);
    }

    [Theory]
    [InlineData("0-1\n", 2)]
    [InlineData("0-3,8,10-11", 7)]
    [InlineData("5", 1)]
    [InlineData("", 0)]
    [InlineData("3-1", 0)]
    [InlineData("a-b", 0)]
    public void CountCpuList_Variants(string list, int expected)
    {
        SpanText.CountCpuList(list).ShouldBe(expected);
    }

    [Theory]
    [InlineData(@"/mnt/my\040disk", "/mnt/my disk")]
    [InlineData(@"tab\011here", "tab\there")]
    [InlineData(@"back\134slash", @"back\slash")]
    [InlineData(@"trailing\04", @"trailing\04")]
    [InlineData("plain", "plain")]
    public void UnescapeOctal_Variants(string input, string expected)
    {
        SpanText.UnescapeOctal(input).ShouldBe(expected);
    }

    [Theory]
    [InlineData("0x1003\n", 0x1003L)]
    [InlineData("0x0", 0L)]
    [InlineData("1002", 0x1002L)]
    [InlineData("zz", -1L)]
    public void ParseFlags_SysfsNetFlags(string text, long expected)
    {
        CountersParser.ParseInterfaceFlags(text).ShouldBe(expected);
    }

    [Fact]
    public void Statm_ParseResidentBytes_SecondFieldTimesPage()
    {
        StatmReader.ParseResidentBytes("1000 250 30 4 0 50 0\n", 4096).ShouldBe(250 * 4096);
        StatmReader.ParseResidentBytes("1000", 4096).ShouldBeNull();
    }

    [Fact]
    public void Statm_ResidentBytes_OwnProcessPositive_MissingNull()
    {
        StatmReader.ResidentBytes(Environment.ProcessId).ShouldNotBeNull().ShouldBeGreaterThan(0);
        StatmReader.ResidentBytes(int.MaxValue).ShouldBeNull();
    }

    private static byte[] UtmpRecord(short type, int pid, string line, string user, string host, int seconds)
    {
        byte[] r = new byte[UtmpParser.RecordSize];
        BinaryPrimitives.WriteInt16LittleEndian(r, type);
        BinaryPrimitives.WriteInt32LittleEndian(r.AsSpan(4), pid);
        Encoding.ASCII.GetBytes(line).CopyTo(r, 8);
        Encoding.ASCII.GetBytes(user).CopyTo(r, 44);
        Encoding.ASCII.GetBytes(host).CopyTo(r, 76);
        BinaryPrimitives.WriteInt32LittleEndian(r.AsSpan(340), seconds);
        return r;
    }

    [Fact]
    public void Utmp_Parse_OnlyUserProcessRecords()
    {
        byte[] data = [
            .. UtmpRecord(2, 0, "~", "reboot", "6.1.0", 1_700_000_000), // BOOT_TIME
            .. UtmpRecord(7, 4242, "pts/0", "alice", "10.0.0.9", 1_700_000_100),
            .. UtmpRecord(8, 4243, "pts/1", "", "", 0), // DEAD_PROCESS
            .. UtmpRecord(7, 4244, "tty1", "bob", "", 1_700_000_200),
            .. new byte[100], // partial trailing record
        ];

        List<UserSession> users = UtmpParser.Parse(data);

        users.Count.ShouldBe(2);
        users[0].ShouldBe(new UserSession("alice", "pts/0", "10.0.0.9", DateTimeOffset.FromUnixTimeSeconds(1_700_000_100), 4242));
        users[1].Name.ShouldBe("bob");
        users[1].Host.ShouldBe("");
    }

    [Fact]
    public void ProcFs_MissingFile_ReturnsFalseAndNulls()
    {
        ProcFs.TryParse("/proc/definitely-not-here", static t => t.Length, out int length).ShouldBeFalse();
        length.ShouldBe(0);
        ProcFs.ReadTextOrNull("/nonexistent/dir/file").ShouldBeNull();
        ProcFs.ReadInt64OrNull("/proc/self/definitely-not-here").ShouldBeNull();
    }

    [Fact]
    public void ProcFs_ProcFileLargerThanBuffer_ReadsWhole()
    {
        // /proc/self/maps of a .NET process is well over 4 KiB and reports size 0.
        string? text = ProcFs.ReadTextOrNull("/proc/self/maps");

        text.ShouldNotBeNull();
        text.Length.ShouldBeGreaterThan(4096);
        text.ShouldEndWith("\n");
        new FileInfo("/proc/self/maps").Length.ShouldBe(0);
    }

    [Fact]
    public void ProcFs_ReadInt64_SysfsValue()
    {
        using var tree = new TempTree();
        tree.Write("value", " 1400\n");

        ProcFs.ReadInt64OrNull(Path.Combine(tree.Root, "value")).ShouldBe(1400);
    }
}

public class SystemInfoPlatformTests
{
    [Fact]
    public void Unsupported_Message_NamesMemberPlatformAndWhereSupported()
    {
        PlatformNotSupportedException ex = SystemInfo.Unsupported("Swap", "Linux");

        ex.Message.ShouldContain("SystemInfo.Swap");
        ex.Message.ShouldContain("implements it on Linux");
        ex.Message.ShouldContain("docs/monitoring.md");
    }

    [Fact]
    public void MetricSource_FirstCpuCall_IsAverageSinceBootNotZero()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "reads /proc/stat");
        CpuTimeInfo times = SystemInfo.CpuTimes();
        double sinceBoot = times.Busy.Ticks * 100.0 / times.Total.Ticks;

        double first = new SystemMetricSource().CpuPercent();

        first.ShouldBeGreaterThan(0);
        first.ShouldBe(sinceBoot, tolerance: 1.0);
    }
}
