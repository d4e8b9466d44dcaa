using XSystem.Monitoring.Platform.Linux;
using XSystem.Monitoring.Platform.MacOS;
using XSystem.Monitoring.Platform.Windows;

namespace XSystem.Monitoring;

public static partial class SystemInfo
{
    private static CpuTimeInfo? _lastCpuTimes;

    /// <summary>Number of CPUs (psutil <c>cpu_count(logical)</c>).</summary>
    /// <param name="logical"><see langword="true"/> (default) for logical CPUs online (hardware threads, as <c>nproc --all</c> on a machine without offline CPUs);
    /// <see langword="false"/> for physical cores (distinct core sibling sets, as <c>lscpu -p</c> counts them).</param>
    /// <returns>The count, at least 1. Ignores container quotas and affinity; see <see cref="EffectiveCpuCount"/> for those.</returns>
    public static int CpuCount(bool logical = true)
    {
        if (OperatingSystem.IsLinux())
        {
            return Math.Max(1, logical ? LinuxSystem.LogicalCpuCount() : LinuxSystem.PhysicalCpuCount());
        }

        if (OperatingSystem.IsWindows())
        {
            return Math.Max(1, logical ? WindowsSystem.LogicalCpuCount() : WindowsSystem.PhysicalCpuCount());
        }

        if (OperatingSystem.IsMacOS())
        {
            return Math.Max(1, logical ? MacSystem.LogicalCpuCount() : MacSystem.PhysicalCpuCount());
        }

        throw Unsupported(nameof(CpuCount), "Linux, Windows and macOS");
    }

    /// <summary>Cumulative CPU times of all CPUs together since boot (psutil <c>cpu_times()</c>).</summary>
    /// <returns>The times; modes the platform does not have are zero.</returns>
    public static CpuTimeInfo CpuTimes()
    {
        if (OperatingSystem.IsLinux())
        {
            return LinuxSystem.CpuTimes();
        }

        if (OperatingSystem.IsWindows())
        {
            return WindowsSystem.CpuTimes();
        }

        if (OperatingSystem.IsMacOS())
        {
            return MacSystem.CpuTimes();
        }

        throw Unsupported(nameof(CpuTimes), "Linux, Windows and macOS");
    }

    /// <summary>Cumulative CPU times of each CPU since boot (psutil <c>cpu_times(percpu=True)</c>). Linux only.</summary>
    /// <returns>One entry per CPU, in CPU number order.</returns>
    public static IReadOnlyList<CpuTimeInfo> CpuTimesPerCpu() =>
        OperatingSystem.IsLinux() ? LinuxSystem.CpuTimesPerCpu() : throw Unsupported(nameof(CpuTimesPerCpu));

    /// <summary>
    /// System-wide CPU utilization in percent (0-100) over <paramref name="interval"/>, blocking the calling thread that long
    /// (psutil <c>cpu_percent(interval)</c>, xSystem <c>get_cpu_usage(interval)</c>). A zero interval returns
    /// <see cref="CpuUsageSinceLastCall"/> without blocking. Prefer <see cref="CpuUsageAsync"/> in async code.
    /// </summary>
    /// <param name="interval">How long to measure; not negative.</param>
    /// <returns>The busy percentage of all CPUs together.</returns>
    public static double CpuUsage(TimeSpan interval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.Zero);
        if (interval == TimeSpan.Zero)
        {
            return CpuUsageSinceLastCall();
        }

