using System.Diagnostics.Metrics;
using Microsoft.Extensions.Time.Testing;

namespace XSystem.Monitoring.Tests.System;

public class SystemMonitorTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    /// <summary>Returns scripted values in order, repeating the last one.</summary>
    private sealed class ScriptedSource : IMetricSource
    {
        private readonly Queue<double> _cpu;
        private double _lastCpu;

        public ScriptedSource(params double[] cpu)
        {
            _cpu = new Queue<double>(cpu);
        }

        public int CpuCalls { get; private set; }

        public Exception? CpuFailure { get; set; }

        public double MemoryPercent { get; set; } = 40;

        public long MemoryUsed { get; set; } = 4_000_000_000;

        public Dictionary<string, double> Disks { get; } = [];

        public Dictionary<int, long?> Rss { get; } = [];

        public double CpuPercent()
        {
            CpuCalls++;
            if (CpuFailure is not null)
            {
                throw CpuFailure;
            }
            if (_cpu.Count > 0)
            {
                _lastCpu = _cpu.Dequeue();
            }

            return _lastCpu;
        }

        public (double Percent, long UsedBytes) Memory() => (MemoryPercent, MemoryUsed);

        public double DiskUsagePercent(string path) => Disks.TryGetValue(path, out double v) ? v : double.NaN;

        public long? ProcessRss(int pid) => Rss.TryGetValue(pid, out long? v) ? v : null;
    }

    private static (SystemMonitor Monitor, FakeTimeProvider Clock, List<string> Events) Create(
        ScriptedSource source, Action<SystemMonitorOptions>? configure = null)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var options = new SystemMonitorOptions { TimeProvider = clock, Interval = Second };
        configure?.Invoke(options);
        var monitor = new SystemMonitor(options, source);
        var events = new List<string>();
        monitor.ThresholdExceeded += (_, e) => events.Add($"exceeded {e.Threshold.Name} {e.Value}");
        monitor.ThresholdCleared += (_, e) => events.Add($"cleared {e.Threshold.Name} {e.Value}");
        return (monitor, clock, events);
    }

    private static void Tick(FakeTimeProvider clock, int count)
    {
        for (int i = 0; i < count; i++)
        {
            clock.Advance(Second);
        }
    }

    [Fact]
    public async Task Start_ClockAdvances_SamplesOncePerInterval()
    {
        var source = new ScriptedSource(10, 20, 30);
        (SystemMonitor monitor, FakeTimeProvider clock, _) = Create(source);
        await using SystemMonitor owned = monitor;

        monitor.Start();
        monitor.History.ShouldBeEmpty();
        clock.Advance(TimeSpan.FromMilliseconds(999));
        monitor.History.ShouldBeEmpty();
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Tick(clock, 2);

        monitor.History.Select(s => s.CpuPercent).ShouldBe([10.0, 20.0, 30.0]);
        monitor.History.Select(s => s.Timestamp.Second).ShouldBe([1, 2, 3]);
        monitor.Latest!.MemoryPercent.ShouldBe(40);
        monitor.Latest.MemoryUsedBytes.ShouldBe(4_000_000_000);
        monitor.IsRunning.ShouldBeTrue();
    }

    [Fact]
    public async Task History_MoreSamplesThanCapacity_KeepsNewestInOrder()
    {
        (SystemMonitor monitor, FakeTimeProvider clock, _) = Create(new ScriptedSource(1, 2, 3, 4, 5), o => o.HistoryCapacity = 3);
        await using SystemMonitor owned = monitor;

        monitor.Start();
        Tick(clock, 5);

        monitor.History.Select(s => s.CpuPercent).ShouldBe([3.0, 4.0, 5.0]);
    }

    [Fact]
    public async Task Threshold_NeedsConsecutiveSamples_AlertsOnce()
    {
        (SystemMonitor monitor, FakeTimeProvider clock, List<string> events) =
            Create(new ScriptedSource(95, 50, 95, 95, 95, 97), o => o.Thresholds.Add(MetricThreshold.Cpu(high: 90, low: 60, consecutiveSamples: 2)));
        await using SystemMonitor owned = monitor;

        monitor.Start();
        Tick(clock, 6);

        events.ShouldBe(["exceeded cpu 95"]);
    }

    [Fact]
    public async Task Threshold_ValueOscillatesBetweenLowAndHigh_NoFlapping()
    {
        (SystemMonitor monitor, FakeTimeProvider clock, List<string> events) =
            Create(new ScriptedSource(95, 70, 89, 61, 89, 70, 85, 60, 89, 75, 89), o => o.Thresholds.Add(MetricThreshold.Cpu(high: 90, low: 60)));
        await using SystemMonitor owned = monitor;

        monitor.Start();
        Tick(clock, 11);

        events.ShouldBe(["exceeded cpu 95", "cleared cpu 60"]);
    }

    [Fact]
    public async Task Threshold_NeverReachesHigh_NeverAlerts()
    {
        (SystemMonitor monitor, FakeTimeProvider clock, List<string> events) =
            Create(new ScriptedSource(10, 89.9, 20, 89.9, 10, 89.9), o => o.Thresholds.Add(MetricThreshold.Cpu(high: 90, low: 30)));
        await using SystemMonitor owned = monitor;

        monitor.Start();
        Tick(clock, 6);

        events.ShouldBeEmpty();
    }

    [Fact]
    public async Task Threshold_DiskAndRss_UseTheirOwnValues()
    {
        var source = new ScriptedSource(5);
        source.Disks["/data"] = 97;
        source.Rss[42] = 900;
        (SystemMonitor monitor, FakeTimeProvider clock, List<string> events) = Create(source, o =>
        {
            o.DiskPaths.Add("/data");
            o.ProcessIds.Add(42);
            o.ProcessIds.Add(43);
            o.Thresholds.Add(MetricThreshold.Disk("/data", 95, 90));
            o.Thresholds.Add(MetricThreshold.ProcessRss(42, 1000, 500));
            o.Thresholds.Add(MetricThreshold.ProcessRss(43, 1, 0));
        });
        await using SystemMonitor owned = monitor;

        monitor.Start();
        Tick(clock, 1);
        source.Rss[42] = 1000;
        source.Disks["/data"] = 80;
        Tick(clock, 1);

        // Within one sample, events follow the order of the thresholds.
        events.ShouldBe(["exceeded disk:/data 97", "cleared disk:/data 80", "exceeded rss:42 1000"]);
        MetricSample last = monitor.Latest!;
        last.Disks.ShouldBe([new DiskUsageSample("/data", 80)]);
        last.Processes.ShouldBe([new ProcessRssSample(42, 1000), new ProcessRssSample(43, null)]);
    }

    [Fact]
    public async Task StreamAsync_ReceivesSamplesUntilDisposed()
    {
        (SystemMonitor monitor, FakeTimeProvider clock, _) = Create(new ScriptedSource(1, 2, 3));
        monitor.Start();
        var received = new List<double>();
        Task reader = Task.Run(async () =>
        {
            await foreach (MetricSample s in monitor.StreamAsync(TestContext.Current.CancellationToken))
            {
                received.Add(s.CpuPercent);
            }
        }, TestContext.Current.CancellationToken);
        await WaitUntilAsync(() => SubscriberCount(monitor) == 1);

        Tick(clock, 3);
        await WaitUntilAsync(() => received.Count == 3);
        await monitor.DisposeAsync();
        await reader.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        received.ShouldBe([1.0, 2.0, 3.0]);
        monitor.IsRunning.ShouldBeFalse();
    }

    [Fact]
    public async Task StreamAsync_Cancelled_Ends()
    {
        (SystemMonitor monitor, _, _) = Create(new ScriptedSource(1));
        await using SystemMonitor owned = monitor;
        using var cts = new CancellationTokenSource();
        IAsyncEnumerator<MetricSample> e = monitor.StreamAsync(cts.Token).GetAsyncEnumerator(TestContext.Current.CancellationToken);

        ValueTask<bool> next = e.MoveNextAsync();
        await cts.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(next.AsTask());
        await e.DisposeAsync();
        SubscriberCount(monitor).ShouldBe(0);
    }

    [Fact]
    public async Task Meter_Gauges_ReportLatestSampleWithSemanticNames()
    {
        var source = new ScriptedSource(25);
        source.Disks["/"] = 50;
        source.Rss[7] = 1234;
        (SystemMonitor monitor, FakeTimeProvider clock, _) = Create(source, o =>
        {
            o.DiskPaths.Add("/");
            o.ProcessIds.Add(7);
        });
        await using SystemMonitor owned = monitor;
        var values = new Dictionary<string, (double Value, string Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, monitor.Meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => values[i.Name] = (v, Tags(tags)));
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => values[i.Name] = (v, Tags(tags)));
        listener.Start();

        listener.RecordObservableInstruments();
        values.ShouldBeEmpty();
        monitor.Start();
        Tick(clock, 1);
        listener.RecordObservableInstruments();

        monitor.Meter.Name.ShouldBe("XSystem.Monitoring");
        values["system.cpu.utilization"].Value.ShouldBe(0.25);
        values["system.memory.utilization"].Value.ShouldBe(0.40);
        values["system.memory.usage"].ShouldBe((4_000_000_000d, "system.memory.state=used"));
        values["system.filesystem.utilization"].ShouldBe((0.5, "system.filesystem.mountpoint=/"));
        values["process.memory.usage"].ShouldBe((1234d, "process.pid=7"));

        static string Tags(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var parts = new List<string>();
            foreach (KeyValuePair<string, object?> t in tags)
            {
                parts.Add($"{t.Key}={t.Value}");
            }

            return string.Join(",", parts);
        }
    }

    [Fact]
    public async Task Tick_SourceThrows_RecordsLastErrorAndKeepsSampling()
    {
        var source = new ScriptedSource(10) { CpuFailure = new IOException("/proc/stat vanished") };
        (SystemMonitor monitor, FakeTimeProvider clock, _) = Create(source);
        await using SystemMonitor owned = monitor;

        monitor.Start();
        Tick(clock, 1);
        source.CpuFailure = null;
        Tick(clock, 1);

        monitor.LastError.ShouldBeOfType<IOException>().Message.ShouldContain("vanished");
        monitor.History.Select(s => s.CpuPercent).ShouldBe([10.0]);
    }

    [Fact]
    public async Task Options_CpuAndMemoryOff_NaNAndNotRead()
    {
        var source = new ScriptedSource(50);
        (SystemMonitor monitor, _, _) = Create(source, o =>
        {
            o.CollectCpu = false;
            o.CollectMemory = false;
        });
        await using SystemMonitor owned = monitor;

        MetricSample sample = monitor.SampleNow();

        double.IsNaN(sample.CpuPercent).ShouldBeTrue();
        double.IsNaN(sample.MemoryPercent).ShouldBeTrue();
        source.CpuCalls.ShouldBe(0);
        monitor.History.Count.ShouldBe(1);
    }

    [Fact]
    public void Constructor_BadOptions_Throw()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => new SystemMonitor(new SystemMonitorOptions { Interval = TimeSpan.Zero }));
        Should.Throw<ArgumentOutOfRangeException>(() => new SystemMonitor(new SystemMonitorOptions { HistoryCapacity = 0 }));
        Should.Throw<ArgumentOutOfRangeException>(() => MetricThreshold.Cpu(high: 50, low: 60));
        Should.Throw<ArgumentOutOfRangeException>(() => MetricThreshold.Memory(90, 80, consecutiveSamples: 0));
    }

    [Fact]
    public async Task Dispose_Twice_ThenStartThrows()
    {
        (SystemMonitor monitor, FakeTimeProvider clock, _) = Create(new ScriptedSource(1));
        monitor.Start();
        await monitor.DisposeAsync();
        await monitor.DisposeAsync();

        Tick(clock, 2);

        monitor.History.ShouldBeEmpty();
        Should.Throw<ObjectDisposedException>(monitor.Start);
        Should.Throw<ObjectDisposedException>(() => monitor.SampleNow());
    }

    [Fact]
    public async Task RealSource_SampleNow_PlausibleValues()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "reads /proc");
        var options = new SystemMonitorOptions();
        options.DiskPaths.Add("/");
        options.ProcessIds.Add(Environment.ProcessId);
        await using var monitor = new SystemMonitor(options);

        MetricSample first = monitor.SampleNow();
        MetricSample second = monitor.SampleNow();

        first.CpuPercent.ShouldBeInRange(0, 100);
        second.CpuPercent.ShouldBeInRange(0, 100);
        first.MemoryPercent.ShouldBeInRange(0.1, 100);
        first.Disks[0].Percent.ShouldBeInRange(0, 100);
        first.Processes[0].RssBytes.ShouldNotBeNull().ShouldBeGreaterThan(1_000_000);
    }

    private static int SubscriberCount(SystemMonitor monitor) => monitor.SubscriberCount;

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, "condition not met in 10 s");
            await Task.Yield();
            await Task.Delay(1, TestContext.Current.CancellationToken);
        }
    }
}
