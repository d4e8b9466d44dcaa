using System.Net;
using System.Net.Sockets;

namespace XSystem.Monitoring;

/// <summary>
/// System memory in bytes, as <see cref="SystemInfo.Memory"/> reports it (psutil <c>virtual_memory()</c>).
/// Fields the platform does not report are 0. Thread safety: immutable.
/// </summary>
/// <param name="Total">Physical memory installed and usable by the kernel.</param>
/// <param name="Available">Memory that can be given to processes without swapping (Linux: <c>MemAvailable</c>, or computed like psutil on kernels before 3.14).</param>
/// <param name="Used">Memory in use: <c>Total - Available</c>, as <c>free</c> from procps-ng 4.0.1 and later prints it.</param>
/// <param name="Free">Memory not used at all (Linux <c>MemFree</c>); usually much lower than <paramref name="Available"/>.</param>
/// <param name="Percent">Percent of <paramref name="Total"/> in use: <c>(Total - Available) / Total * 100</c>.</param>
/// <param name="Buffers">Block-device buffers (Linux only).</param>
/// <param name="Cached">Page cache plus reclaimable slab (Linux <c>Cached + SReclaimable</c>, as psutil and <c>free</c> count it).</param>
/// <param name="Shared">Shared memory, mostly tmpfs (Linux <c>Shmem</c>).</param>
/// <param name="Active">Recently used memory (Linux <c>Active</c>, macOS active pages).</param>
/// <param name="Inactive">Memory not recently used (Linux <c>Inactive</c>, macOS inactive pages).</param>
public sealed record MemoryInfo(long Total, long Available, long Used, long Free, double Percent, long Buffers, long Cached, long Shared, long Active, long Inactive);

/// <summary>Swap space in bytes (psutil <c>swap_memory()</c>). Thread safety: immutable.</summary>
/// <param name="Total">Total swap space.</param>
/// <param name="Used">Swap in use.</param>
/// <param name="Free">Swap not in use.</param>
/// <param name="Percent">Percent of <paramref name="Total"/> in use; 0 when there is no swap.</param>
/// <param name="SwappedIn">Bytes swapped in from disk since boot (Linux <c>pswpin</c> pages), 0 when unknown.</param>
/// <param name="SwappedOut">Bytes swapped out to disk since boot (Linux <c>pswpout</c> pages), 0 when unknown.</param>
public sealed record SwapInfo(long Total, long Used, long Free, double Percent, long SwappedIn, long SwappedOut);

/// <summary>
/// Cumulative CPU time spent in each mode since boot (psutil <c>cpu_times()</c>). Modes a platform lacks are zero.
/// Thread safety: immutable.
/// </summary>
/// <param name="User">Normal processes in user mode (includes <paramref name="Guest"/> on Linux).</param>
/// <param name="Nice">Niced processes in user mode (includes <paramref name="GuestNice"/> on Linux).</param>
/// <param name="System">Kernel mode.</param>
/// <param name="Idle">Idle.</param>
/// <param name="IoWait">Idle while waiting for I/O (Linux).</param>
/// <param name="Irq">Servicing hardware interrupts (Linux).</param>
/// <param name="SoftIrq">Servicing software interrupts (Linux).</param>
/// <param name="Steal">Taken by the hypervisor for other guests (Linux).</param>
/// <param name="Guest">Running a virtual CPU for a guest (Linux).</param>
/// <param name="GuestNice">Running a niced guest (Linux).</param>
public sealed record CpuTimeInfo(
    TimeSpan User, TimeSpan Nice, TimeSpan System, TimeSpan Idle, TimeSpan IoWait,
    TimeSpan Irq, TimeSpan SoftIrq, TimeSpan Steal, TimeSpan Guest, TimeSpan GuestNice)
{
    /// <summary>All time, counted once: the sum of every mode except <see cref="Guest"/> and <see cref="GuestNice"/> (already inside user and nice).</summary>
    public TimeSpan Total => User + Nice + System + Idle + IoWait + Irq + SoftIrq + Steal;

    /// <summary>Time not idle: <see cref="Total"/> minus <see cref="Idle"/> and <see cref="IoWait"/>.</summary>
    public TimeSpan Busy => Total - Idle - IoWait;

    /// <summary>Percent of CPU time that was busy between two samples of the same CPU(s), 0 to 100; 0 when no time passed.</summary>
    /// <param name="earlier">The earlier sample.</param>
    /// <param name="later">The later sample.</param>
    /// <returns>The busy percentage.</returns>
    public static double BusyPercent(CpuTimeInfo earlier, CpuTimeInfo later)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        ArgumentNullException.ThrowIfNull(later);
        long total = (later.Total - earlier.Total).Ticks;
        long busy = (later.Busy - earlier.Busy).Ticks;
        if (total <= 0)
        {
            return 0;
        }

        return Math.Clamp(busy * 100.0 / total, 0, 100);
    }
}

