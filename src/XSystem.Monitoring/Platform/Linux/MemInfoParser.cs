using XSystem.Monitoring.Internal;

namespace XSystem.Monitoring.Platform.Linux;

/// <summary>The /proc/meminfo fields XSystem uses, in bytes; a missing field is 0 and <see cref="HasMemAvailable"/> tells whether MemAvailable was present.</summary>
internal struct MemInfoFields
{
    public long MemTotal;
    public long MemFree;
    public long MemAvailable;
    public bool HasMemAvailable;
    public long Buffers;
    public long Cached;
    public long SReclaimable;
    public long Shmem;
    public long Active;
    public long Inactive;
    public long ActiveFile;
    public long InactiveFile;
    public bool HasActiveFile;
    public bool HasInactiveFile;
    public bool HasSReclaimable;
    public long SwapTotal;
    public long SwapFree;
}

/// <summary>Pure parsers for /proc/meminfo, /proc/zoneinfo and /proc/vmstat.</summary>
internal static class MemInfoParser
{
    /// <summary>Parses /proc/meminfo (<c>Name:   value kB</c> lines); unknown lines and malformed values are skipped.</summary>
    public static MemInfoFields Parse(ReadOnlySpan<char> text)
    {
        var f = default(MemInfoFields);
        while (SpanText.TryReadLine(ref text, out ReadOnlySpan<char> line))
        {
            int colon = line.IndexOf(':');
            if (colon <= 0)
            {
                continue;
            }

            ReadOnlySpan<char> name = line[..colon];
            ReadOnlySpan<char> rest = line[(colon + 1)..];
            ReadOnlySpan<char> number = SpanText.NextField(ref rest);
            ReadOnlySpan<char> unit = SpanText.NextField(ref rest);
            long value = SpanText.ToCounter(number);
            if (unit.Equals("kB", StringComparison.Ordinal))
            {
                value = value > long.MaxValue / 1024 ? long.MaxValue : value * 1024;
            }

            switch (name)
            {
                case "MemTotal": f.MemTotal = value; break;
                case "MemFree": f.MemFree = value; break;
                case "MemAvailable": f.MemAvailable = value; f.HasMemAvailable = true; break;
                case "Buffers": f.Buffers = value; break;
                case "Cached": f.Cached = value; break;
                case "SReclaimable": f.SReclaimable = value; f.HasSReclaimable = true; break;
                case "Shmem": f.Shmem = value; break;
                case "Active": f.Active = value; break;
                case "Inactive": f.Inactive = value; break;
                case "Active(file)": f.ActiveFile = value; f.HasActiveFile = true; break;
                case "Inactive(file)": f.InactiveFile = value; f.HasInactiveFile = true; break;
                case "SwapTotal": f.SwapTotal = value; break;
                case "SwapFree": f.SwapFree = value; break;
                default: break;
            }
        }

        return f;
    }

    /// <summary>Sums the <c>low</c> watermarks (in pages) of every zone in /proc/zoneinfo.</summary>
    public static long SumLowWatermarkPages(ReadOnlySpan<char> text)
    {
        long sum = 0;
        while (SpanText.TryReadLine(ref text, out ReadOnlySpan<char> line))
        {
            ReadOnlySpan<char> rest = line;
            ReadOnlySpan<char> key = SpanText.NextField(ref rest);
            if (key.Equals("low", StringComparison.Ordinal))
            {
                sum += SpanText.ToCounter(SpanText.NextField(ref rest));
            }
        }

        return sum;
    }

    /// <summary>Reads <c>pswpin</c> and <c>pswpout</c> (pages) from /proc/vmstat; 0 when absent.</summary>
    public static (long PagesIn, long PagesOut) ParseSwapPages(ReadOnlySpan<char> text)
    {
        long pagesIn = 0, pagesOut = 0;
        while (SpanText.TryReadLine(ref text, out ReadOnlySpan<char> line))
        {
            ReadOnlySpan<char> rest = line;
            ReadOnlySpan<char> key = SpanText.NextField(ref rest);
            if (key.Equals("pswpin", StringComparison.Ordinal))
            {
                pagesIn = SpanText.ToCounter(SpanText.NextField(ref rest));
            }
            else if (key.Equals("pswpout", StringComparison.Ordinal))
            {
                pagesOut = SpanText.ToCounter(SpanText.NextField(ref rest));
            }
        }

        return (pagesIn, pagesOut);
    }

    /// <summary>
    /// Memory available without swapping. Uses MemAvailable when the kernel reports it (3.14+); otherwise estimates it the
    /// way the kernel (and psutil) does: free memory above the low watermark, plus the page cache and reclaimable slab
    /// each less the smaller of half of it and the low watermark. Without the LRU or slab fields, or without zoneinfo
    /// (<paramref name="lowWatermarkBytes"/> null), falls back to <c>MemFree + Cached</c>.
    /// </summary>
    public static long Available(in MemInfoFields f, long? lowWatermarkBytes)
    {
        if (f.HasMemAvailable)
        {
            return f.MemAvailable;
        }

        long fallback = f.MemFree + f.Cached;
        if (!f.HasActiveFile || !f.HasInactiveFile || !f.HasSReclaimable || lowWatermarkBytes is not long low)
        {
            return Math.Min(fallback, f.MemTotal);
        }

        double available = f.MemFree - low;
        double pageCache = f.ActiveFile + f.InactiveFile;
        pageCache -= Math.Min(pageCache / 2, low);
        available += pageCache;
        available += f.SReclaimable - Math.Min(f.SReclaimable / 2.0, low);
        return Math.Clamp((long)available, 0, f.MemTotal);
    }

    /// <summary>Builds the public <see cref="MemoryInfo"/> from parsed fields.</summary>
    public static MemoryInfo ToMemoryInfo(in MemInfoFields f, long? lowWatermarkBytes)
    {
        long available = Available(f, lowWatermarkBytes);
        long used = Math.Max(0, f.MemTotal - available);
        double percent = f.MemTotal > 0 ? Math.Round(used * 100.0 / f.MemTotal, 1) : 0;
        return new MemoryInfo(f.MemTotal, available, used, f.MemFree, percent, f.Buffers, f.Cached + f.SReclaimable, f.Shmem, f.Active, f.Inactive);
    }

    /// <summary>Builds the public <see cref="SwapInfo"/>; swap counters are pages multiplied by <paramref name="pageSize"/>.</summary>
    public static SwapInfo ToSwapInfo(in MemInfoFields f, long pagesIn, long pagesOut, long pageSize)
    {
        long used = Math.Max(0, f.SwapTotal - f.SwapFree);
        double percent = f.SwapTotal > 0 ? Math.Round(used * 100.0 / f.SwapTotal, 1) : 0;
        return new SwapInfo(f.SwapTotal, used, f.SwapFree, percent, pagesIn * pageSize, pagesOut * pageSize);
    }
}
