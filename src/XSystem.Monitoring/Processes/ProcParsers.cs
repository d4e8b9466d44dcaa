using System.Buffers.Text;
using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Text;

namespace XSystem.Monitoring;

/// <summary>The fields of /proc/&lt;pid&gt;/stat the process API uses (times in clock ticks).</summary>
internal readonly record struct StatFields(
    string Name,
    char State,
    int ParentPid,
    ulong UserTicks,
    ulong SystemTicks,
    ulong ChildrenUserTicks,
    ulong ChildrenSystemTicks,
    int Nice,
    int ThreadCount,
    ulong StartTicks,
    ulong VirtualBytes,
    long RssPages);

/// <summary>The fields of /proc/&lt;pid&gt;/statm, in pages.</summary>
internal readonly record struct StatmFields(long SizePages, long ResidentPages, long SharedPages, long TextPages, long DataPages);

/// <summary>
/// Parsers for the /proc files of a process. Each works on the raw bytes and returns false (or null) on input it
/// cannot make sense of, so a file truncated by a process that exited mid-read never yields garbage values.
/// </summary>
internal static class ProcParsers
{
    /// <summary>
    /// Parses /proc/&lt;pid&gt;/stat. The name (comm) is everything between the first '(' and the LAST ')', so names
    /// holding spaces and parentheses parse correctly.
    /// </summary>
    public static bool TryParseStat(ReadOnlySpan<byte> data, out StatFields fields)
    {
        fields = default;
        int open = data.IndexOf((byte)'(');
        int close = data.LastIndexOf((byte)')');
        if (open < 0 || close < open)
        {
            return false;
        }

        string name = Encoding.UTF8.GetString(data[(open + 1)..close]);
        ReadOnlySpan<byte> rest = data[(close + 1)..];

        // Field numbers as in proc(5): 3 state, 4 ppid, 14 utime, 15 stime, 16 cutime, 17 cstime, 19 nice,
        // 20 num_threads, 22 starttime, 23 vsize, 24 rss. 'rest' starts at field 3.
        char state = '?';
        long ppid = 0, nice = 0, threads = 0, rss = 0;
        ulong utime = 0, stime = 0, cutime = 0, cstime = 0, start = 0, vsize = 0;
        int field = 3;
        int seen = 0;
        while (field <= 24)
        {
            rest = rest.TrimStart((byte)' ');
            if (rest.IsEmpty)
            {
                break;
            }

            int end = rest.IndexOfAny((byte)' ', (byte)'\n');
            ReadOnlySpan<byte> token = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[end..];
            switch (field)
            {
                case 3:
                    state = (char)token[0];
                    break;
                case 4:
                    if (!TryLong(token, out ppid))
                    {
                        return false;
                    }

                    break;
                case 14:
                    if (!TryULong(token, out utime))
                    {
                        return false;
                    }

                    break;
                case 15:
                    if (!TryULong(token, out stime))
                    {
                        return false;
                    }

                    break;
                case 16:
                    // cutime/cstime are signed in the kernel; negative values never occur in practice.
                    if (!TryLong(token, out long cu))
                    {
                        return false;
                    }

                    cutime = (ulong)Math.Max(0, cu);
                    break;
                case 17:
                    if (!TryLong(token, out long cs))
                    {
                        return false;
                    }

                    cstime = (ulong)Math.Max(0, cs);
                    break;
                case 19:
                    if (!TryLong(token, out nice))
                    {
                        return false;
                    }

                    break;
                case 20:
                    if (!TryLong(token, out threads))
                    {
                        return false;
                    }

                    break;
                case 22:
                    if (!TryULong(token, out start))
                    {
                        return false;
                    }

                    break;
                case 23:
                    if (!TryULong(token, out vsize))
                    {
                        return false;
                    }

                    break;
                case 24:
                    if (!TryLong(token, out rss))
                    {
                        return false;
                    }

                    break;
                default:
                    break;
            }

            seen = field;
            field++;
        }

        if (seen < 24)
        {
            return false;
        }

        fields = new StatFields(name, state, (int)ppid, utime, stime, cutime, cstime, (int)nice, (int)threads, start, vsize, rss);
        return true;
    }

    /// <summary>Parses /proc/&lt;pid&gt;/statm (size resident shared text lib data dt, in pages).</summary>
    public static bool TryParseStatm(ReadOnlySpan<byte> data, out StatmFields fields)
    {
        fields = default;
        Span<long> values = stackalloc long[6];
        for (int i = 0; i < values.Length; i++)
        {
            data = data.TrimStart((byte)' ');
            int end = data.IndexOfAny((byte)' ', (byte)'\n');
            ReadOnlySpan<byte> token = end < 0 ? data : data[..end];
            if (!TryLong(token, out values[i]))
            {
                return false;
            }

            data = end < 0 ? [] : data[end..];
        }

        fields = new StatmFields(values[0], values[1], values[2], values[3], values[5]);
        return true;
    }

    /// <summary>Finds <c>Key:</c> at the start of a line and returns the first number after it.</summary>
    public static bool TryFindNumber(ReadOnlySpan<byte> data, ReadOnlySpan<byte> key, out long value)
    {
        value = 0;
        int at = 0;
        while (at < data.Length)
        {
            ReadOnlySpan<byte> line = data[at..];
            int newline = line.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                line = line[..newline];
            }

            if (line.StartsWith(key) && line.Length > key.Length && line[key.Length] == (byte)':')
            {
                ReadOnlySpan<byte> rest = line[(key.Length + 1)..].TrimStart(" \t"u8);
                int end = rest.IndexOfAny(" \t"u8);
                return TryLong(end < 0 ? rest : rest[..end], out value);
            }

            if (newline < 0)
            {
                break;
            }

            at += newline + 1;
        }