/// <summary>CPU clock frequency in MHz (psutil <c>cpu_freq()</c>); 0 where the platform does not say. Thread safety: immutable.</summary>
/// <param name="CurrentMhz">Current frequency (average over CPUs on Linux).</param>
/// <param name="MinMhz">Lowest frequency the CPU may run at, 0 when unknown.</param>
/// <param name="MaxMhz">Highest frequency the CPU may run at, 0 when unknown.</param>
public sealed record CpuFrequencyInfo(double CurrentMhz, double MinMhz, double MaxMhz);

/// <summary>Average number of runnable (and, on Linux, uninterruptible) tasks (psutil <c>getloadavg()</c>). Thread safety: immutable.</summary>
/// <param name="OneMinute">Over the last minute.</param>
/// <param name="FiveMinutes">Over the last five minutes.</param>
/// <param name="FifteenMinutes">Over the last fifteen minutes.</param>
public sealed record LoadAverageInfo(double OneMinute, double FiveMinutes, double FifteenMinutes);

/// <summary>A mounted file system (psutil <c>disk_partitions()</c>). Thread safety: immutable.</summary>
/// <param name="Device">The device or source, for example <c>/dev/sda1</c> or <c>tmpfs</c>.</param>
/// <param name="MountPoint">Where it is mounted.</param>
/// <param name="FileSystemType">The file-system type, for example <c>ext4</c>.</param>
/// <param name="Options">Mount options as the kernel lists them, for example <c>rw,relatime</c>.</param>
public sealed record DiskPartition(string Device, string MountPoint, string FileSystemType, string Options)
{
    /// <summary>Whether the file system is mounted read-only (the options start with or contain <c>ro</c>).</summary>
    public bool IsReadOnly => Options.Split(',').Contains("ro", StringComparer.Ordinal);
}

/// <summary>
/// Space on the file system holding a path, in bytes, matching <c>df</c> (psutil <c>disk_usage()</c>). Thread safety: immutable.
/// </summary>
/// <param name="Total">Size of the file system.</param>
/// <param name="Used">Used space: total blocks minus free blocks (includes blocks reserved for root).</param>
/// <param name="Free">Space available to unprivileged users (excludes reserved blocks), so <c>Used + Free</c> can be less than <paramref name="Total"/>.</param>
/// <param name="Percent">Percent used as <c>df</c> computes it: <c>Used / (Used + Free) * 100</c>.</param>
public sealed record DiskUsageInfo(long Total, long Used, long Free, double Percent);

/// <summary>Disk I/O counters since boot (psutil <c>disk_io_counters()</c>). Thread safety: immutable.</summary>
/// <param name="ReadCount">Completed reads.</param>
/// <param name="WriteCount">Completed writes.</param>
/// <param name="ReadBytes">Bytes read.</param>
/// <param name="WriteBytes">Bytes written.</param>
/// <param name="ReadTime">Time spent reading.</param>
/// <param name="WriteTime">Time spent writing.</param>
/// <param name="BusyTime">Time the device had I/O in progress.</param>
/// <param name="ReadMergedCount">Reads merged by the kernel (Linux).</param>
/// <param name="WriteMergedCount">Writes merged by the kernel (Linux).</param>
public sealed record DiskIoCounters(
    long ReadCount, long WriteCount, long ReadBytes, long WriteBytes,
    TimeSpan ReadTime, TimeSpan WriteTime, TimeSpan BusyTime, long ReadMergedCount, long WriteMergedCount);

/// <summary>Network I/O counters since boot (psutil <c>net_io_counters()</c>). Thread safety: immutable.</summary>
/// <param name="BytesSent">Bytes sent.</param>
/// <param name="BytesReceived">Bytes received.</param>
/// <param name="PacketsSent">Packets sent.</param>
/// <param name="PacketsReceived">Packets received.</param>
/// <param name="ErrorsIn">Receive errors.</param>
/// <param name="ErrorsOut">Transmit errors.</param>
/// <param name="DropsIn">Incoming packets dropped.</param>
/// <param name="DropsOut">Outgoing packets dropped.</param>
public sealed record NetworkIoCounters(
    long BytesSent, long BytesReceived, long PacketsSent, long PacketsReceived,
    long ErrorsIn, long ErrorsOut, long DropsIn, long DropsOut);

/// <summary>One address of a network interface (psutil <c>net_if_addrs()</c>). Thread safety: immutable.</summary>
/// <param name="Family">IPv4 or IPv6.</param>
/// <param name="Address">The address.</param>
/// <param name="PrefixLength">The network prefix length, for example 24.</param>
/// <param name="Netmask">The netmask as an address (IPv4 only), else <see langword="null"/>.</param>
public sealed record NetworkAddress(AddressFamily Family, IPAddress Address, int PrefixLength, IPAddress? Netmask);

