using System.Globalization;
using System.Numerics;
using System.Text;

namespace XSystem.Serialization.Internal;

/// <summary>
/// Builds the values of the allow-listed <c>datetime</c> types from their pickled arguments: the compact byte state CPython
/// writes (<c>datetime(b'\x07\xe8...', tz)</c>) or the plain constructor arguments. Returns null and an error on bad input.
/// </summary>
internal static class PickleDates
{
    private const long MicrosecondsPerDay = 86_400_000_000L;

    public static object? DateTimeFrom(object?[] args, out string? error)
    {
        error = null;
        object? tz;
        int year, month, day, hour = 0, minute = 0, second = 0, microsecond = 0;
        if (args.Length is 1 or 2 && TryState(args[0], 10, out byte[] state))
        {
            year = (state[0] << 8) | state[1];
            month = state[2] & 0x7F; // the high bit is PEP 495's fold
            day = state[3];
            hour = state[4];
            minute = state[5];
            second = state[6];
            microsecond = (state[7] << 16) | (state[8] << 8) | state[9];
            tz = args.Length == 2 ? args[1] : null;
        }
        else if (args.Length is >= 3 and <= 8 && TryInts(args, Math.Min(args.Length, 7), out int[] parts))
        {
            (year, month, day) = (parts[0], parts[1], parts[2]);
            hour = parts.Length > 3 ? parts[3] : 0;
            minute = parts.Length > 4 ? parts[4] : 0;
            second = parts.Length > 5 ? parts[5] : 0;
            microsecond = parts.Length > 6 ? parts[6] : 0;
            tz = args.Length == 8 ? args[7] : null;
        }
        else
        {
            error = "datetime.datetime is called with arguments this reader does not accept";
            return null;
        }

        if (!TryDateTime(year, month, day, hour, minute, second, microsecond, out DateTime value))
        {
            error = "datetime.datetime holds an invalid date or time";
            return null;
        }

        switch (tz)
        {
            case null:
                return value;
            case PyTimezone zone:
                if (zone.Offset.Ticks % TimeSpan.TicksPerMinute != 0 || zone.Offset.Duration() > TimeSpan.FromHours(14))
                {
                    error = $"a datetime's UTC offset {zone.Offset} is not whole minutes within ±14 hours, which DateTimeOffset requires";
                    return null;
                }

                return new DateTimeOffset(value, zone.Offset);
            default:
                error = "a datetime's tzinfo must be a fixed-offset datetime.timezone";
                return null;
        }
    }

    public static object? DateFrom(object?[] args, out string? error)
    {
        error = null;
        int year, month, day;
        if (args.Length == 1 && TryState(args[0], 4, out byte[] state))
        {
            (year, month, day) = ((state[0] << 8) | state[1], state[2], state[3]);
        }
        else if (args.Length == 3 && TryInts(args, 3, out int[] parts))
        {
            (year, month, day) = (parts[0], parts[1], parts[2]);
        }
        else
        {
            error = "datetime.date is called with arguments this reader does not accept";
            return null;
        }

        if (year is < 1 or > 9999 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Clamp(year, 1, 9999), Math.Clamp(month, 1, 12)))
        {
            error = "datetime.date holds an invalid date";
            return null;
        }

