using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace XSystem.Monitoring.Platform.MacOS;

/// <summary>macOS implementation of the members <see cref="SystemInfo"/> supports there (sysctlbyname and mach host statistics).</summary>
[SupportedOSPlatform("macos")]
internal static class MacSystem
{
    public static int LogicalCpuCount() => SysctlInt32("hw.logicalcpu");

    public static int PhysicalCpuCount() => SysctlInt32("hw.physicalcpu");

    public static unsafe CpuTimeInfo CpuTimes()
    {
        int* ticks = stackalloc int[4];
        uint count = 4;
        int rc = MacNative.HostStatistics(MacNative.MachHostSelf(), MacNative.HostCpuLoadInfo, ticks, ref count);
        if (rc != 0)
        {
            throw new Win32Exception(rc, "host_statistics(HOST_CPU_LOAD_INFO) failed.");
        }

        long hz = 100;
        try
        {
            nint value = LibC.SysConf(LibC.MacClockTicks);
            hz = value > 0 ? value : 100;
        }
        catch (EntryPointNotFoundException)
        {
            // keep 100
        }

        // cpu_ticks order: user, system, idle, nice.
        TimeSpan T(int index) => TimeSpan.FromTicks((uint)ticks[index] * (TimeSpan.TicksPerSecond / hz));
        TimeSpan zero = TimeSpan.Zero;
        return new CpuTimeInfo(T(0), T(3), T(1), T(2), zero, zero, zero, zero, zero, zero);
    }

    public static unsafe MemoryInfo Memory()
    {
        long total = SysctlInt64("hw.memsize");
        int* vm = stackalloc int[MacNative.HostVmInfo64Count];
        uint count = MacNative.HostVmInfo64Count;
        int rc = MacNative.HostStatistics64(MacNative.MachHostSelf(), MacNative.HostVmInfo64, vm, ref count);
        if (rc != 0)
        {
            throw new Win32Exception(rc, "host_statistics64(HOST_VM_INFO64) failed.");
        }

        long page = Environment.SystemPageSize;

        // vm_statistics64 starts with free_count, active_count, inactive_count, wire_count (natural_t each).
        long free = (uint)vm[0] * page;
        long active = (uint)vm[1] * page;
        long inactive = (uint)vm[2] * page;
        long available = Math.Min(total, free + inactive);
        long used = total - available;
        double percent = total > 0 ? Math.Round(used * 100.0 / total, 1) : 0;
        return new MemoryInfo(total, available, used, free, percent, 0, 0, 0, active, inactive);
    }

    public static unsafe DateTimeOffset BootTime()
    {
        // struct timeval { time_t tv_sec; suseconds_t tv_usec; } = 16 bytes on 64-bit.
        long* timeval = stackalloc long[2];
        nuint size = 16;
        if (MacNative.SysctlByName("kern.boottime", timeval, ref size, null, 0) != 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError(), "sysctlbyname(kern.boottime) failed.");
        }

        return DateTimeOffset.FromUnixTimeSeconds(timeval[0]).AddTicks((int)timeval[1] * 10L);
    }

    public static unsafe LoadAverageInfo LoadAverage()
    {
        double* load = stackalloc double[3];
        if (LibC.GetLoadAvg(load, 3) != 3)
        {
            throw new Win32Exception("getloadavg failed.");
        }

        return new LoadAverageInfo(load[0], load[1], load[2]);
    }

    private static unsafe int SysctlInt32(string name)
    {
        int value = 0;
        nuint size = sizeof(int);
        if (MacNative.SysctlByName(name, &value, ref size, null, 0) != 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError(), $"sysctlbyname({name}) failed.");
        }

        return value;
    }

    private static unsafe long SysctlInt64(string name)
    {
        long value = 0;
        nuint size = sizeof(long);
        if (MacNative.SysctlByName(name, &value, ref size, null, 0) != 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError(), $"sysctlbyname({name}) failed.");
        }

        return value;
    }
}