/// <summary>A network interface with its addresses and state (psutil <c>net_if_addrs()</c> + <c>net_if_stats()</c>). Thread safety: immutable.</summary>
/// <param name="Name">Interface name, for example <c>eth0</c> or <c>br-1a2b.100</c>.</param>
/// <param name="IsUp">Whether the interface is administratively up (Linux: <c>IFF_UP</c> in <c>/sys/class/net/NAME/flags</c>).</param>
/// <param name="Mtu">Maximum transmission unit in bytes, 0 when unknown.</param>
/// <param name="SpeedMbps">Link speed in megabits per second, 0 when unknown or not applicable (virtual interfaces).</param>
/// <param name="MacAddress">Hardware address as <c>aa:bb:cc:dd:ee:ff</c>, empty when there is none.</param>
/// <param name="Addresses">IPv4 and IPv6 addresses.</param>
public sealed record NetworkInterfaceInfo(string Name, bool IsUp, int Mtu, long SpeedMbps, string MacAddress, IReadOnlyList<NetworkAddress> Addresses);

/// <summary>Which sockets <see cref="SystemInfo.NetworkConnections"/> lists.</summary>
[Flags]
public enum ConnectionKinds
{
    /// <summary>None.</summary>
    None = 0,

    /// <summary>TCP over IPv4.</summary>
    Tcp4 = 1,

    /// <summary>TCP over IPv6.</summary>
    Tcp6 = 2,

    /// <summary>UDP over IPv4.</summary>
    Udp4 = 4,

    /// <summary>UDP over IPv6.</summary>
    Udp6 = 8,

    /// <summary>TCP over IPv4 and IPv6.</summary>
    Tcp = Tcp4 | Tcp6,

    /// <summary>UDP over IPv4 and IPv6.</summary>
    Udp = Udp4 | Udp6,

    /// <summary>Every TCP and UDP socket (psutil <c>kind="inet"</c>). The default.</summary>
    All = Tcp | Udp,
}

/// <summary>The state of a socket. UDP sockets report <see cref="None"/>.</summary>
public enum ConnectionState
{
    /// <summary>No state (UDP) or unknown.</summary>
    None = 0,

    /// <summary>An open connection.</summary>
    Established,

    /// <summary>Waiting for a matching connection request after sending one.</summary>
    SynSent,

    /// <summary>Waiting for a confirming acknowledgment after receiving and sending a connection request.</summary>
    SynReceived,

    /// <summary>Waiting for a termination request or an acknowledgment of one sent.</summary>
    FinWait1,

    /// <summary>Waiting for a termination request from the remote side.</summary>
    FinWait2,

    /// <summary>Waiting to be sure the remote side received the acknowledgment of its termination request.</summary>
    TimeWait,

    /// <summary>Closed.</summary>
    Close,

    /// <summary>Waiting for a termination request from the local user.</summary>
    CloseWait,

    /// <summary>Waiting for an acknowledgment of the termination request sent.</summary>
    LastAck,

    /// <summary>Listening for connection requests.</summary>
    Listen,

    /// <summary>Waiting for an acknowledgment of the termination request from the remote side.</summary>
    Closing,
}

/// <summary>A TCP or UDP socket (psutil <c>net_connections()</c>). Thread safety: immutable.</summary>
/// <param name="Protocol">TCP or UDP.</param>
/// <param name="Family">IPv4 or IPv6.</param>
/// <param name="LocalEndPoint">Local address and port.</param>
/// <param name="RemoteEndPoint">Remote address and port; <see langword="null"/> when not connected (all zeros).</param>
/// <param name="State">TCP state; <see cref="ConnectionState.None"/> for UDP.</param>
/// <param name="Inode">The socket's inode number (Linux), 0 when unknown.</param>
/// <param name="ProcessId">The process owning the socket, or <see langword="null"/> when it cannot be read (other users' processes need privileges).</param>
public sealed record NetworkConnectionInfo(
    ProtocolType Protocol, AddressFamily Family, IPEndPoint LocalEndPoint, IPEndPoint? RemoteEndPoint,
    ConnectionState State, long Inode, int? ProcessId);

/// <summary>A logged-in user session (psutil <c>users()</c>). Thread safety: immutable.</summary>
/// <param name="Name">User name.</param>
/// <param name="Terminal">Terminal, for example <c>pts/0</c>; empty when none.</param>
/// <param name="Host">Remote host name or address; empty for local sessions.</param>
/// <param name="Started">When the session started.</param>
/// <param name="ProcessId">The session's login process.</param>
public sealed record UserSession(string Name, string Terminal, string Host, DateTimeOffset Started, int ProcessId);