        return false;
    }

    /// <summary>The real user id from /proc/&lt;pid&gt;/status (<c>Uid:</c> real effective saved fs).</summary>
    public static bool TryParseStatusUid(ReadOnlySpan<byte> data, out int uid)
    {
        bool ok = TryFindNumber(data, "Uid"u8, out long value);
        uid = (int)value;
        return ok;
    }

    /// <summary>
    /// Splits /proc/&lt;pid&gt;/cmdline. Arguments are NUL-terminated; a process that rewrote its title without NULs
    /// (setproctitle) is split on spaces. Kernel threads and zombies have an empty command line.
    /// </summary>
    public static IReadOnlyList<string> ParseCmdline(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return [];
        }

        byte separator = data[^1] == 0 ? (byte)0 : data.Contains((byte)0) ? (byte)0 : (byte)' ';
        if (data[^1] == separator)
        {
            data = data[..^1];
        }

        var args = new List<string>();
        while (true)
        {
            int end = data.IndexOf(separator);
            if (end < 0)
            {
                args.Add(Encoding.UTF8.GetString(data));
                break;
            }

            args.Add(Encoding.UTF8.GetString(data[..end]));
            data = data[(end + 1)..];
        }

        // A title rewritten as one string padded with NULs ends in empty arguments; drop them.
        while (separator == 0 && args.Count > 1 && args[^1].Length == 0)
        {
            args.RemoveAt(args.Count - 1);
        }

        return args;
    }

    /// <summary>Parses /proc/&lt;pid&gt;/smaps_rollup into (uss, pss, swap) in bytes; null if a field is missing.</summary>
    public static (long Uss, long Pss, long Swap)? ParseSmapsRollup(ReadOnlySpan<byte> data)
    {
        if (!TryFindNumber(data, "Pss"u8, out long pss)
            || !TryFindNumber(data, "Private_Clean"u8, out long privateClean)
            || !TryFindNumber(data, "Private_Dirty"u8, out long privateDirty))
        {
            return null;
        }

        _ = TryFindNumber(data, "Swap"u8, out long swap);
        return ((privateClean + privateDirty) * 1024, pss * 1024, swap * 1024);
    }

    /// <summary>Parses /proc/&lt;pid&gt;/io.</summary>
    public static ProcessIoCounters? ParseIo(ReadOnlySpan<byte> data)
    {
        if (!TryFindNumber(data, "rchar"u8, out long rchar)
            || !TryFindNumber(data, "wchar"u8, out long wchar)
            || !TryFindNumber(data, "syscr"u8, out long syscr)
            || !TryFindNumber(data, "syscw"u8, out long syscw)
            || !TryFindNumber(data, "read_bytes"u8, out long readBytes)
            || !TryFindNumber(data, "write_bytes"u8, out long writeBytes))
        {
            return null;
        }

        return new ProcessIoCounters(syscr, syscw, readBytes, writeBytes, rchar, wchar);
    }

    /// <summary>The boot time (<c>btime</c>, seconds since the Unix epoch) from /proc/stat.</summary>
    public static bool TryParseBootTime(ReadOnlySpan<byte> data, out long unixSeconds) => TryFindNumberSpaced(data, "btime"u8, out unixSeconds);

    /// <summary>Maps the one-letter state of /proc/&lt;pid&gt;/stat.</summary>
    public static ProcessStatus StatusOf(char state) => state switch
    {
        'R' => ProcessStatus.Running,
        'S' => ProcessStatus.Sleeping,
        'D' => ProcessStatus.DiskSleep,
        'T' => ProcessStatus.Stopped,
        't' => ProcessStatus.TracingStop,
        'Z' => ProcessStatus.Zombie,
        'X' or 'x' => ProcessStatus.Dead,
        'K' => ProcessStatus.WakeKill,
        'W' => ProcessStatus.Waking,
        'P' => ProcessStatus.Parked,
        'I' => ProcessStatus.Idle,
        _ => ProcessStatus.Unknown,
    };

    private static bool TryFindNumberSpaced(ReadOnlySpan<byte> data, ReadOnlySpan<byte> key, out long value)
    {
        value = 0;
        while (!data.IsEmpty)
        {
            int newline = data.IndexOf((byte)'\n');
            ReadOnlySpan<byte> line = newline < 0 ? data : data[..newline];
            if (line.StartsWith(key) && line.Length > key.Length && line[key.Length] == (byte)' ')
            {
                return TryLong(line[(key.Length + 1)..].Trim((byte)' '), out value);
            }

            data = newline < 0 ? [] : data[(newline + 1)..];
        }

        return false;
    }

    private static bool TryLong(ReadOnlySpan<byte> token, out long value) =>
        Utf8Parser.TryParse(token, out value, out int consumed) && consumed == token.Length;

    private static bool TryULong(ReadOnlySpan<byte> token, out ulong value) =>
        Utf8Parser.TryParse(token, out value, out int consumed) && consumed == token.Length;
}
