namespace XSystem.Monitoring;

/// <summary>One sample of a path's disk usage. Thread safety: immutable.</summary>
/// <param name="Path">The path.</param>
/// <param name="Percent">Percent used, or NaN when it could not be read.</param>
public readonly record struct DiskUsageSample(string Path, double Percent);

/// <summary>One sample of a process's resident set size. Thread safety: immutable.</summary>
/// <param name="ProcessId">The process.</param>
/// <param name="RssBytes">Resident bytes, or <see langword="null"/> when the process is gone or unreadable.</param>
public readonly record struct ProcessRssSample(int ProcessId, long? RssBytes);

/// <summary>
/// Everything a <see cref="SystemMonitor"/> measured at one tick. Metrics not collected are NaN (percentages) or 0
/// (bytes). Thread safety: immutable.
/// </summary>
/// <param name="Timestamp">When the sample was taken (from the monitor's <see cref="TimeProvider"/>).</param>
/// <param name="CpuPercent">System-wide CPU utilization since the previous sample, 0-100, or NaN when not collected.</param>
/// <param name="MemoryPercent">Memory in use, 0-100, or NaN when not collected.</param>
/// <param name="MemoryUsedBytes">Memory in use in bytes, 0 when not collected.</param>
/// <param name="Disks">Disk usage per configured path.</param>
/// <param name="Processes">RSS per configured process.</param>
public sealed record MetricSample(
    DateTimeOffset Timestamp, double CpuPercent, double MemoryPercent, long MemoryUsedBytes,
    IReadOnlyList<DiskUsageSample> Disks, IReadOnlyList<ProcessRssSample> Processes)
{
    /// <summary>The value a threshold watches, or NaN when this sample does not have it.</summary>
    /// <param name="threshold">The rule.</param>
    /// <returns>The value (percent, or bytes for RSS).</returns>
    public double ValueOf(MetricThreshold threshold)
    {
        ArgumentNullException.ThrowIfNull(threshold);
        switch (threshold.Kind)
        {
            case MetricKind.CpuPercent:
                return CpuPercent;
            case MetricKind.MemoryPercent:
                return MemoryPercent;
            case MetricKind.DiskUsagePercent:
                foreach (DiskUsageSample d in Disks)
                {
                    if (d.Path == threshold.Path)
                    {
                        return d.Percent;
                    }
                }

                return double.NaN;
            default:
                foreach (ProcessRssSample p in Processes)
                {
                    if (p.ProcessId == threshold.ProcessId)
                    {
                        return p.RssBytes ?? double.NaN;
                    }
                }

                return double.NaN;
        }
    }
}

/// <summary>Raised when a threshold's alert starts or clears. Thread safety: immutable.</summary>
public sealed class ThresholdEventArgs : EventArgs
{
    /// <summary>Creates the arguments.</summary>
    /// <param name="threshold">The rule.</param>
    /// <param name="value">The value that triggered the change.</param>
    /// <param name="sample">The sample holding it.</param>
    public ThresholdEventArgs(MetricThreshold threshold, double value, MetricSample sample)
    {
        Threshold = threshold;
        Value = value;
        Sample = sample;
    }

    /// <summary>The rule.</summary>
    public MetricThreshold Threshold { get; }

    /// <summary>The value that triggered the change (percent, or bytes for RSS).</summary>
    public double Value { get; }

    /// <summary>The sample holding the value.</summary>
    public MetricSample Sample { get; }
}