/// <summary>One CPU cache (from <c>/sys/devices/system/cpu/cpu0/cache</c>). Thread safety: immutable.</summary>
/// <param name="Level">Cache level, 1 to 4.</param>
/// <param name="Type">Data, Instruction or Unified.</param>
/// <param name="SizeBytes">Size in bytes.</param>
/// <param name="SharedCpuCount">How many logical CPUs share it, 0 when unknown.</param>
public sealed record CpuCacheInfo(int Level, string Type, long SizeBytes, int SharedCpuCount);

/// <summary>A disk in the hardware summary: a physical partition with its size. Thread safety: immutable.</summary>
/// <param name="Device">The device, for example <c>/dev/vda</c>.</param>
/// <param name="MountPoint">Where it is mounted.</param>
/// <param name="FileSystemType">The file-system type.</param>
/// <param name="TotalBytes">Size in bytes; 0 when it could not be read.</param>
public sealed record HardwareDisk(string Device, string MountPoint, string FileSystemType, long TotalBytes);

/// <summary>
/// Hardware and OS summary (xSystem <c>get_hardware_info()</c>). Unknown strings are empty, unknown numbers 0.
/// Thread safety: immutable.
/// </summary>
/// <param name="CpuModel">CPU model name, for example <c>Intel(R) Xeon(R) Processor</c>.</param>
/// <param name="PhysicalCores">Physical cores.</param>
/// <param name="LogicalCores">Logical CPUs (hardware threads) online.</param>
/// <param name="Frequency">CPU frequency, or <see langword="null"/> when the platform does not report it.</param>
/// <param name="Caches">CPU caches of the first CPU, empty when unknown.</param>
/// <param name="MemoryTotal">Physical memory in bytes.</param>
/// <param name="Disks">Physical file systems and their sizes.</param>
/// <param name="NetworkInterfaces">Network interface names.</param>
/// <param name="OsDescription">Operating system description (<see cref="System.Runtime.InteropServices.RuntimeInformation.OSDescription"/>).</param>
/// <param name="KernelVersion">Kernel release, for example <c>6.8.0-45-generic</c>.</param>
/// <param name="Architecture">Process architecture, for example <c>X64</c>.</param>
/// <param name="Virtualization">Hypervisor and container hints.</param>
/// <param name="Container">Container detection and cgroup limits.</param>
public sealed record HardwareInfo(
    string CpuModel, int PhysicalCores, int LogicalCores, CpuFrequencyInfo? Frequency, IReadOnlyList<CpuCacheInfo> Caches,
    long MemoryTotal, IReadOnlyList<HardwareDisk> Disks, IReadOnlyList<string> NetworkInterfaces,
    string OsDescription, string KernelVersion, string Architecture, VirtualizationInfo Virtualization, ContainerInfo Container);

/// <summary>Signs that the machine is a virtual machine. Thread safety: immutable.</summary>
/// <param name="IsVirtualMachine">Whether a hypervisor was detected (the <c>hypervisor</c> CPU flag, or a known DMI product name).</param>
/// <param name="ProductName">DMI product name (<c>/sys/class/dmi/id/product_name</c>), empty when unreadable.</param>
/// <param name="Hints">What was found, for example <c>cpuinfo: hypervisor flag</c>.</param>
public sealed record VirtualizationInfo(bool IsVirtualMachine, string ProductName, IReadOnlyList<string> Hints);

/// <summary>
/// Whether this process runs in a container and the cgroup limits that apply to it (see <see cref="SystemInfo.Container"/>).
/// Thread safety: immutable.
/// </summary>
/// <param name="IsContainer">Whether any container hint was found.</param>
/// <param name="Hints">What was found: <c>/.dockerenv</c>, <c>/run/systemd/container: podman</c>, <c>/proc/1/cgroup: docker</c> ...</param>
/// <param name="CgroupVersion">1 or 2 for the hierarchy the limits came from; 0 when no cgroup file system was found.</param>
/// <param name="CpuLimit">CPU quota in CPUs (quota / period, for example 1.5), or <see langword="null"/> when unlimited or unknown.</param>
/// <param name="CpuQuota">The CPU quota per period, or <see langword="null"/> when unlimited.</param>
/// <param name="CpuPeriod">The CPU accounting period, or <see langword="null"/> when unknown.</param>
/// <param name="MemoryLimit">Memory limit in bytes, or <see langword="null"/> when unlimited or unknown.</param>
/// <param name="CpuCgroupPath">Directory the CPU limit was read from, empty when none.</param>
/// <param name="MemoryCgroupPath">Directory the memory limit was read from, empty when none.</param>
public sealed record ContainerInfo(
    bool IsContainer, IReadOnlyList<string> Hints, int CgroupVersion, double? CpuLimit, TimeSpan? CpuQuota, TimeSpan? CpuPeriod,
    long? MemoryLimit, string CpuCgroupPath, string MemoryCgroupPath);
