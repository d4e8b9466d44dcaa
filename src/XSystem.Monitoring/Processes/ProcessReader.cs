using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace XSystem.Monitoring;

/// <summary>Reads and parses the /proc files of one process, turning failures into the public exceptions.</summary>
internal static class ProcessReader
{
    private static long _bootUnixSeconds = -1;

    /// <summary>Page size in bytes, for statm.</summary>
    public static readonly long PageSize = Environment.SystemPageSize;

    /// <summary>Boot time in seconds since the Unix epoch, from <c>btime</c> in /proc/stat (read once).</summary>
    public static long BootUnixSeconds
    {
        get
        {
            long value = Volatile.Read(ref _bootUnixSeconds);
            if (value >= 0)
            {
                return value;
            }

            byte[] buffer = ProcFiles.RentBuffer();
            try
            {
                if (ProcFiles.TryRead(0, "stat"u8, ref buffer, out int length) != ProcReadStatus.Ok
                    || !ProcParsers.TryParseBootTime(buffer.AsSpan(0, length), out value))
                {
                    throw new IOException("Could not read the boot time (btime) from /proc/stat; is /proc mounted?");
                }
            }
            finally
            {
                ProcFiles.ReturnBuffer(buffer);
            }

            Volatile.Write(ref _bootUnixSeconds, value);
            return value;
        }
    }

    /// <summary>The create time for a start time in clock ticks after boot.</summary>
    public static DateTimeOffset CreateTimeOf(ulong startTicks) =>
        DateTimeOffset.FromUnixTimeSeconds(BootUnixSeconds)
            .AddTicks((long)(startTicks * (ulong)TimeSpan.TicksPerSecond / (ulong)ProcessNative.ClockTicksPerSecond));

    /// <summary>Clock ticks to a time span.</summary>
    public static TimeSpan TicksToTime(ulong ticks) =>
        TimeSpan.FromTicks((long)(ticks * (ulong)TimeSpan.TicksPerSecond / (ulong)ProcessNative.ClockTicksPerSecond));

    /// <summary>Reads /proc/&lt;pid&gt;/stat; the status says whether the process is gone or hidden.</summary>
    public static ProcReadStatus TryReadStat(int pid, ref byte[] buffer, out StatFields stat)
    {
        stat = default;
        ProcReadStatus status = ProcFiles.TryRead(pid, "stat"u8, ref buffer, out int length);
        if (status != ProcReadStatus.Ok)
        {
            return status;
        }

        // An empty or cut-short file means the process exited while the kernel produced it.
        return ProcParsers.TryParseStat(buffer.AsSpan(0, length), out stat) ? ProcReadStatus.Ok : ProcReadStatus.NotFound;
    }

    /// <summary>Reads /proc/&lt;pid&gt;/stat or throws.</summary>
    public static StatFields ReadStat(int pid, ref byte[] buffer)
    {
        ProcReadStatus status = TryReadStat(pid, ref buffer, out StatFields stat);
        ThrowIfFailed(status, pid, "stat");
        return stat;
    }

    /// <summary>Reads a file of the process or throws.</summary>
    public static int ReadFile(int pid, ReadOnlySpan<byte> name, ref byte[] buffer)
    {
        ProcReadStatus status = ProcFiles.TryRead(pid, name, ref buffer, out int length);
        if (status != ProcReadStatus.Ok)
        {
            ThrowIfFailed(status, pid, System.Text.Encoding.ASCII.GetString(name));
        }

        return length;
    }

    /// <summary>Reads statm into a <see cref="ProcessMemory"/>, or null when the process vanished.</summary>
    public static ProcReadStatus TryReadMemory(int pid, ref byte[] buffer, out ProcessMemory? memory)
    {
        memory = null;
        ProcReadStatus status = ProcFiles.TryRead(pid, "statm"u8, ref buffer, out int length);
        if (status != ProcReadStatus.Ok)
        {
            return status;
        }

        if (!ProcParsers.TryParseStatm(buffer.AsSpan(0, length), out StatmFields statm))
        {
            return ProcReadStatus.NotFound;
        }

        memory = new ProcessMemory(statm.ResidentPages * PageSize, statm.SizePages * PageSize, statm.SharedPages * PageSize);
        return ProcReadStatus.Ok;
    }

