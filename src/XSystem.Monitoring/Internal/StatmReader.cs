namespace XSystem.Monitoring.Internal;

/// <summary>Reads a process's resident set size from /proc/PID/statm (second field, in pages).</summary>
internal static class StatmReader
{
    /// <summary>Parses statm text (<c>size resident shared text lib data dt</c>, pages) into resident bytes; null when malformed.</summary>
    public static long? ParseResidentBytes(ReadOnlySpan<char> text, long pageSize)
    {
        ReadOnlySpan<char> size = SpanText.NextField(ref text);
        ReadOnlySpan<char> resident = SpanText.NextField(ref text);
        if (size.IsEmpty || resident.IsEmpty || !long.TryParse(resident, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long pages))
        {
            return null;
        }

        return pages * pageSize;
    }

    /// <summary>Resident bytes of <paramref name="pid"/>, or null when the process does not exist (or exited) or is unreadable.</summary>
    public static long? ResidentBytes(int pid) =>
        ProcFs.TryParse("/proc/" + pid.ToString(System.Globalization.CultureInfo.InvariantCulture) + "/statm", (long)Environment.SystemPageSize,
            static (t, page) => ParseResidentBytes(t, page), out long? rss) ? rss : null;
}
