using XSystem.Monitoring.Platform.Linux;
using XSystem.Monitoring.Platform.MacOS;
using XSystem.Monitoring.Platform.Windows;

namespace XSystem.Monitoring;

public static partial class SystemInfo
{
    /// <summary>
    /// System memory in bytes (psutil <c>virtual_memory()</c>, xSystem <c>get_memory_usage()</c>). On Linux the numbers
    /// match <c>free -b</c> (procps-ng 4.0.1+): Used = Total - Available, Cached = Cached + SReclaimable. Kernels without
    /// MemAvailable get an estimate computed from /proc/zoneinfo like psutil does. Host-wide: inside a container see
    /// <see cref="EffectiveMemoryLimit"/>.
    /// </summary>
    /// <returns>The memory figures.</returns>
    public static MemoryInfo Memory()
    {
        if (OperatingSystem.IsLinux())
        {
            return LinuxSystem.Memory();
        }

        if (OperatingSystem.IsWindows())
        {
            return WindowsSystem.Memory();
        }

        if (OperatingSystem.IsMacOS())
        {
            return MacSystem.Memory();
        }

        throw Unsupported(nameof(Memory), "Linux, Windows and macOS");
    }

    /// <summary>Swap space (psutil <c>swap_memory()</c>). Linux only.</summary>
    /// <returns>The swap figures; all zero when the machine has no swap.</returns>
    public static SwapInfo Swap() => OperatingSystem.IsLinux() ? LinuxSystem.Swap() : throw Unsupported(nameof(Swap));

    /// <summary>
    /// Memory this process can actually use, in bytes: total physical memory capped by the container's cgroup memory limit
    /// (v2 <c>memory.max</c>, v1 <c>memory.limit_in_bytes</c>, the lowest along the cgroup's ancestors). Outside Linux:
    /// <see cref="MemoryInfo.Total"/>. Reads the files on every call.
    /// </summary>
    public static long EffectiveMemoryLimit
    {
        get
        {
            long total = Memory().Total;
            if (OperatingSystem.IsLinux() && LinuxContainer.Read().MemoryLimit is long limit)
            {
                return Math.Min(total, limit);
            }

            return total;
        }
    }
}
