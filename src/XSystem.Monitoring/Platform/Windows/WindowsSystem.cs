using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace XSystem.Monitoring.Platform.Windows;

/// <summary>Windows implementation of the members <see cref="SystemInfo"/> supports there (kernel32 through LibraryImport).</summary>
[SupportedOSPlatform("windows")]
internal static class WindowsSystem
{
    public static int LogicalCpuCount()
    {
        uint count = Kernel32.GetActiveProcessorCount(Kernel32.AllProcessorGroups);
        return count > 0 ? (int)count : Environment.ProcessorCount;
    }

    public static unsafe int PhysicalCpuCount()
    {
        uint length = 0;
        Kernel32.GetLogicalProcessorInformationEx(Kernel32.RelationProcessorCore, null, ref length);
        if (length == 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError(), "GetLogicalProcessorInformationEx failed to report its buffer size.");
        }

        byte[] buffer = new byte[length];
        fixed (byte* p = buffer)
        {
            if (!Kernel32.GetLogicalProcessorInformationEx(Kernel32.RelationProcessorCore, p, ref length))
            {
                throw new Win32Exception(Marshal.GetLastPInvokeError(), "GetLogicalProcessorInformationEx failed.");
            }
        }

        // SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX records: Relationship (int32) then Size (uint32) of the record.
        int cores = 0;
        for (int offset = 0; offset + 8 <= length;)
        {
            int size = BitConverter.ToInt32(buffer, offset + 4);
            if (size <= 0)
            {
                break;
            }

            cores++;
            offset += size;
        }

        return cores;
    }

    public static CpuTimeInfo CpuTimes()
    {
        if (!Kernel32.GetSystemTimes(out long idle, out long kernel, out long user))
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError(), "GetSystemTimes failed.");
        }

        // FILETIME units are 100 ns, the same as TimeSpan ticks; kernel time includes idle time.
        TimeSpan zero = TimeSpan.Zero;
        return new CpuTimeInfo(TimeSpan.FromTicks(user), zero, TimeSpan.FromTicks(kernel - idle), TimeSpan.FromTicks(idle), zero, zero, zero, zero, zero, zero);
    }

    public static MemoryInfo Memory()
    {
        var status = new Kernel32.MemoryStatusEx { Length = (uint)Marshal.SizeOf<Kernel32.MemoryStatusEx>() };
        if (!Kernel32.GlobalMemoryStatusEx(ref status))
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError(), "GlobalMemoryStatusEx failed.");
        }

        long total = (long)status.TotalPhys;
        long available = (long)status.AvailPhys;
        long used = total - available;
        double percent = total > 0 ? Math.Round(used * 100.0 / total, 1) : 0;
        return new MemoryInfo(total, available, used, available, percent, 0, 0, 0, 0, 0);
    }

    public static DateTimeOffset BootTime(TimeProvider time) =>
        time.GetUtcNow() - TimeSpan.FromMilliseconds(Environment.TickCount64);
}