        CpuTimeInfo before = CpuTimes();
        Thread.Sleep(interval);
        return CpuTimeInfo.BusyPercent(before, CpuTimes());
    }

    /// <summary>System-wide CPU utilization in percent (0-100) over <paramref name="interval"/>, waiting asynchronously.</summary>
    /// <param name="interval">How long to measure; not negative. Zero returns <see cref="CpuUsageSinceLastCall"/>.</param>
    /// <param name="timeProvider">Clock for the wait; default <see cref="TimeProvider.System"/>.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The busy percentage of all CPUs together.</returns>
    public static async Task<double> CpuUsageAsync(TimeSpan interval, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.Zero);
        if (interval == TimeSpan.Zero)
        {
            return CpuUsageSinceLastCall();
        }

        CpuTimeInfo before = CpuTimes();
        await Task.Delay(interval, timeProvider ?? TimeProvider.System, cancellationToken).ConfigureAwait(false);
        return CpuTimeInfo.BusyPercent(before, CpuTimes());
    }

    /// <summary>Per-CPU utilization in percent over <paramref name="interval"/>, blocking (psutil <c>cpu_percent(interval, percpu=True)</c>). Linux only.</summary>
    /// <param name="interval">How long to measure; positive.</param>
    /// <returns>One percentage per CPU.</returns>
    public static IReadOnlyList<double> CpuUsagePerCpu(TimeSpan interval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        IReadOnlyList<CpuTimeInfo> before = CpuTimesPerCpu();
        Thread.Sleep(interval);
        IReadOnlyList<CpuTimeInfo> after = CpuTimesPerCpu();
        var result = new double[Math.Min(before.Count, after.Count)];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = CpuTimeInfo.BusyPercent(before[i], after[i]);
        }

        return result;
    }

    /// <summary>
    /// System-wide CPU utilization in percent (0-100) since the previous call, without blocking (psutil
    /// <c>cpu_percent(interval=None)</c>). Unlike psutil, the first call is meaningful: it returns the average
    /// utilization since boot (CPU times since boot are cumulative), not 0.0. Calls from any thread share one
    /// "previous call" state; a component that needs its own baseline keeps two <see cref="CpuTimes"/> samples and uses
    /// <see cref="CpuTimeInfo.BusyPercent"/>.
    /// </summary>
    /// <returns>The busy percentage since the previous call (or since boot on the first call).</returns>
    public static double CpuUsageSinceLastCall()
    {
        CpuTimeInfo now = CpuTimes();
        CpuTimeInfo? last = Interlocked.Exchange(ref _lastCpuTimes, now);
        if (last is null || now.Total <= last.Total)
        {
            // First call (or no tick passed): the average since boot.
            return now.Total > TimeSpan.Zero ? Math.Clamp(now.Busy.Ticks * 100.0 / now.Total.Ticks, 0, 100) : 0;
        }

        return CpuTimeInfo.BusyPercent(last, now);
    }

    /// <summary>CPU frequency (psutil <c>cpu_freq()</c>). Linux reads cpufreq in sysfs, else the <c>cpu MHz</c> lines of /proc/cpuinfo (min and max 0).</summary>
    /// <returns>The frequencies in MHz; 0 where unknown.</returns>
    public static CpuFrequencyInfo CpuFrequency() =>
        OperatingSystem.IsLinux() ? LinuxSystem.CpuFrequency() : throw Unsupported(nameof(CpuFrequency));

    /// <summary>Load average over 1, 5 and 15 minutes (psutil <c>getloadavg()</c>). Linux and macOS.</summary>
    /// <returns>The load averages.</returns>
    public static LoadAverageInfo LoadAverage()
    {
        if (OperatingSystem.IsLinux())
        {
            return LinuxSystem.LoadAverage();
        }

        if (OperatingSystem.IsMacOS())
        {
            return MacSystem.LoadAverage();
        }

        throw Unsupported(nameof(LoadAverage), "Linux and macOS");
    }

    /// <summary>
    /// CPUs this process can actually use: the logical CPU count capped by the container's CPU quota (cgroup v1
    /// <c>cpu.cfs_quota_us / cpu.cfs_period_us</c> or v2 <c>cpu.max</c>, rounded up) and by the affinity mask the runtime
    /// sees. Outside Linux: <see cref="Environment.ProcessorCount"/>. Reads the files on every call.
    /// </summary>
    public static int EffectiveCpuCount
    {
        get
        {
            if (!OperatingSystem.IsLinux())
            {
                return Environment.ProcessorCount;
            }

            int count = Math.Min(LinuxSystem.LogicalCpuCount(), Environment.ProcessorCount);
            if (LinuxContainer.Read().CpuLimit is double limit && limit > 0)
            {
                count = Math.Min(count, (int)Math.Ceiling(limit));
            }

            return Math.Max(1, count);
        }
    }
}
