using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using XSystem.Monitoring.Internal;

namespace XSystem.Monitoring.Platform.Linux;

/// <summary>Linux implementation of <see cref="SystemInfo"/>: reads /proc and /sys through <see cref="ProcFs"/> and the pure parsers.</summary>
[SupportedOSPlatform("linux")]
internal static class LinuxSystem
{
    private static readonly Lazy<long> TicksPerSecondLazy = new(() =>
    {
        try
        {
            nint ticks = LibC.SysConf(LibC.LinuxClockTicks);
            return ticks > 0 ? ticks : 100;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return 100;
        }
    });

    /// <summary>USER_HZ, the unit of /proc/stat.</summary>
    public static long TicksPerSecond => TicksPerSecondLazy.Value;

    public static int LogicalCpuCount()
    {
        if (ProcFs.TryParse("/sys/devices/system/cpu/online", static t => SpanText.CountCpuList(t), out int online) && online > 0)
        {
            return online;
        }

        if (ProcFs.TryParse("/proc/stat", TicksPerSecond, static (t, hz) => StatParser.ParseCpuTimes(t, hz).PerCpu.Count, out int fromStat) && fromStat > 0)
        {
            return fromStat;
        }

        return Environment.ProcessorCount;
    }

    public static int PhysicalCpuCount()
    {
        // Distinct core sibling sets in sysfs topology, as lscpu counts cores; else /proc/cpuinfo core ids.
        var sets = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            foreach (string cpu in Directory.EnumerateDirectories("/sys/devices/system/cpu", "cpu*"))
            {
                string name = Path.GetFileName(cpu);
                if (name.Length < 4 || !char.IsAsciiDigit(name[3]))
                {
                    continue;
                }

                string? siblings = ProcFs.ReadTrimmedOrNull(Path.Combine(cpu, "topology/core_cpus_list"))
                    ?? ProcFs.ReadTrimmedOrNull(Path.Combine(cpu, "topology/thread_siblings_list"));
                if (siblings is not null)
                {
                    sets.Add(siblings);
                }
            }
        }
        catch (Exception ex) when (ProcFs.IsVanished(ex))
        {
            sets.Clear();
        }

        if (sets.Count > 0)
        {
            return sets.Count;
        }

