using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using XSystem.Monitoring;

namespace XSystem.Benchmarks.Monitoring;

/// <summary>
/// SystemInfo.Memory() and CpuTimes() (pooled buffer + span parsers) against File.ReadAllText + string.Split parsing of
/// the same /proc file (baseline per category). Linux only.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class SystemInfoBenchmarks
{
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Memory")]
    public double Naive_Meminfo_ReadAllText() => NaiveProc.Memory().Percent;

    [Benchmark]
    [BenchmarkCategory("Memory")]
    public double SystemInfo_Memory() => SystemInfo.Memory().Percent;

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("CpuTimes")]
    public long Naive_Stat_ReadAllText() => NaiveProc.CpuTimes().Busy;

    [Benchmark]
    [BenchmarkCategory("CpuTimes")]
    public TimeSpan SystemInfo_CpuTimes() => SystemInfo.CpuTimes().Busy;
}

/// <summary>The naive way to read /proc: File.ReadAllText plus string.Split, the baseline the span parsers are measured against.</summary>
internal static class NaiveProc
{
    public static (long Total, long Available, double Percent) Memory()
    {
        long total = 0, available = 0;
        foreach (string line in File.ReadAllText("/proc/meminfo").Split('\n'))
        {
            string[] parts = line.Split(':');
            if (parts.Length != 2)
            {
                continue;
            }

            long kb = long.Parse(parts[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            switch (parts[0])
            {
                case "MemTotal": total = kb * 1024; break;
                case "MemAvailable": available = kb * 1024; break;
                default: break;
            }
        }

        return (total, available, (total - available) * 100.0 / total);
    }

    public static (long Busy, long Total) CpuTimes()
    {
        string first = File.ReadAllText("/proc/stat").Split('\n')[0];
        long[] v = [.. first.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(s => long.Parse(s, CultureInfo.InvariantCulture))];
        long total = v.Take(8).Sum();
        return (total - v[3] - v[4], total);
    }
}
