using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace XSystem.Monitoring.Platform;

/// <summary>libc calls for Linux (and macOS where the signature is the same).</summary>
internal static partial class LibC
{
    /// <summary><c>_SC_CLK_TCK</c> on Linux.</summary>
    public const int LinuxClockTicks = 2;

    /// <summary><c>_SC_CLK_TCK</c> on macOS.</summary>
    public const int MacClockTicks = 3;

    /// <summary><c>struct statvfs</c> on 64-bit glibc and musl: eleven unsigned longs and six ints of padding.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct StatVfs64
    {
        public ulong BlockSize;
        public ulong FragmentSize;
        public ulong Blocks;
        public ulong BlocksFree;
        public ulong BlocksAvailable;
        public ulong Files;
        public ulong FilesFree;
        public ulong FilesAvailable;
        public ulong FileSystemId;
        public ulong Flags;
        public ulong NameMax;
        public ulong Spare0;
        public ulong Spare1;
        public ulong Spare2;
    }

    [LibraryImport("libc", EntryPoint = "sysconf", SetLastError = true)]
    internal static partial nint SysConf(int name);

    [LibraryImport("libc", EntryPoint = "statvfs", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int StatVfs(string path, out StatVfs64 buffer);

    [LibraryImport("libc", EntryPoint = "getloadavg")]
    internal static unsafe partial int GetLoadAvg(double* loadavg, int count);
}

/// <summary>kernel32 calls for Windows.</summary>
[SupportedOSPlatform("windows")]
internal static partial class Kernel32
{
    /// <summary><c>MEMORYSTATUSEX</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct MemoryStatusEx
    {
        public uint Length;
        public uint MemoryLoad;
        public ulong TotalPhys;
        public ulong AvailPhys;
        public ulong TotalPageFile;
        public ulong AvailPageFile;
        public ulong TotalVirtual;
        public ulong AvailVirtual;
        public ulong AvailExtendedVirtual;
    }

    /// <summary><c>ALL_PROCESSOR_GROUPS</c>.</summary>
    public const ushort AllProcessorGroups = 0xFFFF;

    /// <summary><c>RelationProcessorCore</c>.</summary>
    public const int RelationProcessorCore = 0;

    [LibraryImport("kernel32.dll", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    internal static partial bool GetSystemTimes(out long idleTime, out long kernelTime, out long userTime);

    [LibraryImport("kernel32.dll", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    internal static partial bool GlobalMemoryStatusEx(ref MemoryStatusEx buffer);

    [LibraryImport("kernel32.dll")]
    internal static partial uint GetActiveProcessorCount(ushort groupNumber);

    [LibraryImport("kernel32.dll", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    internal static unsafe partial bool GetLogicalProcessorInformationEx(int relationshipType, byte* buffer, ref uint returnedLength);
}

/// <summary>libSystem calls for macOS.</summary>
[SupportedOSPlatform("macos")]
internal static partial class MacNative
{
    private const string LibSystem = "/usr/lib/libSystem.dylib";

    /// <summary><c>HOST_CPU_LOAD_INFO</c>: four tick counters (user, system, idle, nice).</summary>
    public const int HostCpuLoadInfo = 3;

    /// <summary><c>HOST_VM_INFO64</c>: <c>vm_statistics64</c>, 38 32-bit words.</summary>
    public const int HostVmInfo64 = 4;

    /// <summary>Words in <c>vm_statistics64</c>.</summary>
    public const int HostVmInfo64Count = 38;

    [LibraryImport(LibSystem, EntryPoint = "sysctlbyname", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static unsafe partial int SysctlByName(string name, void* oldValue, ref nuint oldLength, void* newValue, nuint newLength);

    [LibraryImport(LibSystem, EntryPoint = "mach_host_self")]
    internal static partial uint MachHostSelf();

    [LibraryImport(LibSystem, EntryPoint = "host_statistics")]
    internal static unsafe partial int HostStatistics(uint host, int flavor, int* info, ref uint count);

    [LibraryImport(LibSystem, EntryPoint = "host_statistics64")]
    internal static unsafe partial int HostStatistics64(uint host, int flavor, int* info, ref uint count);
}
