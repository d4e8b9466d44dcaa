using Microsoft.Extensions.Time.Testing;

namespace XSystem.Monitoring.Tests;

/// <summary>The leak detector on injected samples with a fake clock.</summary>
public class MemoryLeakDetectorTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static MemoryLeakDetectorOptions Options(FakeTimeProvider? clock = null) => new()
    {
        Window = TimeSpan.FromMinutes(10),
        MinimumDuration = TimeSpan.FromMinutes(1),
        MinimumSamples = 10,
        SlopeThresholdBytesPerSecond = 1024,
        MinimumRSquared = 0.8,
        SamplingInterval = TimeSpan.FromSeconds(5),
        TimeProvider = clock ?? new FakeTimeProvider(Start),
    };

    private static LeakSample Sample(int second, long heap, long gen2 = 50_000_000, long gen0 = 1_000_000, long? rss = 200_000_000, int gen0Collections = 0) => new()
    {
        Timestamp = Start.AddSeconds(second),
        ManagedHeapBytes = heap,
        Generation0Bytes = gen0,
        Generation1Bytes = 500_000,
        Generation2Bytes = gen2,
        LargeObjectHeapBytes = 2_000_000,
        PinnedObjectHeapBytes = 10_000,
        Generation0Collections = gen0Collections,
        ResidentSetBytes = rss,
    };

    [Fact]
    public void AddSample_SteadyGen2Growth_FlaggedWithSlopeAndGeneration()
    {
        using var detector = new MemoryLeakDetector(Options());
        LeakReport report = null!;

        // 50 KB/s growth in generation 2 and therefore in the heap, every 5 s for 2 minutes.
        for (int t = 0; t <= 120; t += 5)
        {
            report = detector.AddSample(Sample(t, heap: 100_000_000 + (t * 50_000L), gen2: 50_000_000 + (t * 50_000L), gen0Collections: t));
        }

        report.IsLeakSuspected.ShouldBeTrue();
        report.Metric.ShouldBe(LeakMetric.ManagedHeap);
        report.GrowthBytesPerSecond.ShouldBe(50_000, tolerance: 1);
        report.RSquared.ShouldBe(1, tolerance: 1e-9);
        report.GrowingGeneration.ShouldBe(LeakMetric.Generation2);
        report.SampleCount.ShouldBe(25);
        report.Duration.ShouldBe(TimeSpan.FromMinutes(2));
        report.Collections.Generation0.ShouldBe(120);
        report.Trends.Single(t => t.Metric == LeakMetric.ResidentSet).IsGrowing.ShouldBeFalse();
        report.Summary.ShouldContain("Generation2");
    }

    [Fact]
    public void AddSample_NoisyGrowth_SlopeWithinTenPercent()
    {
        using var detector = new MemoryLeakDetector(Options());
        var random = new Random(7);
        LeakReport report = null!;

        for (int t = 0; t <= 300; t += 5)
        {
            long noise = random.Next(-200_000, 200_000);
            report = detector.AddSample(Sample(t, heap: 100_000_000 + (t * 20_000L) + noise));
        }

        report.IsLeakSuspected.ShouldBeTrue();
        report.GrowthBytesPerSecond.ShouldBe(20_000, tolerance: 2_000);
        report.RSquared.ShouldBeGreaterThan(0.9);
    }

    [Fact]
    public void AddSample_GcSawtooth_NotFlagged()
    {
        using var detector = new MemoryLeakDetector(Options());
        LeakReport report = null!;

        // The heap climbs 1 MB per sample and drops back every 6 samples: allocation churn, no leak.
        for (int i = 0; i <= 60; i++)
        {
            report = detector.AddSample(Sample(i * 5, heap: 100_000_000 + ((i % 6) * 1_000_000L), gen0: (i % 6) * 1_000_000L));
        }

        report.IsLeakSuspected.ShouldBeFalse();
        report.Metric.ShouldBeNull();
        report.GrowingGeneration.ShouldBeNull();
        LeakTrend heap = report.Trends.Single(t => t.Metric == LeakMetric.ManagedHeap);
        heap.IsGrowing.ShouldBeFalse();
        heap.RSquared.ShouldBeLessThan(0.8);
    }

    [Fact]
    public void AddSample_RandomNoiseWithoutTrend_NotFlagged()
    {
        using var detector = new MemoryLeakDetector(Options());
        var random = new Random(11);
        LeakReport report = null!;

        for (int t = 0; t <= 300; t += 5)
        {
            report = detector.AddSample(Sample(t, heap: 100_000_000 + random.Next(-5_000_000, 5_000_000)));
        }

        report.IsLeakSuspected.ShouldBeFalse();
        report.Summary.ShouldStartWith("No steady growth");
    }

    [Fact]
    public void AddSample_SlowGrowthBelowThreshold_NotFlagged()
    {
        using var detector = new MemoryLeakDetector(Options());
        LeakReport report = null!;

        for (int t = 0; t <= 120; t += 5)
        {
            report = detector.AddSample(Sample(t, heap: 100_000_000 + (t * 500L)));
        }

        report.Trends.Single(t => t.Metric == LeakMetric.ManagedHeap).SlopeBytesPerSecond.ShouldBe(500, tolerance: 1);
        report.IsLeakSuspected.ShouldBeFalse();
    }

    [Fact]
    public void AddSample_SteadyGrowthShorterThanMinimumDuration_NotFlagged()
    {
        using var detector = new MemoryLeakDetector(Options());
        LeakReport report = null!;

        // 20 samples, one per second: enough samples, but only 19 s of the required minute.
        for (int t = 0; t < 20; t++)
        {
            report = detector.AddSample(Sample(t, heap: 100_000_000 + (t * 1_000_000L)));
        }

        report.IsLeakSuspected.ShouldBeFalse();
        report.Summary.ShouldStartWith("Not enough data yet");
        report = detector.AddSample(Sample(60, heap: 160_000_000));
        report.IsLeakSuspected.ShouldBeTrue();
    }

    [Fact]
    public void AddSample_TooFewSamples_NotFlagged()
    {
        using var detector = new MemoryLeakDetector(Options());
        LeakReport report = null!;

        for (int t = 0; t <= 180; t += 30)
        {
            report = detector.AddSample(Sample(t, heap: 100_000_000 + (t * 100_000L)));
        }

        report.SampleCount.ShouldBe(7);
        report.IsLeakSuspected.ShouldBeFalse();
    }

    [Fact]
    public void AddSample_NativeGrowthOnly_FlaggedOnResidentSet()
    {
        using var detector = new MemoryLeakDetector(Options());
        LeakReport report = null!;

        for (int t = 0; t <= 120; t += 5)
        {
            report = detector.AddSample(Sample(t, heap: 100_000_000, rss: 200_000_000 + (t * 30_000L)));
        }

        report.IsLeakSuspected.ShouldBeTrue();
        report.Metric.ShouldBe(LeakMetric.ResidentSet);
        report.GrowingGeneration.ShouldBeNull();
        report.GrowthBytesPerSecond.ShouldBe(30_000, tolerance: 1);
    }

    [Fact]
    public void AddSample_OldSamples_DroppedOutsideWindow()
    {
        var options = Options();
        options.Window = TimeSpan.FromMinutes(2);
        using var detector = new MemoryLeakDetector(options);

        // Growth for 5 minutes, then flat for 3: the window only sees the flat part.
        LeakReport report = null!;
        for (int t = 0; t <= 480; t += 5)
        {
            report = detector.AddSample(Sample(t, heap: 100_000_000 + (Math.Min(t, 300) * 50_000L)));
        }

        report.Duration.ShouldBe(TimeSpan.FromMinutes(2));
        report.SampleCount.ShouldBe(25);
        report.IsLeakSuspected.ShouldBeFalse();
    }

    [Fact]
    public void AddSample_OutOfOrder_ThrowsArgumentException()
    {
        using var detector = new MemoryLeakDetector(Options());
        detector.AddSample(Sample(10, heap: 1));

        Should.Throw<ArgumentException>(() => detector.AddSample(Sample(5, heap: 1))).Message.ShouldContain("time order");
    }

    [Fact]
    public void LeakDetected_RaisedOnceWhenVerdictTurns()
    {
        using var detector = new MemoryLeakDetector(Options());
        var raised = new List<LeakReport>();
        detector.LeakDetected += (_, report) => raised.Add(report);

        for (int t = 0; t <= 180; t += 5)
        {
            detector.AddSample(Sample(t, heap: 100_000_000 + (t * 50_000L)));
        }

        raised.Count.ShouldBe(1);
        raised[0].IsLeakSuspected.ShouldBeTrue();
        detector.LastReport.ShouldNotBeNull().IsLeakSuspected.ShouldBeTrue();
    }

    [Fact]
    public void Start_FakeClockAdvanced_SamplesOnEveryInterval()
    {
        var clock = new FakeTimeProvider(Start);
        using var detector = new MemoryLeakDetector(Options(clock));

        detector.Start();
        clock.Advance(TimeSpan.FromSeconds(5));
        clock.Advance(TimeSpan.FromSeconds(5));
        clock.Advance(TimeSpan.FromSeconds(5));
        int whileRunning = detector.SampleCount;
        detector.Stop();
        clock.Advance(TimeSpan.FromSeconds(30));

        whileRunning.ShouldBe(3);
        detector.SampleCount.ShouldBe(3);
        LeakReport report = detector.Analyze();
        report.Duration.ShouldBe(TimeSpan.FromSeconds(10));
        report.Trends.ShouldContain(t => t.Metric == LeakMetric.ResidentSet);
    }

    [Fact]
    public void Capture_ThisProcess_ReadsHeapCollectionsAndRss()
    {
        var clock = new FakeTimeProvider(Start);

        LeakSample sample = LeakSample.Capture(clock);

        sample.Timestamp.ShouldBe(Start);
        sample.ManagedHeapBytes.ShouldBeGreaterThan(0);
        sample.ResidentSetBytes.ShouldNotBeNull().ShouldBeGreaterThan(sample.ManagedHeapBytes / 2);
        sample.Generation0Collections.ShouldBeGreaterThanOrEqualTo(sample.Generation2Collections);
        LeakSample.Capture(clock, includeResidentSet: false).ResidentSetBytes.ShouldBeNull();
    }

    [Fact]
    public void Fit_KnownLine_ExactSlopeAndRSquared()
    {
        (double slope, double r2) = MemoryLeakDetector.Fit([0, 1, 2, 3], [10, 12, 14, 16]);
        (double flatSlope, double flatR2) = MemoryLeakDetector.Fit([0, 1, 2], [5, 5, 5]);

        slope.ShouldBe(2, tolerance: 1e-12);
        r2.ShouldBe(1, tolerance: 1e-12);
        flatSlope.ShouldBe(0);
        flatR2.ShouldBe(0);
    }

    [Theory]
    [InlineData(nameof(MemoryLeakDetectorOptions.MinimumSamples))]
    [InlineData(nameof(MemoryLeakDetectorOptions.MinimumRSquared))]
    [InlineData(nameof(MemoryLeakDetectorOptions.Window))]
    [InlineData(nameof(MemoryLeakDetectorOptions.SamplingInterval))]
    public void Constructor_BadOption_ThrowsArgumentOutOfRange(string option)
    {
        var options = Options();
        switch (option)
        {
            case nameof(MemoryLeakDetectorOptions.MinimumSamples):
                options.MinimumSamples = 2;
                break;
            case nameof(MemoryLeakDetectorOptions.MinimumRSquared):
                options.MinimumRSquared = 1.5;
                break;
            case nameof(MemoryLeakDetectorOptions.Window):
                options.Window = TimeSpan.Zero;
                break;
            default:
                options.SamplingInterval = TimeSpan.FromSeconds(-1);
                break;
        }

        Should.Throw<ArgumentOutOfRangeException>(() => new MemoryLeakDetector(options)).ParamName.ShouldBe(option);
    }
}
