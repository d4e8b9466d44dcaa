using XSystem.Monitoring.Platform.Linux;
using static XSystem.Monitoring.Tests.System.TestSupport;

namespace XSystem.Monitoring.Tests.System;

public class StatParserTests
{
    [Fact]
    public void ParseCpuTimes_RealStat_TotalAndPerCpu()
    {
        (CpuTimeInfo? total, List<CpuTimeInfo> perCpu) = StatParser.ParseCpuTimes(Fixture("real_stat.txt"), 100);

        total.ShouldNotBeNull();
        perCpu.Count.ShouldBe(2);
        total.User.ShouldBe(TimeSpan.FromMilliseconds(28_892_150));
        total.System.ShouldBe(TimeSpan.FromMilliseconds(1_753_780));
        total.Steal.ShouldBe(TimeSpan.FromMilliseconds(29_620));
        (perCpu[0].User + perCpu[1].User).ShouldBe(total.User);
    }

    [Fact]
    public void ParseCpuTimes_OldKernelSevenColumns_MissingModesZero()
    {
        CpuTimeInfo? total = StatParser.ParseTotalCpuTimes(Fixture("stat_old.txt"), 100);

        total.ShouldNotBeNull();
        total.SoftIrq.ShouldBe(TimeSpan.FromMilliseconds(70));
        total.Steal.ShouldBe(TimeSpan.Zero);
        total.GuestNice.ShouldBe(TimeSpan.Zero);
        total.Total.ShouldBe(TimeSpan.FromMilliseconds(5_680));
        total.Busy.ShouldBe(TimeSpan.FromMilliseconds(1_630));
    }

    [Fact]
    public void ParseBootTime_Present_ReturnsSeconds()
    {
        StatParser.ParseBootTime(Fixture("stat_old.txt")).ShouldBe(1700000000);
        StatParser.ParseBootTime(Fixture("real_stat.txt")).ShouldNotBeNull();
    }

    [Fact]
    public void ParseBootTime_Missing_ReturnsNull()
    {
        StatParser.ParseBootTime("cpu 1 2 3 4\n").ShouldBeNull();
    }

    [Fact]
    public void ParseLoadAverage_Real_ThreeNumbers()
    {
        LoadAverageInfo? load = StatParser.ParseLoadAverage(Fixture("real_loadavg.txt"));

        load.ShouldBe(new LoadAverageInfo(0.66, 1.82, 2.39));
    }

    [Fact]
    public void ParseLoadAverage_Truncated_ReturnsNull()
    {
        StatParser.ParseLoadAverage("0.5 0.4").ShouldBeNull();
    }

    [Fact]
    public void BusyPercent_TwoSamples_ComputesDelta()
    {
        CpuTimeInfo a = StatParser.ParseTotalCpuTimes("cpu 100 0 100 800 0 0 0 0 0 0", 100)!;
        CpuTimeInfo b = StatParser.ParseTotalCpuTimes("cpu 150 0 150 900 0 0 0 0 0 0", 100)!;

        CpuTimeInfo.BusyPercent(a, b).ShouldBe(50.0);
        CpuTimeInfo.BusyPercent(b, b).ShouldBe(0.0);
    }

    [Fact]
    public void ParseUptime_Real_Positive()
    {
        StatParser.ParseUptime(Fixture("real_uptime.txt"))!.Value.ShouldBeGreaterThan(TimeSpan.Zero);
    }
}
