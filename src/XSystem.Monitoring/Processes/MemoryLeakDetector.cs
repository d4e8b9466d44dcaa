namespace XSystem.Monitoring;

/// <summary>
/// Watches this process's memory for steady growth: fits a least-squares line to the managed heap, each GC
/// generation and RSS over a sliding window, and suspects a leak when a slope reaches the threshold with a good fit
/// (R²), so the GC's sawtooth and noise do not trigger it.
/// </summary>
/// <remarks>
/// Feed samples yourself with <see cref="AddSample"/> (for example from a test with a fake clock), or call
/// <see cref="Start"/> to sample every <see cref="MemoryLeakDetectorOptions.SamplingInterval"/> on the options'
/// <see cref="TimeProvider"/> timer. <see cref="LeakDetected"/> is raised when the verdict turns to "leak suspected".
/// Thread safety: all members are safe to call from several threads at once; event handlers run on the thread that
/// added the sample (a timer thread for automatic sampling).
/// </remarks>
public sealed class MemoryLeakDetector : IDisposable
{
    private static readonly LeakMetric[] Metrics = Enum.GetValues<LeakMetric>();

    private readonly Lock _gate = new();
    private readonly List<LeakSample> _samples = [];
    private readonly TimeSpan _window;
    private readonly TimeSpan _minimumDuration;
    private readonly int _minimumSamples;
    private readonly double _slopeThreshold;
    private readonly double _minimumRSquared;
    private readonly TimeSpan _interval;
    private readonly bool _includeResidentSet;
    private readonly TimeProvider _timeProvider;
    private ITimer? _timer;
    private LeakReport? _last;
    private bool _disposed;

    /// <summary>Creates a detector.</summary>
    /// <param name="options">Settings; null for the defaults. Values are copied and validated here.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public MemoryLeakDetector(MemoryLeakDetectorOptions? options = null)
    {
        options ??= new MemoryLeakDetectorOptions();
        options.Validate();
        _window = options.Window;
        _minimumDuration = options.MinimumDuration;
        _minimumSamples = options.MinimumSamples;
        _slopeThreshold = options.SlopeThresholdBytesPerSecond;
        _minimumRSquared = options.MinimumRSquared;
        _interval = options.SamplingInterval;
        _includeResidentSet = options.IncludeResidentSet;
        _timeProvider = options.TimeProvider;
    }

    /// <summary>Raised when a new sample turns the verdict from "no leak" to "leak suspected".</summary>
    public event EventHandler<LeakReport>? LeakDetected;

    /// <summary>The report after the most recent sample, or null before the first.</summary>
    public LeakReport? LastReport
    {
        get
        {
            lock (_gate)
            {
                return _last;
            }
        }
    }

    /// <summary>Number of samples in the window.</summary>
    public int SampleCount
    {
        get
        {
            lock (_gate)
            {
                return _samples.Count;
            }
        }
    }

    /// <summary>Adds a sample, drops samples older than the window, and analyzes the window.</summary>
    /// <param name="sample">The sample; its time must not be earlier than the previous sample's.</param>
    /// <returns>The report for the window including this sample.</returns>
    /// <exception cref="ArgumentException">The sample is older than the previous one.</exception>
    public LeakReport AddSample(LeakSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        LeakReport report;
        bool raise;
        lock (_gate)
        {
            if (_samples.Count > 0 && sample.Timestamp < _samples[^1].Timestamp)
            {
                throw new ArgumentException(
                    $"Samples must arrive in time order: {sample.Timestamp:O} is before the previous sample at {_samples[^1].Timestamp:O}.",
                    nameof(sample));
            }

            _samples.Add(sample);
            DateTimeOffset oldest = sample.Timestamp - _window;
            int drop = 0;
            while (drop < _samples.Count && _samples[drop].Timestamp < oldest)
            {
                drop++;
            }

            _samples.RemoveRange(0, drop);
            bool wasLeak = _last?.IsLeakSuspected == true;
            report = AnalyzeLocked();
            _last = report;
            raise = report.IsLeakSuspected && !wasLeak;
        }

        if (raise)
        {
            LeakDetected?.Invoke(this, report);
        }

        return report;
    }

    /// <summary>Analyzes the samples in the window without adding one.</summary>
    /// <returns>The report.</returns>
    public LeakReport Analyze()
    {
        lock (_gate)
        {
            return AnalyzeLocked();
        }
    }

    /// <summary>Takes a sample of this process now (see <see cref="LeakSample.Capture"/>) and adds it.</summary>
    /// <returns>The report for the window including the new sample.</returns>
    public LeakReport SampleNow() => AddSample(LeakSample.Capture(_timeProvider, _includeResidentSet));

