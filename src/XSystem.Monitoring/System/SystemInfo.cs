using System.Runtime.InteropServices;

namespace XSystem.Monitoring;

/// <summary>
/// System-wide facts in the spirit of psutil's system functions: CPU, memory, swap, disks, network, boot time, users,
/// hardware and container limits. Linux reads /proc and /sys directly (no child processes); Windows and macOS implement
/// CPU counts, CPU times, memory and boot time (plus load average on macOS and disk usage everywhere); any other member
/// throws <see cref="PlatformNotSupportedException"/> naming the member and the platform.
/// </summary>
/// <remarks>
/// <para>Python xSystem names: <c>get_cpu_usage(interval)</c> is <see cref="CpuUsage(TimeSpan)"/>,
/// <c>get_memory_usage()</c> is <see cref="Memory"/>, <c>get_hardware_info()</c> is <see cref="Hardware"/>.</para>
/// <para>Files that vanish while read (a process exits, a sysfs attribute refuses to read) give documented empty or
/// unknown values (0, empty string, empty list, <see langword="null"/>), never garbage. A missing /proc itself raises
/// <see cref="IOException"/>.</para>
/// <para>Thread safety: every member is safe to call from any thread at the same time.</para>
/// </remarks>
public static partial class SystemInfo
{
    internal static PlatformNotSupportedException Unsupported(string member, string supportedOn = "Linux") =>
        new($"SystemInfo.{member} is not supported on {RuntimeInformation.OSDescription} ({CurrentPlatform}); XSystem.Monitoring implements it on {supportedOn}. See docs/monitoring.md for the platform matrix.");

    private static string CurrentPlatform =>
        OperatingSystem.IsWindows() ? "Windows" : OperatingSystem.IsMacOS() ? "macOS" : OperatingSystem.IsLinux() ? "Linux" : RuntimeInformation.RuntimeIdentifier;
}