        return new DateOnly(year, month, day);
    }

    public static object? TimeFrom(object?[] args, out string? error)
    {
        error = null;
        object? tz = null;
        int hour, minute = 0, second = 0, microsecond = 0;
        if (args.Length is 1 or 2 && TryState(args[0], 6, out byte[] state))
        {
            hour = state[0] & 0x7F; // the high bit is PEP 495's fold
            minute = state[1];
            second = state[2];
            microsecond = (state[3] << 16) | (state[4] << 8) | state[5];
            tz = args.Length == 2 ? args[1] : null;
        }
        else if (args.Length is >= 0 and <= 5 && TryInts(args, Math.Min(args.Length, 4), out int[] parts))
        {
            hour = parts.Length > 0 ? parts[0] : 0;
            minute = parts.Length > 1 ? parts[1] : 0;
            second = parts.Length > 2 ? parts[2] : 0;
            microsecond = parts.Length > 3 ? parts[3] : 0;
            tz = args.Length == 5 ? args[4] : null;
        }
        else
        {
            error = "datetime.time is called with arguments this reader does not accept";
            return null;
        }

        if (hour is < 0 or > 23 || minute is < 0 or > 59 || second is < 0 or > 59 || microsecond is < 0 or > 999_999)
        {
            error = "datetime.time holds an invalid time";
            return null;
        }

        var time = new TimeOnly(hour, minute, second).Add(TimeSpan.FromTicks(microsecond * 10L));
        switch (tz)
        {
            case null:
                return time;
            case PyTimezone zone:
                // TimeOnly has no offset: an aware time becomes its ISO 8601 text, as Python's isoformat() writes it.
                return IsoTime(time) + IsoOffset(zone.Offset);
            default:
                error = "a time's tzinfo must be a fixed-offset datetime.timezone";
                return null;
        }
    }

    public static object? TimeDeltaFrom(object?[] args, out string? error)
    {
        error = null;
        if (args.Length > 3)
        {
            error = "datetime.timedelta is called with more than three arguments";
            return null;
        }

        BigInteger total = 0;
        long[] scale = [MicrosecondsPerDay, 1_000_000, 1];
        for (int i = 0; i < args.Length; i++)
        {
            BigInteger part = args[i] switch
            {
                long l => l,
                BigInteger b => b,
                _ => BigInteger.MinusOne * BigInteger.Pow(10, 40),
            };
            if (BigInteger.Abs(part) > BigInteger.Pow(10, 30))
            {
                error = "datetime.timedelta needs integer days, seconds and microseconds within Python's range";
                return null;
            }

            total += part * scale[i];
        }

        if (BigInteger.Abs(total) > new BigInteger(999_999_999L + 1) * MicrosecondsPerDay)
        {
            error = "datetime.timedelta is beyond Python's range of ±999,999,999 days";
            return null;
        }

        if (total >= TimeSpan.MinValue.Ticks / 10 && total <= TimeSpan.MaxValue.Ticks / 10)
        {
            return TimeSpan.FromTicks((long)total * 10);
        }

        return IsoDuration(total);
    }

    public static object? TimeZoneFrom(object?[] args, out string? error)
    {
        error = null;
        if (args.Length is 1 or 2 && args[0] is TimeSpan offset && (args.Length == 1 || args[1] is string))
        {
            if (offset.Duration() >= TimeSpan.FromHours(24))
            {
                error = "datetime.timezone's offset must be within ±24 hours";
                return null;
            }

            // The zone's name (the second argument) is not kept: the tree holds the offset only.
            return new PyTimezone(offset);
        }

        error = "datetime.timezone is called with arguments this reader does not accept (a timedelta offset and an optional name)";
        return null;
    }

    /// <summary>An ISO 8601 duration for a timedelta beyond <see cref="TimeSpan"/>: <c>P{d}DT{h}H{m}M{s}.{ffffff}S</c>, signed.</summary>
    private static string IsoDuration(BigInteger microseconds)
    {
        var text = new StringBuilder();
        if (microseconds < 0)
        {
            text.Append('-');
            microseconds = -microseconds;
        }

        BigInteger days = BigInteger.DivRem(microseconds, MicrosecondsPerDay, out BigInteger rest);
        long r = (long)rest;
        text.Append(CultureInfo.InvariantCulture, $"P{days}DT{r / 3_600_000_000L}H{r / 60_000_000L % 60}M{r / 1_000_000L % 60}.{r % 1_000_000L:000000}S");
        return text.ToString();
    }

    /// <summary>The time as Python's <c>isoformat()</c> writes it: microseconds only when not zero.</summary>
    public static string IsoTime(TimeOnly time)
    {
        int microsecond = (int)(time.Ticks % TimeSpan.TicksPerSecond / 10);
        return microsecond == 0
            ? time.ToString("HH':'mm':'ss", CultureInfo.InvariantCulture)
            : time.ToString("HH':'mm':'ss", CultureInfo.InvariantCulture) + "." + microsecond.ToString("000000", CultureInfo.InvariantCulture);
    }

    private static string IsoOffset(TimeSpan offset)
    {
        char sign = offset < TimeSpan.Zero ? '-' : '+';
        TimeSpan magnitude = offset.Duration();
        string text = string.Create(CultureInfo.InvariantCulture, $"{sign}{magnitude.Hours:00}:{magnitude.Minutes:00}");
        if (magnitude.Seconds != 0 || magnitude.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            text += string.Create(CultureInfo.InvariantCulture, $":{magnitude.Seconds:00}");
            long micro = magnitude.Ticks % TimeSpan.TicksPerSecond / 10;
            if (micro != 0)
            {
                text += "." + micro.ToString("000000", CultureInfo.InvariantCulture);
            }
        }

        return text;
    }

    private static bool TryDateTime(int year, int month, int day, int hour, int minute, int second, int microsecond, out DateTime value)
    {
        value = default;
        if (year is < 1 or > 9999 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour is < 0 or > 23 || minute is < 0 or > 59 || second is < 0 or > 59 || microsecond is < 0 or > 999_999)
        {
            return false;
        }

        value = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(microsecond * 10L);
        return true;
    }

    /// <summary>The compact state: bytes, or (from Python 2 or encoding='latin1' pickles) a str of the same Latin-1 bytes.</summary>
    private static bool TryState(object? arg, int length, out byte[] state)
    {
        switch (arg)
        {
            case byte[] bytes when bytes.Length == length:
                state = bytes;
                return true;
            case string text when text.Length == length && text.All(c => c <= 0xFF):
                state = text.Select(c => (byte)c).ToArray();
                return true;
            default:
                state = [];
                return false;
        }
    }

    private static bool TryInts(object?[] args, int count, out int[] values)
    {
        values = new int[count];
        for (int i = 0; i < count; i++)
        {
            if (args[i] is not long l || l < int.MinValue || l > int.MaxValue)
            {
                return false;
            }

            values[i] = (int)l;
        }

        return true;
    }
}
