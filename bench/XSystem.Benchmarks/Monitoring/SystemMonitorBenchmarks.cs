using BenchmarkDotNet.Attributes;
using XSystem.Monitoring;

namespace XSystem.Benchmarks.Monitoring;

/// <summary>
/// Cost of one SystemMonitor sample. At 1 Hz the share of one core is (sample time / 1 s); the target is under 0.5%,
/// i.e. a sample under 5 ms. Baseline: the naive CPU + memory read (File.ReadAllText of /proc/stat and /proc/meminfo).
/// Linux only.
/// </summary>
[MemoryDiagnoser]
public class SystemMonitorBenchmarks : IDisposable
{
    private SystemMonitor _defaults = null!;
    private SystemMonitor _full = null!;

    [GlobalSetup]
    public void Setup()
    {
        _defaults = new SystemMonitor(new SystemMonitorOptions { HistoryCapacity = 60 });
        var full = new SystemMonitorOptions { HistoryCapacity = 60 };
        full.DiskPaths.Add("/");
        full.ProcessIds.Add(Environment.ProcessId);
        full.Thresholds.Add(MetricThreshold.Cpu(90, 70, 3));
        full.Thresholds.Add(MetricThreshold.Memory(90, 80));
        _full = new SystemMonitor(full);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        // Neither monitor was started, so disposal completes synchronously (no timer to wait for).
        _defaults?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _full?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true)]
    public double Naive_CpuAndMemory_ReadAllText() => NaiveProc.CpuTimes().Busy + NaiveProc.Memory().Percent;

    [Benchmark]
    public MetricSample Sample_Defaults_CpuAndMemory() => _defaults.SampleNow();

    [Benchmark]
    public MetricSample Sample_WithDiskRssAndThresholds() => _full.SampleNow();
}
