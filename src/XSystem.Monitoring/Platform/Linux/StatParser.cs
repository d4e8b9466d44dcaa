using XSystem.Monitoring.Internal;

namespace XSystem.Monitoring.Platform.Linux;

/// <summary>Pure parsers for /proc/stat, /proc/loadavg and /proc/uptime.</summary>
internal static class StatParser
{
    /// <summary>Parses the aggregate <c>cpu</c> line and the <c>cpuN</c> lines of /proc/stat.</summary>
    /// <param name="text">The file's text.</param>
    /// <param name="ticksPerSecond">USER_HZ (<c>sysconf(_SC_CLK_TCK)</c>, almost always 100).</param>
    /// <returns>The total (null when the line is missing) and the per-CPU times in file order.</returns>
    public static (CpuTimeInfo? Total, List<CpuTimeInfo> PerCpu) ParseCpuTimes(ReadOnlySpan<char> text, long ticksPerSecond)
    {
        CpuTimeInfo? total = null;
        var perCpu = new List<CpuTimeInfo>();
        while (SpanText.TryReadLine(ref text, out ReadOnlySpan<char> line))
        {
            if (!line.StartsWith("cpu", StringComparison.Ordinal))
            {
                continue;
            }

            ReadOnlySpan<char> rest = line;
            ReadOnlySpan<char> name = SpanText.NextField(ref rest);
            CpuTimeInfo times = ParseCpuFields(rest, ticksPerSecond);
            if (name.Length == 3)
            {
                total = times;
            }
            else
            {
                perCpu.Add(times);
            }
        }

        return (total, perCpu);
    }

    /// <summary>Parses only the aggregate <c>cpu</c> line (the first line); null when it is missing.</summary>
    public static CpuTimeInfo? ParseTotalCpuTimes(ReadOnlySpan<char> text, long ticksPerSecond)
    {
        while (SpanText.TryReadLine(ref text, out ReadOnlySpan<char> line))
        {
            ReadOnlySpan<char> rest = line;
            if (SpanText.NextField(ref rest).Equals("cpu", StringComparison.Ordinal))
            {
                return ParseCpuFields(rest, ticksPerSecond);
            }
        }

        return null;
    }

    private static CpuTimeInfo ParseCpuFields(ReadOnlySpan<char> rest, long ticksPerSecond)
    {
        Span<long> v = stackalloc long[10];
        for (int i = 0; i < v.Length; i++)
        {
            v[i] = SpanText.ToCounter(SpanText.NextField(ref rest));
        }

        // Older kernels have fewer columns; missing ones stay 0.
        return new CpuTimeInfo(T(v[0]), T(v[1]), T(v[2]), T(v[3]), T(v[4]), T(v[5]), T(v[6]), T(v[7]), T(v[8]), T(v[9]));

        TimeSpan T(long ticks) => TimeSpan.FromTicks(ticks * (TimeSpan.TicksPerSecond / Math.Max(1, ticksPerSecond)));
    }

    /// <summary>Reads <c>btime</c> (boot time, Unix seconds) from /proc/stat; null when missing.</summary>
    public static long? ParseBootTime(ReadOnlySpan<char> text)
    {
        while (SpanText.TryReadLine(ref text, out ReadOnlySpan<char> line))
        {
            ReadOnlySpan<char> rest = line;
            if (SpanText.NextField(ref rest).Equals("btime", StringComparison.Ordinal))
            {
                long value = SpanText.ToCounter(SpanText.NextField(ref rest));
                return value > 0 ? value : null;
            }
        }

        return null;
    }

    /// <summary>Parses /proc/loadavg (<c>0.66 1.82 2.39 1/86 3036</c>); null when it has fewer than three numbers.</summary>
    public static LoadAverageInfo? ParseLoadAverage(ReadOnlySpan<char> text)
    {
        ReadOnlySpan<char> one = SpanText.NextField(ref text);
        ReadOnlySpan<char> five = SpanText.NextField(ref text);
        ReadOnlySpan<char> fifteen = SpanText.NextField(ref text);
        if (fifteen.IsEmpty)
        {
            return null;
        }

        return new LoadAverageInfo(SpanText.ToDouble(one), SpanText.ToDouble(five), SpanText.ToDouble(fifteen));
    }

    /// <summary>Parses the first number of /proc/uptime (seconds since boot); null when missing.</summary>
    public static TimeSpan? ParseUptime(ReadOnlySpan<char> text)
    {
        ReadOnlySpan<char> first = SpanText.NextField(ref text);
        return first.IsEmpty ? null : TimeSpan.FromSeconds(SpanText.ToDouble(first));
    }
}
