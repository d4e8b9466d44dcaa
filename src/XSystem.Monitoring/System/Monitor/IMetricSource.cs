using XSystem.Monitoring.Internal;

namespace XSystem.Monitoring;

/// <summary>Where a <see cref="SystemMonitor"/> reads its values; tests inject scripted values.</summary>
internal interface IMetricSource
{
    /// <summary>CPU busy percent since the previous call of this source (the first call: since boot).</summary>
    double CpuPercent();

    /// <summary>Memory percent in use and bytes in use.</summary>
    (double Percent, long UsedBytes) Memory();

    /// <summary>Disk usage percent of the file system holding <paramref name="path"/>; NaN when unreadable.</summary>
    double DiskUsagePercent(string path);

    /// <summary>Resident set size of <paramref name="pid"/> in bytes; null when the process is gone or unreadable.</summary>
    long? ProcessRss(int pid);
}

/// <summary>The real source: <see cref="SystemInfo"/> plus /proc/PID/statm.</summary>
internal sealed class SystemMetricSource : IMetricSource
{
    private CpuTimeInfo? _lastCpu;

    public double CpuPercent()
    {
        CpuTimeInfo now = SystemInfo.CpuTimes();
        CpuTimeInfo? last = _lastCpu;
        _lastCpu = now;
        if (last is null || now.Total <= last.Total)
        {
            return now.Total > TimeSpan.Zero ? Math.Clamp(now.Busy.Ticks * 100.0 / now.Total.Ticks, 0, 100) : 0;
        }

        return CpuTimeInfo.BusyPercent(last, now);
    }

    public (double Percent, long UsedBytes) Memory()
    {
        MemoryInfo memory = SystemInfo.Memory();
        return (memory.Percent, memory.Used);
    }

    public double DiskUsagePercent(string path)
    {
        try
        {
            return SystemInfo.DiskUsage(path).Percent;
        }
        catch (IOException)
        {
            return double.NaN;
        }
    }

    public long? ProcessRss(int pid)
    {
        if (OperatingSystem.IsLinux())
        {
            return StatmReader.ResidentBytes(pid);
        }

        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return process.WorkingSet64;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }
}
