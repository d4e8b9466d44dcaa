using System.Globalization;

namespace XSystem.Monitoring;

/// <summary>Which value a <see cref="MetricThreshold"/> watches.</summary>
public enum MetricKind
{
    /// <summary>System-wide CPU utilization, percent 0-100.</summary>
    CpuPercent,

    /// <summary>System memory in use, percent 0-100.</summary>
    MemoryPercent,

    /// <summary>Disk usage of one path's file system, percent 0-100.</summary>
    DiskUsagePercent,

    /// <summary>Resident set size of one process, bytes.</summary>
    ProcessRss,
}

/// <summary>
/// An alert rule with hysteresis: the alert is raised when the value is at or above <see cref="High"/> for
/// <see cref="ConsecutiveSamples"/> samples in a row, and cleared only when it falls to or below <see cref="Low"/>, so a
/// value wandering between the two never flaps. Thread safety: immutable.
/// </summary>
public sealed record MetricThreshold
{
    private MetricThreshold(MetricKind kind, string? path, int? processId, double high, double low, int consecutiveSamples)
    {
        if (double.IsNaN(high) || double.IsNaN(low))
        {
            throw new ArgumentException("High and Low must be numbers.", nameof(high));
        }

        ArgumentOutOfRangeException.ThrowIfGreaterThan(low, high);
        ArgumentOutOfRangeException.ThrowIfLessThan(consecutiveSamples, 1);
        Kind = kind;
        Path = path;
        ProcessId = processId;
        High = high;
        Low = low;
        ConsecutiveSamples = consecutiveSamples;
    }

    /// <summary>The metric watched.</summary>
    public MetricKind Kind { get; }

    /// <summary>The path for <see cref="MetricKind.DiskUsagePercent"/>, else <see langword="null"/>.</summary>
    public string? Path { get; }

    /// <summary>The process for <see cref="MetricKind.ProcessRss"/>, else <see langword="null"/>.</summary>
    public int? ProcessId { get; }

    /// <summary>Alert at or above this value (percent, or bytes for RSS).</summary>
    public double High { get; }

    /// <summary>Clear at or below this value; not above <see cref="High"/>.</summary>
    public double Low { get; }

    /// <summary>Samples in a row at or above <see cref="High"/> before the alert is raised; at least 1.</summary>
    public int ConsecutiveSamples { get; }

    /// <summary>A short name for messages: <c>cpu</c>, <c>memory</c>, <c>disk:/var</c>, <c>rss:1234</c>.</summary>
    public string Name => Kind switch
    {
        MetricKind.CpuPercent => "cpu",
        MetricKind.MemoryPercent => "memory",
        MetricKind.DiskUsagePercent => "disk:" + Path,
        _ => "rss:" + ProcessId?.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>CPU utilization rule.</summary>
    /// <param name="high">Alert at or above this percent.</param>
    /// <param name="low">Clear at or below this percent.</param>
    /// <param name="consecutiveSamples">Samples in a row needed to alert; default 1.</param>
    /// <returns>The rule.</returns>
    public static MetricThreshold Cpu(double high, double low, int consecutiveSamples = 1) =>
        new(MetricKind.CpuPercent, null, null, high, low, consecutiveSamples);

    /// <summary>Memory utilization rule.</summary>
    /// <param name="high">Alert at or above this percent.</param>
    /// <param name="low">Clear at or below this percent.</param>
    /// <param name="consecutiveSamples">Samples in a row needed to alert; default 1.</param>
    /// <returns>The rule.</returns>
    public static MetricThreshold Memory(double high, double low, int consecutiveSamples = 1) =>
        new(MetricKind.MemoryPercent, null, null, high, low, consecutiveSamples);

    /// <summary>Disk usage rule for a path that is also in <see cref="SystemMonitorOptions.DiskPaths"/>.</summary>
    /// <param name="path">The path.</param>
    /// <param name="high">Alert at or above this percent.</param>
    /// <param name="low">Clear at or below this percent.</param>
    /// <param name="consecutiveSamples">Samples in a row needed to alert; default 1.</param>
    /// <returns>The rule.</returns>
    public static MetricThreshold Disk(string path, double high, double low, int consecutiveSamples = 1)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new(MetricKind.DiskUsagePercent, path, null, high, low, consecutiveSamples);
    }

    /// <summary>Process RSS rule for a pid that is also in <see cref="SystemMonitorOptions.ProcessIds"/>.</summary>
    /// <param name="processId">The process.</param>
    /// <param name="highBytes">Alert at or above this many bytes.</param>
    /// <param name="lowBytes">Clear at or below this many bytes.</param>
    /// <param name="consecutiveSamples">Samples in a row needed to alert; default 1.</param>
    /// <returns>The rule.</returns>
    public static MetricThreshold ProcessRss(int processId, long highBytes, long lowBytes, int consecutiveSamples = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(processId);
        return new(MetricKind.ProcessRss, null, processId, highBytes, lowBytes, consecutiveSamples);
    }
}

/// <summary>Settings of a <see cref="SystemMonitor"/>, validated when the monitor is created. Thread safety: not thread-safe; configure, then hand to the monitor, which copies it.</summary>
public sealed class SystemMonitorOptions
{
    /// <summary>Time between samples. Default 1 second; must be positive.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many samples <see cref="SystemMonitor.History"/> keeps (oldest dropped first). Default 3600 (one hour at 1 Hz); at least 1.</summary>
    public int HistoryCapacity { get; set; } = 3600;

    /// <summary>Whether to sample CPU utilization. Default <see langword="true"/>.</summary>
    public bool CollectCpu { get; set; } = true;

    /// <summary>Whether to sample memory utilization. Default <see langword="true"/>.</summary>
    public bool CollectMemory { get; set; } = true;

    /// <summary>Paths whose file-system usage is sampled. Default empty.</summary>
    public IList<string> DiskPaths { get; } = [];

    /// <summary>Processes whose resident set size is sampled (Linux: /proc/PID/statm). Default empty.</summary>
    public IList<int> ProcessIds { get; } = [];

    /// <summary>Alert rules. Default empty.</summary>
    public IList<MetricThreshold> Thresholds { get; } = [];

    /// <summary>Capacity of each <see cref="SystemMonitor.StreamAsync"/> reader's buffer; a slow reader loses its oldest unread samples. Default 64; at least 1.</summary>
    public int StreamBufferCapacity { get; set; } = 64;

    /// <summary>Clock for the sampling timer and the sample timestamps. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
