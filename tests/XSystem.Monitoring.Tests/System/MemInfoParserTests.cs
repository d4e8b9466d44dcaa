using XSystem.Monitoring.Platform.Linux;
using static XSystem.Monitoring.Tests.System.TestSupport;

namespace XSystem.Monitoring.Tests.System;

public class MemInfoParserTests
{
    [Fact]
    public void Parse_RealMeminfo_ReadsFieldsInBytes()
    {
        MemInfoFields f = MemInfoParser.Parse(Fixture("real_meminfo.txt"));

        f.MemTotal.ShouldBe(24731708L * 1024);
        f.MemFree.ShouldBe(23139188L * 1024);
        f.HasMemAvailable.ShouldBeTrue();
        f.MemAvailable.ShouldBe(24282392L * 1024);
        f.Buffers.ShouldBe(63640L * 1024);
        f.SReclaimable.ShouldBe(162380L * 1024);
    }

    [Fact]
    public void ToMemoryInfo_RealMeminfo_MatchesFreeArithmetic()
    {
        MemInfoFields f = MemInfoParser.Parse(Fixture("real_meminfo.txt"));

        MemoryInfo m = MemInfoParser.ToMemoryInfo(f, lowWatermarkBytes: null);

        m.Total.ShouldBe(24731708L * 1024);
        m.Available.ShouldBe(24282392L * 1024);
        m.Used.ShouldBe(m.Total - m.Available);
        m.Cached.ShouldBe((1242724L + 162380L) * 1024);
        m.Percent.ShouldBe(Math.Round((m.Total - m.Available) * 100.0 / m.Total, 1));
    }

    [Fact]
    public void Available_NoMemAvailableWithZoneinfo_EstimatesLikeKernel()
    {
        MemInfoFields f = MemInfoParser.Parse(Fixture("meminfo_no_memavailable.txt"));
        long lowPages = MemInfoParser.SumLowWatermarkPages(Fixture("zoneinfo_low.txt"));

        long available = MemInfoParser.Available(f, lowPages * 4096);

        f.HasMemAvailable.ShouldBeFalse();
        lowPages.ShouldBe(20 + 2500 + 5000);
        available.ShouldBe(731_709_440);
    }

    [Fact]
    public void Available_NoMemAvailableNoZoneinfo_FallsBackToFreePlusCached()
    {
        MemInfoFields f = MemInfoParser.Parse(Fixture("meminfo_no_memavailable.txt"));

        long available = MemInfoParser.Available(f, lowWatermarkBytes: null);

        available.ShouldBe((204800L + 512000L) * 1024);
    }

    [Fact]
    public void Parse_SparseAndMalformed_MissingFieldsAreZero()
    {
        MemInfoFields f = MemInfoParser.Parse(Fixture("meminfo_sparse.txt"));
        MemoryInfo m = MemInfoParser.ToMemoryInfo(f, null);

        f.MemTotal.ShouldBe(1024000L * 1024);
        f.Cached.ShouldBe(0);
        m.Available.ShouldBe(512000L * 1024);
        m.Buffers.ShouldBe(0);
        m.Percent.ShouldBe(50.0);
    }

    [Fact]
    public void ToSwapInfo_WithVmstat_ComputesUsedPercentAndBytesSwapped()
    {
        MemInfoFields f = MemInfoParser.Parse(Fixture("meminfo_no_memavailable.txt"));
        (long pagesIn, long pagesOut) = MemInfoParser.ParseSwapPages("nr_free_pages 1\npswpin 10\npswpout 20\n");

        SwapInfo swap = MemInfoParser.ToSwapInfo(f, pagesIn, pagesOut, 4096);

        swap.Total.ShouldBe(1048576L * 1024);
        swap.Used.ShouldBe(524288L * 1024);
        swap.Percent.ShouldBe(50.0);
        swap.SwappedIn.ShouldBe(40960);
        swap.SwappedOut.ShouldBe(81920);
    }

    [Fact]
    public void ToSwapInfo_NoSwap_PercentIsZero()
    {
        SwapInfo swap = MemInfoParser.ToSwapInfo(MemInfoParser.Parse(Fixture("real_meminfo.txt")), 0, 0, 4096);

        swap.Total.ShouldBe(0);
        swap.Percent.ShouldBe(0);
    }

    [Fact]
    public void Parse_Empty_AllZero()
    {
        MemInfoFields f = MemInfoParser.Parse("");

        f.MemTotal.ShouldBe(0);
        MemInfoParser.ToMemoryInfo(f, null).Percent.ShouldBe(0);
    }
}
