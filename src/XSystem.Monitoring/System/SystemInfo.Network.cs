using XSystem.Monitoring.Platform.Linux;

namespace XSystem.Monitoring;

public static partial class SystemInfo
{
    /// <summary>Network I/O counters of all interfaces together (psutil <c>net_io_counters()</c>). Linux only.</summary>
    /// <returns>The summed counters; all zero when /proc/net/dev cannot be read.</returns>
    public static NetworkIoCounters NetworkIo() => OperatingSystem.IsLinux() ? LinuxSystem.NetworkIo() : throw Unsupported(nameof(NetworkIo));

    /// <summary>Network I/O counters per interface (psutil <c>net_io_counters(pernic=True)</c>). Linux only.</summary>
    /// <returns>Counters by interface name; empty when unreadable.</returns>
    public static IReadOnlyDictionary<string, NetworkIoCounters> NetworkIoPerInterface() =>
        OperatingSystem.IsLinux() ? LinuxSystem.NetworkIoPerInterface() : throw Unsupported(nameof(NetworkIoPerInterface));

    /// <summary>
    /// Network interfaces with addresses, MTU, up/down state, speed and MAC address (psutil <c>net_if_addrs()</c> +
    /// <c>net_if_stats()</c>). Addresses come from the OS (getifaddrs); MTU, flags, speed and MAC from /sys/class/net. Linux only.
    /// </summary>
    /// <returns>The interfaces.</returns>
    public static IReadOnlyList<NetworkInterfaceInfo> NetworkInterfaces() =>
        OperatingSystem.IsLinux() ? LinuxSystem.NetworkInterfaces() : throw Unsupported(nameof(NetworkInterfaces));

    /// <summary>
    /// TCP and UDP sockets over IPv4 and IPv6 (psutil <c>net_connections()</c>), read from /proc/net/tcp, tcp6, udp and udp6.
    /// The owning pid is filled in from the socket links in /proc/PID/fd that this user may read (all of them as root,
    /// else only this user's processes); others stay <see langword="null"/>. Linux only.
    /// </summary>
    /// <param name="kinds">Which tables to read; default all.</param>
    /// <returns>The sockets.</returns>
    public static IReadOnlyList<NetworkConnectionInfo> NetworkConnections(ConnectionKinds kinds = ConnectionKinds.All) =>
        OperatingSystem.IsLinux() ? LinuxSystem.NetworkConnections(kinds) : throw Unsupported(nameof(NetworkConnections));
}
