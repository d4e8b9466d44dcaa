using XSystem.Monitoring.Internal;

namespace XSystem.Monitoring.Platform.Linux;

/// <summary>Pure parsers for /proc/diskstats and /proc/net/dev.</summary>
internal static class CountersParser
{
    /// <summary>Bytes per sector in /proc/diskstats: the kernel always counts 512-byte units there.</summary>
    public const int SectorSize = 512;

    /// <summary>Parses /proc/diskstats (kernel 2.6+: major, minor, name, then 11 or more counters) into per-device counters in file order.</summary>
    public static List<KeyValuePair<string, DiskIoCounters>> ParseDiskStats(ReadOnlySpan<char> text)
    {
        var result = new List<KeyValuePair<string, DiskIoCounters>>();
        Span<long> v = stackalloc long[11];
        while (SpanText.TryReadLine(ref text, out ReadOnlySpan<char> line))
        {
            ReadOnlySpan<char> rest = line;
            SpanText.NextField(ref rest); // major
            SpanText.NextField(ref rest); // minor
            ReadOnlySpan<char> name = SpanText.NextField(ref rest);
            if (name.IsEmpty)
            {
                continue;
            }

            int count = 0;
            for (; count < v.Length; count++)
            {
                ReadOnlySpan<char> field = SpanText.NextField(ref rest);
                if (field.IsEmpty)
                {
                    break;
                }

                v[count] = SpanText.ToCounter(field);
            }

            if (count < 11)
            {
                continue; // 2.6 partition lines with 4 counters carry too little to report
            }

            // reads, reads merged, sectors read, ms reading, writes, writes merged, sectors written, ms writing, in flight, ms busy, weighted ms
            result.Add(new(name.ToString(), new DiskIoCounters(
                ReadCount: v[0], WriteCount: v[4], ReadBytes: v[2] * SectorSize, WriteBytes: v[6] * SectorSize,
                ReadTime: TimeSpan.FromMilliseconds(v[3]), WriteTime: TimeSpan.FromMilliseconds(v[7]), BusyTime: TimeSpan.FromMilliseconds(v[9]),
                ReadMergedCount: v[1], WriteMergedCount: v[5])));
        }

        return result;
    }

    /// <summary>Adds counters field by field.</summary>
    public static DiskIoCounters Sum(IEnumerable<DiskIoCounters> items)
    {
        long rc = 0, wc = 0, rb = 0, wb = 0, rm = 0, wm = 0;
        TimeSpan rt = TimeSpan.Zero, wt = TimeSpan.Zero, bt = TimeSpan.Zero;
        foreach (DiskIoCounters c in items)
        {
            rc += c.ReadCount; wc += c.WriteCount; rb += c.ReadBytes; wb += c.WriteBytes;
            rt += c.ReadTime; wt += c.WriteTime; bt += c.BusyTime; rm += c.ReadMergedCount; wm += c.WriteMergedCount;
        }

        return new DiskIoCounters(rc, wc, rb, wb, rt, wt, bt, rm, wm);
    }

    /// <summary>
    /// Parses /proc/net/dev: two header lines, then <c>name: 8 receive counters, 8 transmit counters</c>. The name may hold dots
    /// and dashes (<c>eth0.100</c>, <c>br-1a2b</c>) and old kernels glue the first number to the colon (<c>eth0:123</c>).
    /// </summary>
    public static List<KeyValuePair<string, NetworkIoCounters>> ParseNetDev(ReadOnlySpan<char> text)
    {
        var result = new List<KeyValuePair<string, NetworkIoCounters>>();
        Span<long> v = stackalloc long[16];
        while (SpanText.TryReadLine(ref text, out ReadOnlySpan<char> line))
        {
            int colon = line.IndexOf(':');
            if (colon < 0)
            {
                continue; // header lines
            }

            ReadOnlySpan<char> name = line[..colon].Trim();
            if (name.IsEmpty || name.Contains('|'))
            {
                continue;
            }

            ReadOnlySpan<char> rest = line[(colon + 1)..];
            int count = 0;
            for (; count < v.Length; count++)
            {
                ReadOnlySpan<char> field = SpanText.NextField(ref rest);
                if (field.IsEmpty)
                {
                    break;
                }

                v[count] = SpanText.ToCounter(field);
            }

            if (count < 16)
            {
                continue;
            }

            // receive: bytes packets errs drop fifo frame compressed multicast; transmit: bytes packets errs drop fifo colls carrier compressed
            result.Add(new(name.ToString(), new NetworkIoCounters(
                BytesSent: v[8], BytesReceived: v[0], PacketsSent: v[9], PacketsReceived: v[1],
                ErrorsIn: v[2], ErrorsOut: v[10], DropsIn: v[3], DropsOut: v[11])));
        }

        return result;
    }

    /// <summary>Adds counters field by field.</summary>
    public static NetworkIoCounters Sum(IEnumerable<NetworkIoCounters> items)
    {
        long bs = 0, br = 0, ps = 0, pr = 0, ei = 0, eo = 0, di = 0, dout = 0;
        foreach (NetworkIoCounters c in items)
        {
            bs += c.BytesSent; br += c.BytesReceived; ps += c.PacketsSent; pr += c.PacketsReceived;
            ei += c.ErrorsIn; eo += c.ErrorsOut; di += c.DropsIn; dout += c.DropsOut;
        }

        return new NetworkIoCounters(bs, br, ps, pr, ei, eo, di, dout);
    }

    /// <summary>Parses /sys/class/net/NAME/flags (<c>0x1003</c>); -1 when malformed.</summary>
    public static long ParseInterfaceFlags(ReadOnlySpan<char> text)
    {
        text = text.Trim();
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            text = text[2..];
        }

        return SpanText.TryHex(text, out ulong value) ? (long)value : -1;
    }
}
