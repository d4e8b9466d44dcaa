using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using XSystem.Monitoring.Internal;

namespace XSystem.Monitoring;

/// <summary>
/// Samples CPU, memory, disk usage of chosen paths and RSS of chosen processes at a fixed interval, keeps a bounded
/// history, raises <see cref="ThresholdExceeded"/>/<see cref="ThresholdCleared"/> with hysteresis, streams samples with
/// <see cref="StreamAsync"/>, and publishes the latest values as System.Diagnostics.Metrics observable gauges on the
/// meter <c>XSystem.Monitoring</c> (OpenTelemetry names: <c>system.cpu.utilization</c>, <c>system.memory.utilization</c>,
/// <c>system.memory.usage</c>, <c>system.filesystem.utilization</c>, <c>process.memory.usage</c>) so dotnet-counters and
/// OpenTelemetry exporters can read them.
/// </summary>
/// <remarks>
/// <para>Call <see cref="Start"/> to begin; the first sample arrives one interval later (its CPU value is the
/// average since boot, later ones are since the previous sample). <see cref="SampleNow"/> takes a sample at once.</para>
/// <para>Events run on the timer thread, one sample at a time; a slow handler delays the next sample (ticks that
/// arrive while a sample is running are skipped, never queued).</para>
/// <para>Thread safety: all members are safe to call from any thread.</para>
/// </remarks>
public sealed class SystemMonitor : IAsyncDisposable
{
    /// <summary>The name of the <see cref="System.Diagnostics.Metrics.Meter"/> the monitor publishes on.</summary>
    public const string MeterName = "XSystem.Monitoring";

    private readonly IMetricSource _source;
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly bool _collectCpu;
    private readonly bool _collectMemory;
    private readonly string[] _diskPaths;
    private readonly int[] _pids;
    private readonly ThresholdState[] _thresholds;
    private readonly int _streamCapacity;
    private readonly RingBuffer<MetricSample> _history;
    private readonly Lock _lock = new();
    private readonly List<Channel<MetricSample>> _subscribers = [];
    private ITimer? _timer;
    private Exception? _lastError;
    private int _sampling;
    private bool _disposed;

    /// <summary>Creates a monitor reading the real system.</summary>
    /// <param name="options">Settings; default <see cref="SystemMonitorOptions"/> (1 s, CPU and memory, 3600 samples).</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public SystemMonitor(SystemMonitorOptions? options = null)
        : this(options ?? new SystemMonitorOptions(), new SystemMetricSource())
    {
    }

