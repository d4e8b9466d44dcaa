using System.Runtime.InteropServices;

namespace XSystem.Monitoring;

/// <summary>The few libc calls the process API needs on Linux: raw file reads of /proc, readlink, kill, sysconf.</summary>
internal static partial class ProcessNative
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int ESRCH = 3;
    public const int EINTR = 4;
    public const int EACCES = 13;
    public const int EINVAL = 22;

    public const int SIGKILL = 9;
    public const int SIGTERM = 15;
    public const int SIGCONT = 18;
    public const int SIGSTOP = 19;

    public const int ORdOnly = 0;
    public const int OCloExec = 0x80000;

    private const int ScClkTck = 2;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true)]
    public static unsafe partial int Open(byte* path, int flags);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    public static unsafe partial nint Read(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "readlink", SetLastError = true)]
    public static unsafe partial nint ReadLink(byte* path, byte* buffer, nint size);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "sysconf", SetLastError = true)]
    private static partial long SysConf(int name);

    /// <summary>Clock ticks per second of the times in /proc/&lt;pid&gt;/stat (USER_HZ, 100 on every mainstream kernel).</summary>
    public static readonly long ClockTicksPerSecond = ReadClockTicks();

    private static long ReadClockTicks()
    {
        if (!OperatingSystem.IsLinux())
        {
            return 100;
        }

        long ticks = SysConf(ScClkTck);
        return ticks > 0 ? ticks : 100;
    }
}
