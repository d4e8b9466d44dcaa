using System.Runtime.InteropServices;

namespace XSystem.Ipc.Internal;

/// <summary>Signals to Unix process groups and the Windows job object that ties children to the manager.</summary>
internal static partial class NativeProcess
{
    public const int SigKill = 9;
    public const int SigTerm = 15;

    /// <summary>Sends <paramref name="signal"/> to every process of the group <paramref name="groupId"/>; false if the group is gone.</summary>
    public static bool SignalGroup(int groupId, int signal) => Unix.kill(-groupId, signal) == 0;

    /// <summary>Sends <paramref name="signal"/> to one process; false if it is gone.</summary>
    public static bool Signal(int processId, int signal) => Unix.kill(processId, signal) == 0;

    /// <summary>Whether any process of the group is still alive (zombies count).</summary>
    public static bool GroupExists(int groupId) => Unix.kill(-groupId, 0) == 0;

    private static class Unix
    {
        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern int kill(int pid, int sig);
    }
}

/// <summary>
/// A Windows job object with JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE: every process assigned to it dies when the last handle
/// closes, which happens when the manager process exits for any reason. Compiles everywhere; used only on Windows.
/// </summary>
internal sealed class WindowsJob : IDisposable
{
    private const int JobObjectExtendedLimitInformation = 9;
    private const uint KillOnJobClose = 0x2000;

    private readonly IntPtr _handle;

    public WindowsJob()
    {
        _handle = Win32.CreateJobObjectW(IntPtr.Zero, null);
        if (_handle == IntPtr.Zero)
        {
            throw new IOException("CreateJobObject failed with error " + Marshal.GetLastPInvokeError());
        }

        var info = new ExtendedLimitInformation { BasicLimitInformation = new BasicLimitInformation { LimitFlags = KillOnJobClose } };
        if (!Win32.SetInformationJobObject(_handle, JobObjectExtendedLimitInformation, ref info, (uint)Marshal.SizeOf<ExtendedLimitInformation>()))
        {
            int error = Marshal.GetLastPInvokeError();
            Win32.CloseHandle(_handle);
            throw new IOException("SetInformationJobObject failed with error " + error);
        }
    }

    public void Add(System.Diagnostics.Process process)
    {
        if (!Win32.AssignProcessToJobObject(_handle, process.Handle))
        {
            throw new IOException("AssignProcessToJobObject failed with error " + Marshal.GetLastPInvokeError());
        }
    }

    public void Dispose() => Win32.CloseHandle(_handle);

    [StructLayout(LayoutKind.Sequential)]
    private struct BasicLimitInformation
    {
        public long PerProcessUserTimeLimit;
        public long PerJobUserTimeLimit;
        public uint LimitFlags;
        public UIntPtr MinimumWorkingSetSize;
        public UIntPtr MaximumWorkingSetSize;
        public uint ActiveProcessLimit;
        public UIntPtr Affinity;
        public uint PriorityClass;
        public uint SchedulingClass;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct IoCounters
    {
        public ulong ReadOperationCount;
        public ulong WriteOperationCount;
        public ulong OtherOperationCount;
        public ulong ReadTransferCount;
        public ulong WriteTransferCount;
        public ulong OtherTransferCount;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct ExtendedLimitInformation
    {
        public BasicLimitInformation BasicLimitInformation;
        public IoCounters IoInfo;
        public UIntPtr ProcessMemoryLimit;
        public UIntPtr JobMemoryLimit;
        public UIntPtr PeakProcessMemoryUsed;
        public UIntPtr PeakJobMemoryUsed;
    }

    private static class Win32
    {
        [DllImport("kernel32", SetLastError = true, CharSet = CharSet.Unicode)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
        internal static extern IntPtr CreateJobObjectW(IntPtr attributes, string? name);

        [DllImport("kernel32", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
        [return: MarshalAs(UnmanagedType.Bool)]
        internal static extern bool SetInformationJobObject(IntPtr job, int infoClass, ref ExtendedLimitInformation info, uint length);

        [DllImport("kernel32", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
        [return: MarshalAs(UnmanagedType.Bool)]
        internal static extern bool AssignProcessToJobObject(IntPtr job, IntPtr process);

        [DllImport("kernel32", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
        [return: MarshalAs(UnmanagedType.Bool)]
        internal static extern bool CloseHandle(IntPtr handle);
    }
}