    internal SystemMonitor(SystemMonitorOptions options, IMetricSource source)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.Interval, TimeSpan.Zero, "options.Interval");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.HistoryCapacity, 1, "options.HistoryCapacity");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.StreamBufferCapacity, 1, "options.StreamBufferCapacity");
        ArgumentNullException.ThrowIfNull(options.TimeProvider, "options.TimeProvider");
        _source = source;
        _time = options.TimeProvider;
        _interval = options.Interval;
        _collectCpu = options.CollectCpu;
        _collectMemory = options.CollectMemory;
        _diskPaths = [.. options.DiskPaths];
        _pids = [.. options.ProcessIds];
        foreach (string path in _diskPaths)
        {
            ArgumentException.ThrowIfNullOrEmpty(path, "options.DiskPaths");
        }

        _thresholds = [.. options.Thresholds.Select(t => new ThresholdState(t ?? throw new ArgumentException("Thresholds must not contain null.", nameof(options))))];
        _streamCapacity = options.StreamBufferCapacity;
        _history = new RingBuffer<MetricSample>(options.HistoryCapacity);

        Meter = new Meter(MeterName, XSystemInfo.Version);
        if (_collectCpu)
        {
            Meter.CreateObservableGauge("system.cpu.utilization", () => Observe(s => s.CpuPercent / 100), "1", "System-wide CPU utilization as a ratio 0-1 since the previous sample.");
        }

        if (_collectMemory)
        {
            Meter.CreateObservableGauge("system.memory.utilization", () => Observe(s => s.MemoryPercent / 100), "1", "Memory in use as a ratio 0-1 of total memory.");
            Meter.CreateObservableGauge("system.memory.usage", ObserveMemoryUsage, "By", "Memory in use in bytes.");
        }

        if (_diskPaths.Length > 0)
        {
            Meter.CreateObservableGauge("system.filesystem.utilization", ObserveDisks, "1", "File-system usage as a ratio 0-1 per monitored path.");
        }

        if (_pids.Length > 0)
        {
            Meter.CreateObservableGauge("process.memory.usage", ObserveProcesses, "By", "Resident set size per monitored process in bytes.");
        }
    }

    /// <summary>Raised when a threshold's value has been at or above High for the required number of samples.</summary>
    public event EventHandler<ThresholdEventArgs>? ThresholdExceeded;

    /// <summary>Raised when an alerting threshold's value falls to or below Low.</summary>
    public event EventHandler<ThresholdEventArgs>? ThresholdCleared;

    /// <summary>How many <see cref="StreamAsync"/> readers are attached (for tests).</summary>
    internal int SubscriberCount
    {
        get
        {
            lock (_lock)
            {
                return _subscribers.Count;
            }
        }
    }

    /// <summary>The meter the gauges live on (tests listen to this instance).</summary>
    internal Meter Meter { get; }

    /// <summary>The samples kept, oldest first (a copy; at most <see cref="SystemMonitorOptions.HistoryCapacity"/>).</summary>
    public IReadOnlyList<MetricSample> History
    {
        get
        {
            lock (_lock)
            {
                return _history.ToArray();
            }
        }
    }

    /// <summary>The newest sample, or <see langword="null"/> before the first.</summary>
    public MetricSample? Latest
    {
        get
        {
            lock (_lock)
            {
                return _history.Last;
            }
        }
    }

    /// <summary>
    /// The last exception a timer tick ran into (a metric that could not be read, or an event handler that threw), or
    /// <see langword="null"/>. A tick whose metrics cannot be read records no sample; sampling continues at the next interval either way.
    /// </summary>
    public Exception? LastError => Volatile.Read(ref _lastError);

    /// <summary>Whether <see cref="Start"/> has been called and the monitor is not disposed.</summary>
    public bool IsRunning
    {
        get
        {
            lock (_lock)
            {
                return _timer is not null && !_disposed;
            }
        }
    }

    /// <summary>Starts sampling every interval. Calling it again while running does nothing.</summary>
    /// <exception cref="ObjectDisposedException">The monitor was disposed.</exception>
    public void Start()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _timer ??= _time.CreateTimer(static state => ((SystemMonitor)state!).OnTick(), this, _interval, _interval);
        }
    }

    /// <summary>Takes one sample now (also when not started): records it, checks thresholds and feeds streams.</summary>
    /// <returns>The sample.</returns>
    /// <exception cref="ObjectDisposedException">The monitor was disposed.</exception>
    public MetricSample SampleNow()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed), this);
        return TakeSample();
    }

    /// <summary>
    /// Streams every sample taken from now on until <paramref name="cancellationToken"/> is cancelled or the monitor is
    /// disposed. Each reader has its own buffer of <see cref="SystemMonitorOptions.StreamBufferCapacity"/> samples; a
    /// reader that falls behind loses its oldest unread samples, never blocks the monitor.
    /// </summary>
    /// <param name="cancellationToken">Ends the stream.</param>
    /// <returns>The samples.</returns>
    public async IAsyncEnumerable<MetricSample> StreamAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var channel = Channel.CreateBounded<MetricSample>(new BoundedChannelOptions(_streamCapacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
            SingleWriter = true,
        });
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _subscribers.Add(channel);
        }

        try
        {
            while (await channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (channel.Reader.TryRead(out MetricSample? sample))
                {
                    yield return sample;
                }
            }
        }
        finally
        {
            lock (_lock)
            {
                _subscribers.Remove(channel);
            }
        }
    }

    /// <summary>Stops the timer, ends every stream and disposes the meter. Safe to call more than once.</summary>
    /// <returns>A task that completes when the timer is stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        ITimer? timer;
        Channel<MetricSample>[] subscribers;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            timer = _timer;
            _timer = null;
            subscribers = [.. _subscribers];
        }

        if (timer is not null)
        {
            await timer.DisposeAsync().ConfigureAwait(false);
        }

        foreach (Channel<MetricSample> channel in subscribers)
        {
            channel.Writer.TryComplete();
        }

        Meter.Dispose();
    }

    private void OnTick()
    {
        if (Volatile.Read(ref _disposed) || Interlocked.Exchange(ref _sampling, 1) == 1)
        {
            return;
        }

        try
        {
            TakeSample();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A timer callback must not throw (it would end the process). The failure is kept for the caller to see.
            Volatile.Write(ref _lastError, ex);
        }
        finally
        {
            Volatile.Write(ref _sampling, 0);
        }
    }

    private MetricSample TakeSample()
    {
        double cpu = _collectCpu ? _source.CpuPercent() : double.NaN;
        (double memoryPercent, long memoryUsed) = _collectMemory ? _source.Memory() : (double.NaN, 0);
        var disks = new DiskUsageSample[_diskPaths.Length];
        for (int i = 0; i < disks.Length; i++)
        {
            disks[i] = new DiskUsageSample(_diskPaths[i], _source.DiskUsagePercent(_diskPaths[i]));
        }

        var processes = new ProcessRssSample[_pids.Length];
        for (int i = 0; i < processes.Length; i++)
        {
            processes[i] = new ProcessRssSample(_pids[i], _source.ProcessRss(_pids[i]));
        }

        var sample = new MetricSample(_time.GetUtcNow(), cpu, memoryPercent, memoryUsed, disks, processes);
        List<(ThresholdState State, bool Exceeded, double Value)>? changes = null;
        lock (_lock)
        {
            _history.Add(sample);
            foreach (ThresholdState state in _thresholds)
            {
                double value = sample.ValueOf(state.Threshold);
                bool? change = state.Observe(value);
                if (change is bool exceeded)
                {
                    (changes ??= []).Add((state, exceeded, value));
                }
            }

            foreach (Channel<MetricSample> channel in _subscribers)
            {
                channel.Writer.TryWrite(sample);
            }
        }

        if (changes is not null)
        {
            foreach ((ThresholdState state, bool exceeded, double value) in changes)
            {
                (exceeded ? ThresholdExceeded : ThresholdCleared)?.Invoke(this, new ThresholdEventArgs(state.Threshold, value, sample));
            }
        }

        return sample;
    }

    private IEnumerable<Measurement<double>> Observe(Func<MetricSample, double> select)
    {
        MetricSample? latest = Latest;
        if (latest is null)
        {
            return [];
        }

        double value = select(latest);
        return double.IsNaN(value) ? [] : [new Measurement<double>(value)];
    }

    private IEnumerable<Measurement<long>> ObserveMemoryUsage()
    {
        MetricSample? latest = Latest;
        return latest is null ? [] : [new Measurement<long>(latest.MemoryUsedBytes, new KeyValuePair<string, object?>("system.memory.state", "used"))];
    }

    private IEnumerable<Measurement<double>> ObserveDisks()
    {
        MetricSample? latest = Latest;
        if (latest is null)
        {
            return [];
        }

        var result = new List<Measurement<double>>(latest.Disks.Count);
        foreach (DiskUsageSample d in latest.Disks)
        {
            if (!double.IsNaN(d.Percent))
            {
                result.Add(new Measurement<double>(d.Percent / 100, new KeyValuePair<string, object?>("system.filesystem.mountpoint", d.Path)));
            }
        }

        return result;
    }

    private IEnumerable<Measurement<long>> ObserveProcesses()
    {
        MetricSample? latest = Latest;
        if (latest is null)
        {
            return [];
        }

        var result = new List<Measurement<long>>(latest.Processes.Count);
        foreach (ProcessRssSample p in latest.Processes)
        {
            if (p.RssBytes is long rss)
            {
                result.Add(new Measurement<long>(rss, new KeyValuePair<string, object?>("process.pid", p.ProcessId)));
            }
        }

        return result;
    }

    /// <summary>Hysteresis state of one threshold; touched only under the monitor's lock.</summary>
    private sealed class ThresholdState(MetricThreshold threshold)
    {
        private int _consecutive;

        public MetricThreshold Threshold { get; } = threshold;

        public bool Alerting { get; private set; }

        /// <summary>Feeds a value; returns true when the alert starts, false when it clears, null when nothing changes. NaN changes nothing.</summary>
        public bool? Observe(double value)
        {
            if (double.IsNaN(value))
            {
                return null;
            }

            if (!Alerting)
            {
                if (value >= Threshold.High)
                {
                    if (++_consecutive >= Threshold.ConsecutiveSamples)
                    {
                        Alerting = true;
                        _consecutive = 0;
                        return true;
                    }
                }
                else
                {
                    _consecutive = 0;
                }

                return null;
            }

            if (value <= Threshold.Low)
            {
                Alerting = false;
                return false;
            }

            return null;
        }
    }
}