    /// <summary>Adds USS, PSS and swap from smaps_rollup where readable; otherwise returns the memory unchanged.</summary>
    public static ProcReadStatus TryAddFootprint(int pid, ref byte[] buffer, ProcessMemory memory, out ProcessMemory result)
    {
        result = memory;
        ProcReadStatus status = ProcFiles.TryRead(pid, "smaps_rollup"u8, ref buffer, out int length);
        if (status != ProcReadStatus.Ok)
        {
            return status;
        }

        // Kernel threads have an empty smaps_rollup: no user memory, so no footprint.
        (long Uss, long Pss, long Swap)? footprint = ProcParsers.ParseSmapsRollup(buffer.AsSpan(0, length));
        if (footprint is { } f)
        {
            result = memory with { Uss = f.Uss, Pss = f.Pss, Swap = f.Swap };
        }

        return ProcReadStatus.Ok;
    }

    /// <summary>Reads the real uid from status.</summary>
    public static ProcReadStatus TryReadUid(int pid, ref byte[] buffer, out int uid)
    {
        uid = -1;
        ProcReadStatus status = ProcFiles.TryRead(pid, "status"u8, ref buffer, out int length);
        if (status != ProcReadStatus.Ok)
        {
            return status;
        }

        return ProcParsers.TryParseStatusUid(buffer.AsSpan(0, length), out uid) ? ProcReadStatus.Ok : ProcReadStatus.NotFound;
    }

    /// <summary>Reads the command line.</summary>
    public static ProcReadStatus TryReadCommandLine(int pid, ref byte[] buffer, out IReadOnlyList<string> commandLine)
    {
        commandLine = [];
        ProcReadStatus status = ProcFiles.TryRead(pid, "cmdline"u8, ref buffer, out int length);
        if (status == ProcReadStatus.Ok)
        {
            commandLine = ProcParsers.ParseCmdline(buffer.AsSpan(0, length));
        }

        return status;
    }

    /// <summary>
    /// The name psutil would report: the kernel keeps only 15 bytes of comm, so a 15-byte name is completed from
    /// the first argument when that starts with it.
    /// </summary>
    public static string FullName(string comm, IReadOnlyList<string> commandLine)
    {
        if (comm.Length < 15 || commandLine.Count == 0)
        {
            return comm;
        }

        string first = commandLine[0];
        int slash = first.LastIndexOf('/');
        string baseName = slash >= 0 ? first[(slash + 1)..] : first;
        return baseName.StartsWith(comm, StringComparison.Ordinal) ? baseName : comm;
    }

    /// <summary>Enumerates the numeric entries of /proc without allocating their names.</summary>
    public static List<int> Pids()
    {
        var pids = new List<int>(256);
        var options = new EnumerationOptions { RecurseSubdirectories = false, IgnoreInaccessible = true, AttributesToSkip = 0 };
        var entries = new System.IO.Enumeration.FileSystemEnumerable<int>(
            "/proc",
            static (ref System.IO.Enumeration.FileSystemEntry entry) =>
                int.Parse(entry.FileName, NumberStyles.None, CultureInfo.InvariantCulture),
            options)
        {
            ShouldIncludePredicate = static (ref System.IO.Enumeration.FileSystemEntry entry) => IsPid(entry.FileName),
        };
        foreach (int pid in entries)
        {
            pids.Add(pid);
        }

        pids.Sort();
        return pids;
    }

    private static bool IsPid(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty || name.Length > 10)
        {
            return false;
        }

        foreach (char c in name)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && pid > 0;
    }

    /// <summary>Throws the public exception for a failed read.</summary>
    public static void ThrowIfFailed(ProcReadStatus status, int pid, string file)
    {
        switch (status)
        {
            case ProcReadStatus.Ok:
                return;
            case ProcReadStatus.AccessDenied:
                ThrowDenied(pid, string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/{file}"));
                break;
            default:
                ThrowGone(pid);
                break;
        }
    }

    [DoesNotReturn]
    public static void ThrowGone(int pid, string? reason = null) => throw new ProcessGoneException(pid, reason);

    [DoesNotReturn]
    public static void ThrowDenied(int pid, string what) => throw new AccessDeniedException(pid, what);

    /// <summary>Throws <see cref="PlatformNotSupportedException"/> off Linux.</summary>
    public static void EnsureSupported(string member)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException(ProcessMessages.NotSupported(member));
        }
    }
}