        return CpuInfo() is { PhysicalCores: > 0 } info ? info.PhysicalCores : LogicalCpuCount();
    }

    public static CpuInfoSummary? CpuInfo() =>
        ProcFs.TryParse("/proc/cpuinfo", static t => CpuInfoParser.Parse(t), out var info) ? info : null;

    public static CpuTimeInfo CpuTimes() =>
        ProcFs.TryParse("/proc/stat", TicksPerSecond, static (t, hz) => StatParser.ParseTotalCpuTimes(t, hz), out CpuTimeInfo? times) && times is not null
            ? times
            : throw Unreadable("/proc/stat", "CPU times");

    public static IReadOnlyList<CpuTimeInfo> CpuTimesPerCpu() =>
        ProcFs.TryParse("/proc/stat", TicksPerSecond, static (t, hz) => StatParser.ParseCpuTimes(t, hz).PerCpu, out var list)
            ? list
            : throw Unreadable("/proc/stat", "per-CPU times");

    public static CpuFrequencyInfo CpuFrequency()
    {
        double current = 0, min = 0, max = 0;
        int count = 0;
        try
        {
            foreach (string dir in Directory.EnumerateDirectories("/sys/devices/system/cpu", "cpu*"))
            {
                long? cur = ProcFs.ReadInt64OrNull(Path.Combine(dir, "cpufreq/scaling_cur_freq"));
                if (cur is null)
                {
                    continue;
                }

                current += cur.Value / 1000.0;
                count++;
                min = Math.Max(min, (ProcFs.ReadInt64OrNull(Path.Combine(dir, "cpufreq/scaling_min_freq")) ?? 0) / 1000.0);
                max = Math.Max(max, (ProcFs.ReadInt64OrNull(Path.Combine(dir, "cpufreq/scaling_max_freq")) ?? 0) / 1000.0);
            }
        }
        catch (Exception ex) when (ProcFs.IsVanished(ex))
        {
            count = 0;
        }

        if (count > 0)
        {
            return new CpuFrequencyInfo(current / count, min, max);
        }

        // Virtual machines often have no cpufreq driver; /proc/cpuinfo still has the nominal clock.
        return new CpuFrequencyInfo(CpuInfo()?.AverageMhz ?? 0, 0, 0);
    }

    public static LoadAverageInfo LoadAverage() =>
        ProcFs.TryParse("/proc/loadavg", static t => StatParser.ParseLoadAverage(t), out LoadAverageInfo? load) && load is not null
            ? load
            : throw Unreadable("/proc/loadavg", "load average");

    public static MemInfoFields MemInfo() =>
        ProcFs.TryParse("/proc/meminfo", static t => MemInfoParser.Parse(t), out MemInfoFields fields) && fields.MemTotal > 0
            ? fields
            : throw Unreadable("/proc/meminfo", "memory");

    public static MemoryInfo Memory()
    {
        MemInfoFields fields = MemInfo();
        long? low = null;
        if (!fields.HasMemAvailable && ProcFs.TryParse("/proc/zoneinfo", static t => MemInfoParser.SumLowWatermarkPages(t), out long pages))
        {
            low = pages * Environment.SystemPageSize;
        }

        return MemInfoParser.ToMemoryInfo(fields, low);
    }

    public static SwapInfo Swap()
    {
        MemInfoFields fields = MemInfo();
        ProcFs.TryParse("/proc/vmstat", static t => MemInfoParser.ParseSwapPages(t), out (long In, long Out) pages);
        return MemInfoParser.ToSwapInfo(fields, pages.In, pages.Out, Environment.SystemPageSize);
    }

    public static IReadOnlyList<DiskPartition> Disks(bool all)
    {
        List<DiskPartition>? mounts = ReadMountTable();
        if (mounts is null)
        {
            return [];
        }

        if (all)
        {
            return mounts;
        }

        HashSet<string> physical = ProcFs.TryParse("/proc/filesystems", static t => MountParser.ParsePhysicalFileSystems(t), out var set)
            ? set
            : [];
        return mounts.FindAll(m => MountParser.IsPhysical(m, physical));
    }

    private static List<DiskPartition>? ReadMountTable() =>
        ProcFs.TryParse("/proc/self/mounts", static t => MountParser.ParseMounts(t), out var own) ? own
        : ProcFs.TryParse("/proc/mounts", static t => MountParser.ParseMounts(t), out var global) ? global
        : null;

    public static DiskUsageInfo DiskUsage(string path)
    {
        if (!Environment.Is64BitProcess)
        {
            return SystemInfo.DriveUsage(path);
        }

        if (LibC.StatVfs(path, out LibC.StatVfs64 s) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw errno == 2 /* ENOENT */ || errno == 20 /* ENOTDIR */
                ? new DirectoryNotFoundException($"Cannot read disk usage of '{path}': the path does not exist. Pass an existing file or directory.")
                : new IOException($"Cannot read disk usage of '{path}': statvfs failed with errno {errno} ({Marshal.GetPInvokeErrorMessage(errno)}).");
        }

        ulong unit = s.FragmentSize != 0 ? s.FragmentSize : s.BlockSize;
        long total = (long)(s.Blocks * unit);
        long free = (long)(s.BlocksAvailable * unit);
        long used = (long)((s.Blocks - s.BlocksFree) * unit);
        return new DiskUsageInfo(total, used, free, SystemInfo.UsagePercent(used, free));
    }

    public static IReadOnlyDictionary<string, DiskIoCounters> DiskIoPerDisk() =>
        ProcFs.TryParse("/proc/diskstats", static t => CountersParser.ParseDiskStats(t), out var list)
            ? ToDictionary(list)
            : new Dictionary<string, DiskIoCounters>();

    public static DiskIoCounters DiskIo()
    {
        // Whole disks only (those in /sys/block), so partitions are not counted twice.
        IReadOnlyDictionary<string, DiskIoCounters> all = DiskIoPerDisk();
        return CountersParser.Sum(all.Where(kv => Directory.Exists("/sys/block/" + kv.Key.Replace('/', '!'))).Select(kv => kv.Value));
    }

    public static IReadOnlyDictionary<string, NetworkIoCounters> NetworkIoPerInterface() =>
        ProcFs.TryParse("/proc/net/dev", static t => CountersParser.ParseNetDev(t), out var list)
            ? ToDictionary(list)
            : new Dictionary<string, NetworkIoCounters>();

    public static NetworkIoCounters NetworkIo() => CountersParser.Sum(NetworkIoPerInterface().Values);

    private static Dictionary<string, T> ToDictionary<T>(List<KeyValuePair<string, T>> list)
    {
        var result = new Dictionary<string, T>(list.Count, StringComparer.Ordinal);
        foreach (KeyValuePair<string, T> kv in list)
        {
            result[kv.Key] = kv.Value;
        }

        return result;
    }

    public static IReadOnlyList<NetworkInterfaceInfo> NetworkInterfaces()
    {
        NetworkInterface[] nics;
        try
        {
            nics = NetworkInterface.GetAllNetworkInterfaces();
        }
        catch (NetworkInformationException)
        {
            nics = [];
        }

        var result = new List<NetworkInterfaceInfo>(nics.Length);
        foreach (NetworkInterface nic in nics)
        {
            string sys = "/sys/class/net/" + nic.Name + "/";
            long flags = ProcFs.TryParse(sys + "flags", static t => CountersParser.ParseInterfaceFlags(t), out long f) ? f : -1;
            bool isUp = flags >= 0 ? (flags & 1) != 0 : nic.OperationalStatus == OperationalStatus.Up;
            int mtu = (int)(ProcFs.ReadInt64OrNull(sys + "mtu") ?? 0);
            long speed = ProcFs.ReadInt64OrNull(sys + "speed") is > 0 and var s ? s : 0;
            string mac = ProcFs.ReadTrimmedOrNull(sys + "address") ?? FormatMac(nic);
            result.Add(new NetworkInterfaceInfo(nic.Name, isUp, mtu, speed, mac, Addresses(nic)));
        }

        return result;
    }

    internal static string FormatMac(NetworkInterface nic)
    {
        byte[] bytes = nic.GetPhysicalAddress().GetAddressBytes();
        return bytes.Length == 0 ? string.Empty : string.Join(':', bytes.Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
    }

    internal static List<NetworkAddress> Addresses(NetworkInterface nic)
    {
        var addresses = new List<NetworkAddress>();
        try
        {
            foreach (UnicastIPAddressInformation a in nic.GetIPProperties().UnicastAddresses)
            {
                IPAddress? mask = a.Address.AddressFamily == AddressFamily.InterNetwork ? a.IPv4Mask : null;
                addresses.Add(new NetworkAddress(a.Address.AddressFamily, a.Address, a.PrefixLength, mask));
            }
        }
        catch (NetworkInformationException)
        {
            // The interface went away while we looked; report it without addresses.
        }

        return addresses;
    }

    public static IReadOnlyList<NetworkConnectionInfo> NetworkConnections(ConnectionKinds kinds)
    {
        var list = new List<NetworkConnectionInfo>();
        Read("/proc/net/tcp", ConnectionKinds.Tcp4, ProtocolType.Tcp, AddressFamily.InterNetwork);
        Read("/proc/net/tcp6", ConnectionKinds.Tcp6, ProtocolType.Tcp, AddressFamily.InterNetworkV6);
        Read("/proc/net/udp", ConnectionKinds.Udp4, ProtocolType.Udp, AddressFamily.InterNetwork);
        Read("/proc/net/udp6", ConnectionKinds.Udp6, ProtocolType.Udp, AddressFamily.InterNetworkV6);
        if (list.Count == 0)
        {
            return list;
        }

        Dictionary<long, int> owners = SocketOwners();
        for (int i = 0; i < list.Count; i++)
        {
            if (owners.TryGetValue(list[i].Inode, out int pid))
            {
                list[i] = list[i] with { ProcessId = pid };
            }
        }

        return list;

        void Read(string path, ConnectionKinds kind, ProtocolType protocol, AddressFamily family)
        {
            if ((kinds & kind) != 0)
            {
                ProcFs.TryParse(path, (list, protocol, family), static (t, s) =>
                {
                    NetConnectionParser.Parse(t, s.protocol, s.family, s.list);
                    return true;
                }, out _);
            }
        }
    }

    /// <summary>Maps socket inodes to the pid holding them, from the /proc/PID/fd links this user may read.</summary>
    internal static Dictionary<long, int> SocketOwners()
    {
        var owners = new Dictionary<long, int>();
        IEnumerable<string> pids;
        try
        {
            pids = Directory.EnumerateDirectories("/proc");
        }
        catch (Exception ex) when (ProcFs.IsVanished(ex))
        {
            return owners;
        }

        foreach (string dir in pids)
        {
            if (!int.TryParse(Path.GetFileName(dir.AsSpan()), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int pid))
            {
                continue;
            }

            try
            {
                foreach (string fd in Directory.EnumerateFileSystemEntries(dir + "/fd"))
                {
                    string? target = new FileInfo(fd).LinkTarget;
                    if (target is not null && NetConnectionParser.TryParseSocketLink(target, out long inode))
                    {
                        owners.TryAdd(inode, pid);
                    }
                }
            }
            catch (Exception ex) when (ProcFs.IsVanished(ex))
            {
                // Another user's process, or it exited: its sockets keep a null pid.
            }
        }

        return owners;
    }

    public static DateTimeOffset BootTime() =>
        ProcFs.TryParse("/proc/stat", static t => StatParser.ParseBootTime(t), out long? btime) && btime is long seconds
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : throw Unreadable("/proc/stat", "boot time");

    public static IReadOnlyList<UserSession> Users()
    {
        byte[] data;
        try
        {
            data = File.ReadAllBytes("/var/run/utmp");
        }
        catch (Exception ex) when (ProcFs.IsVanished(ex))
        {
            return [];
        }

        return UtmpParser.Parse(data);
    }

    public static IReadOnlyList<CpuCacheInfo> Caches()
    {
        var caches = new List<CpuCacheInfo>();
        try
        {
            foreach (string dir in Directory.EnumerateDirectories("/sys/devices/system/cpu/cpu0/cache", "index*").Order(StringComparer.Ordinal))
            {
                int level = (int)(ProcFs.ReadInt64OrNull(dir + "/level") ?? 0);
                string type = ProcFs.ReadTrimmedOrNull(dir + "/type") ?? string.Empty;
                long size = ProcFs.TryParse(dir + "/size", static t => CpuInfoParser.ParseCacheSize(t), out long s) ? s : 0;
                int shared = ProcFs.TryParse(dir + "/shared_cpu_list", static t => SpanText.CountCpuList(t), out int n) ? n : 0;
                if (level > 0)
                {
                    caches.Add(new CpuCacheInfo(level, type, size, shared));
                }
            }
        }
        catch (Exception ex) when (ProcFs.IsVanished(ex))
        {
            return caches;
        }

        return caches;
    }

    public static VirtualizationInfo Virtualization(CpuInfoSummary? cpu)
    {
        var hints = new List<string>();
        bool vm = false;
        if (cpu is { HasHypervisorFlag: true })
        {
            vm = true;
            hints.Add("/proc/cpuinfo: hypervisor flag");
        }

        string product = ProcFs.ReadTrimmedOrNull("/sys/class/dmi/id/product_name") ?? string.Empty;
        ReadOnlySpan<string> known = ["KVM", "QEMU", "VirtualBox", "VMware", "Virtual Machine", "HVM domU", "Google Compute Engine", "Standard PC", "Amazon EC2", "Bochs", "Cloud Hypervisor", "Firecracker"];
        foreach (string name in known)
        {
            if (product.Contains(name, StringComparison.OrdinalIgnoreCase))
            {
                vm = true;
                hints.Add("/sys/class/dmi/id/product_name: " + product);
                break;
            }
        }

        return new VirtualizationInfo(vm, product, hints);
    }

    private static IOException Unreadable(string path, string what) =>
        new($"Cannot read {what}: '{path}' is missing or unreadable. Is /proc mounted (procfs) in this environment?");
}
