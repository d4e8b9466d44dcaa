using System.Runtime.InteropServices;
using XSystem.Monitoring.Internal;
using XSystem.Monitoring.Platform.Linux;
using XSystem.Monitoring.Platform.MacOS;
using XSystem.Monitoring.Platform.Windows;

namespace XSystem.Monitoring;

public static partial class SystemInfo
{
    /// <summary>When the system booted (psutil <c>boot_time()</c>): Linux <c>btime</c> of /proc/stat, Windows now minus the tick count, macOS <c>kern.boottime</c>.</summary>
    /// <returns>The boot time in UTC.</returns>
    public static DateTimeOffset BootTime()
    {
        if (OperatingSystem.IsLinux())
        {
            return LinuxSystem.BootTime();
        }

        if (OperatingSystem.IsWindows())
        {
            return WindowsSystem.BootTime(TimeProvider.System);
        }

        if (OperatingSystem.IsMacOS())
        {
            return MacSystem.BootTime();
        }

        throw Unsupported(nameof(BootTime), "Linux, Windows and macOS");
    }

    /// <summary>Time since boot (xSystem <c>get_uptime()</c>).</summary>
    /// <param name="timeProvider">Clock for "now"; default <see cref="TimeProvider.System"/>.</param>
    /// <returns>Now minus <see cref="BootTime"/>, never negative.</returns>
    public static TimeSpan Uptime(TimeProvider? timeProvider = null)
    {
        TimeSpan uptime = (timeProvider ?? TimeProvider.System).GetUtcNow() - BootTime();
        return uptime < TimeSpan.Zero ? TimeSpan.Zero : uptime;
    }

    /// <summary>Users logged in (psutil <c>users()</c>), from the utmp records in /var/run/utmp. Linux only.</summary>
    /// <returns>The sessions; empty when /var/run/utmp is absent (containers, minimal systems).</returns>
    public static IReadOnlyList<UserSession> Users() => OperatingSystem.IsLinux() ? LinuxSystem.Users() : throw Unsupported(nameof(Users));

    /// <summary>
    /// Whether this process runs in a container, and the cgroup limits that apply to it (the cgroup is found through
    /// /proc/self/cgroup and /proc/self/mountinfo, v1 or v2, and limits are the lowest along its ancestors). Hints:
    /// <c>/.dockerenv</c>, <c>/run/.containerenv</c>, <c>/run/systemd/container</c>, container runtimes named in
    /// /proc/1/cgroup. Linux only; on other platforms returns "not a container, no limits".
    /// </summary>
    /// <returns>The detected limits and hints.</returns>
    public static ContainerInfo Container() =>
        OperatingSystem.IsLinux()
            ? LinuxContainer.Read()
            : new ContainerInfo(false, [], 0, null, null, null, null, string.Empty, string.Empty);

    /// <summary>
    /// Hardware and OS summary (xSystem <c>get_hardware_info()</c>): CPU model, cores, caches, memory, disks, network
    /// interfaces, OS, kernel, virtualization and container hints. Parts a platform cannot report are empty or 0. Linux
    /// fills everything; Windows and macOS fill CPU counts, memory, OS and architecture.
    /// </summary>
    /// <returns>The summary.</returns>
    public static HardwareInfo Hardware()
    {
        string os = RuntimeInformation.OSDescription;
        string arch = RuntimeInformation.OSArchitecture.ToString();
        if (!OperatingSystem.IsLinux())
        {
            return new HardwareInfo(
                string.Empty, CpuCount(logical: false), CpuCount(logical: true), null, [], Memory().Total, [], [],
                os, Environment.OSVersion.Version.ToString(), arch,
                new VirtualizationInfo(false, string.Empty, []), Container());
        }

        CpuInfoSummary? cpu = LinuxSystem.CpuInfo();
        var disks = new List<HardwareDisk>();
        foreach (DiskPartition p in LinuxSystem.Disks(all: false))
        {
            long size;
            try
            {
                size = LinuxSystem.DiskUsage(p.MountPoint).Total;
            }
            catch (IOException)
            {
                size = 0;
            }

            disks.Add(new HardwareDisk(p.Device, p.MountPoint, p.FileSystemType, size));
        }

        List<string> nics = [.. LinuxSystem.NetworkIoPerInterface().Keys];
        string kernel = ProcFs.ReadTrimmedOrNull("/proc/sys/kernel/osrelease") ?? Environment.OSVersion.Version.ToString();
        CpuFrequencyInfo frequency = LinuxSystem.CpuFrequency();
        return new HardwareInfo(
            cpu?.ModelName ?? string.Empty, CpuCount(logical: false), CpuCount(logical: true),
            frequency.CurrentMhz > 0 ? frequency : null, LinuxSystem.Caches(), Memory().Total, disks, nics,
            os, kernel, arch, LinuxSystem.Virtualization(cpu), LinuxContainer.Read());
    }
}