    /// <summary>Starts sampling every <see cref="MemoryLeakDetectorOptions.SamplingInterval"/>; does nothing when already started.</summary>
    /// <exception cref="ObjectDisposedException">The detector was disposed.</exception>
    public void Start()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _timer ??= _timeProvider.CreateTimer(static state => ((MemoryLeakDetector)state!).OnTimer(), this, _interval, _interval);
        }
    }

    /// <summary>Stops automatic sampling; the samples stay.</summary>
    public void Stop()
    {
        ITimer? timer;
        lock (_gate)
        {
            timer = _timer;
            _timer = null;
        }

        timer?.Dispose();
    }

    /// <summary>Stops sampling and releases the timer.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
        }

        Stop();
    }

    /// <summary>Least-squares slope (per second) and R² of values against seconds since the first sample.</summary>
    internal static (double Slope, double RSquared) Fit(ReadOnlySpan<double> seconds, ReadOnlySpan<double> values)
    {
        int n = seconds.Length;
        if (n < 2)
        {
            return (0, 0);
        }

        double meanX = 0, meanY = 0;
        for (int i = 0; i < n; i++)
        {
            meanX += seconds[i];
            meanY += values[i];
        }

        meanX /= n;
        meanY /= n;
        double sxx = 0, sxy = 0, syy = 0;
        for (int i = 0; i < n; i++)
        {
            double dx = seconds[i] - meanX;
            double dy = values[i] - meanY;
            sxx += dx * dx;
            sxy += dx * dy;
            syy += dy * dy;
        }

        if (sxx <= 0)
        {
            return (0, 0);
        }

        double slope = sxy / sxx;
        double r2 = syy <= 0 ? 0 : sxy * sxy / (sxx * syy);
        return (slope, r2);
    }

    private void OnTimer()
    {
        try
        {
            _ = SampleNow();
        }
        catch (ObjectDisposedException)
        {
            // Disposed while the timer fired.
        }
    }

    private LeakReport AnalyzeLocked()
    {
        int n = _samples.Count;
        TimeSpan duration = n == 0 ? TimeSpan.Zero : _samples[^1].Timestamp - _samples[0].Timestamp;
        bool enough = n >= _minimumSamples && duration >= _minimumDuration;
        var trends = new List<LeakTrend>(Metrics.Length);
        if (n >= 2)
        {
            double[] x = new double[n];
            double[] y = new double[n];
            DateTimeOffset start = _samples[0].Timestamp;
            foreach (LeakMetric metric in Metrics)
            {
                int count = 0;
                foreach (LeakSample sample in _samples)
                {
                    if (sample.ValueOf(metric) is long value)
                    {
                        x[count] = (sample.Timestamp - start).TotalSeconds;
                        y[count] = value;
                        count++;
                    }
                }

                if (count < 2)
                {
                    continue;
                }

                (double slope, double r2) = Fit(x.AsSpan(0, count), y.AsSpan(0, count));
                bool growing = enough && slope >= _slopeThreshold && slope > 0 && r2 >= _minimumRSquared;
                trends.Add(new LeakTrend(metric, slope, r2, growing));
            }
        }

        LeakTrend? primary = trends.Find(t => t.IsGrowing && t.Metric == LeakMetric.ManagedHeap)
            ?? trends.Find(t => t.IsGrowing && t.Metric == LeakMetric.ResidentSet);
        LeakTrend? generation = trends
            .Where(t => t.IsGrowing && t.Metric is not (LeakMetric.ManagedHeap or LeakMetric.ResidentSet))
            .OrderByDescending(t => t.SlopeBytesPerSecond)
            .FirstOrDefault();
        primary ??= generation;
        var report = new LeakReport
        {
            IsLeakSuspected = primary is not null,
            Metric = primary?.Metric,
            GrowthBytesPerSecond = primary?.SlopeBytesPerSecond ?? 0,
            RSquared = primary?.RSquared ?? 0,
            GrowingGeneration = generation?.Metric,
            Trends = trends,
            SampleCount = n,
            Duration = duration,
            Collections = n == 0 ? default : (
                _samples[^1].Generation0Collections - _samples[0].Generation0Collections,
                _samples[^1].Generation1Collections - _samples[0].Generation1Collections,
                _samples[^1].Generation2Collections - _samples[0].Generation2Collections),
            Summary = string.Empty,
        };
        return report with { Summary = LeakReport.Describe(report, _minimumSamples, _minimumDuration) };
    }
}
