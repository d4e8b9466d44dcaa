using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Humanizer;

namespace XSystem.Time;

/// <summary>
/// Human durations: <see cref="Humanize(TimeSpan, HumanizeOptions?)"/> writes "1 day, 3 hours, 45 minutes" or "1d 3h 45m";
/// <see cref="Parse(string)"/> reads "2h 30m", "1.5h", "250ms", "1 hour and 30 minutes", "01:30:00", "1.02:03:04",
/// "PT2H30M" and negative values; <see cref="ToIso8601(TimeSpan)"/> writes ISO 8601 durations.
/// </summary>
/// <remarks>Thread safety: all members are stateless and safe to call concurrently.</remarks>
public static class Durations
{
    private const long TicksPerWeek = TimeSpan.TicksPerDay * 7;

    /// <summary>Writes a duration for people with the default options: "1 day, 3 hours, 45 minutes".</summary>
    /// <param name="value">The duration; negative values get a leading "-".</param>
    /// <returns>The text.</returns>
    public static string Humanize(TimeSpan value) => Humanize(value, null);

    /// <summary>Writes a duration for people.</summary>
    /// <param name="value">The duration; negative values get a leading "-".</param>
    /// <param name="options">Units, form and culture; <see cref="HumanizeOptions.Default"/> when null.</param>
    /// <returns>The text, e.g. "2 hours, 30 minutes" or "2h 30m".</returns>
    public static string Humanize(TimeSpan value, HumanizeOptions? options)
    {
        options ??= HumanizeOptions.Default;
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxUnits, 1, "options.MaxUnits");
        if (options.MinUnit > options.MaxUnit)
        {
            throw new ArgumentException($"MinUnit ({options.MinUnit}) is larger than MaxUnit ({options.MaxUnit}).", nameof(options));
        }

        bool negative = value < TimeSpan.Zero;
        TimeSpan magnitude = value == TimeSpan.MinValue ? TimeSpan.MaxValue : value.Duration();
        string text = options.ShortForm
            ? HumanizeShort(magnitude, options)
            : magnitude.Humanize(options.MaxUnits, countEmptyUnits: false, options.Culture, options.MaxUnit, options.MinUnit, options.Separator);
        return negative && magnitude >= UnitLength(options.MinUnit) ? "-" + text : text;
    }

    private static TimeSpan UnitLength(TimeUnit unit) => unit switch
    {
        TimeUnit.Millisecond => TimeSpan.FromMilliseconds(1),
        TimeUnit.Second => TimeSpan.FromSeconds(1),
        TimeUnit.Minute => TimeSpan.FromMinutes(1),
        TimeUnit.Hour => TimeSpan.FromHours(1),
        TimeUnit.Day => TimeSpan.FromDays(1),
        _ => TimeSpan.FromDays(7),
    };

    private static string HumanizeShort(TimeSpan magnitude, HumanizeOptions options)
    {
        ReadOnlySpan<(TimeUnit Unit, long Ticks, string Suffix)> units =
        [
            (TimeUnit.Week, TicksPerWeek, "w"),
            (TimeUnit.Day, TimeSpan.TicksPerDay, "d"),
            (TimeUnit.Hour, TimeSpan.TicksPerHour, "h"),
            (TimeUnit.Minute, TimeSpan.TicksPerMinute, "m"),
            (TimeUnit.Second, TimeSpan.TicksPerSecond, "s"),
            (TimeUnit.Millisecond, TimeSpan.TicksPerMillisecond, "ms"),
        ];
        TimeUnit maxUnit = options.MaxUnit > TimeUnit.Week ? TimeUnit.Week : options.MaxUnit;
        long remaining = magnitude.Ticks;
        var text = new StringBuilder();
        int written = 0;
        foreach ((TimeUnit unit, long ticks, string suffix) in units)
        {
            if (unit > maxUnit || unit < options.MinUnit || written == options.MaxUnits)
            {
                continue;
            }

            long amount = remaining / ticks;
            remaining -= amount * ticks;
            if (amount == 0)
            {
                continue;
            }

            if (written > 0)
            {
                text.Append(' ');
            }

            text.Append(amount.ToString(CultureInfo.InvariantCulture)).Append(suffix);
            written++;
        }

        if (written == 0)
        {
            TimeUnit smallest = options.MinUnit < TimeUnit.Millisecond ? TimeUnit.Millisecond : options.MinUnit;
            foreach ((TimeUnit unit, _, string suffix) in units)
            {
                if (unit == smallest)
                {
                    return "0" + suffix;
                }
            }
        }

        return text.ToString();
    }

    /// <summary>Writes an ISO 8601 duration: "PT2H30M", "P3DT4H", "PT0.25S", "-PT5M"; zero is "PT0S".</summary>
    /// <param name="value">The duration.</param>
    /// <returns>The ISO 8601 text, days as the largest unit (no years or months, which have no fixed length).</returns>
    public static string ToIso8601(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
        {
            return "PT0S";
        }

        var text = new StringBuilder(24);
        ulong ticks;
        if (value < TimeSpan.Zero)
        {
            text.Append('-');
            ticks = (ulong)(-(value.Ticks + 1)) + 1;
        }
        else
        {
            ticks = (ulong)value.Ticks;
        }

        text.Append('P');
        ulong days = ticks / TimeSpan.TicksPerDay;
        ticks %= TimeSpan.TicksPerDay;
        if (days > 0)
        {
            text.Append(days.ToString(CultureInfo.InvariantCulture)).Append('D');
        }

        if (ticks > 0)
        {
            text.Append('T');
            ulong hours = ticks / TimeSpan.TicksPerHour;
            ticks %= TimeSpan.TicksPerHour;
            ulong minutes = ticks / TimeSpan.TicksPerMinute;
            ticks %= TimeSpan.TicksPerMinute;
            if (hours > 0)
            {
                text.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('H');
            }

            if (minutes > 0)
            {
                text.Append(minutes.ToString(CultureInfo.InvariantCulture)).Append('M');
            }

            if (ticks > 0)
            {
                ulong seconds = ticks / TimeSpan.TicksPerSecond;
                ulong fraction = ticks % TimeSpan.TicksPerSecond;
                text.Append(seconds.ToString(CultureInfo.InvariantCulture));
                if (fraction > 0)
                {
                    text.Append('.').Append(fraction.ToString("D7", CultureInfo.InvariantCulture).TrimEnd('0'));
                }

                text.Append('S');
            }
        }

        return text.ToString();
    }

    /// <summary>Reads a duration written for people, as a clock, or in ISO 8601.</summary>
    /// <param name="text">
    /// "2h 30m 15s", "2h30m", "1.5h", "90s", "250ms", "1 day 2 hours", "3 weeks", "1 hour and 30 minutes",
    /// "01:30:00" (h:mm:ss), "1.02:03:04" (d.hh:mm:ss), "PT2H30M", "P3DT4H"; a leading "-" negates the whole value; a bare
    /// number means seconds. Units are case-insensitive and spelled out or abbreviated (ms, s/sec, m/min, h/hr, d, w/wk).
    /// </param>
    /// <returns>The duration.</returns>
    /// <exception cref="DurationFormatException">The text is not a duration; the message and <see cref="DurationFormatException.Position"/> point at the first bad token.</exception>
    public static TimeSpan Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        ParseError error = default;
        if (TryParseCore(text, out TimeSpan value, ref error))
        {
            return value;
        }

        throw new DurationFormatException(error.Describe(text), text, error.Position);
    }

    /// <summary>Reads a duration like <see cref="Parse(string)"/>, returning false instead of throwing.</summary>
    /// <param name="text">The text; null gives false.</param>
    /// <param name="value">The duration, or zero.</param>
    /// <returns>True when the text is a duration.</returns>
    public static bool TryParse(string? text, out TimeSpan value)
    {
        if (text is null)
        {
            value = default;
            return false;
        }

        ParseError error = default;
        return TryParseCore(text, out value, ref error);
    }

    internal struct ParseError
    {
        public int Position;
        public string Reason;

        public readonly string Describe(string text) =>
            $"'{text}' is not a duration: {Reason ?? "unexpected text"} at position {Position}. "
            + "Write it like \"2h 30m\", \"1.5 hours\", \"250ms\", \"01:30:00\" or \"PT2H30M\".";

        public bool Fail(int position, string reason)
        {
            Position = position;
            Reason = reason;
            return false;
        }
    }

    internal static bool TryParseCore(string text, out TimeSpan value, ref ParseError error)
    {
        value = default;
        ReadOnlySpan<char> s = text;
        int start = 0;
        int end = s.Length;
        while (start < end && char.IsWhiteSpace(s[start]))
        {
            start++;
        }

        while (end > start && char.IsWhiteSpace(s[end - 1]))
        {
            end--;
        }

        if (start == end)
        {
            return error.Fail(start, "the text is empty");
        }

        bool negative = false;
        if (s[start] is '-' or '+')
        {
            negative = s[start] == '-';
            start++;
            while (start < end && char.IsWhiteSpace(s[start]))
            {
                start++;
            }

            if (start == end)
            {
                return error.Fail(start, "a sign without a number");
            }
        }

        ulong ticks;
        bool ok;
        char first = s[start];
        if (first is 'P' or 'p')
        {
            ok = Iso8601.TryParseDurationTicks(s, start, end, out ticks, ref error);
        }
        else if (s[start..end].Contains(':'))
        {
            ok = TryParseClock(s, start, end, out ticks, ref error);
        }
        else
        {
            ok = TryParseFreeForm(s, start, end, out ticks, ref error);
        }

        if (!ok)
        {
            return false;
        }

        if (ticks > (ulong)long.MaxValue + (negative ? 1UL : 0UL))
        {
            return error.Fail(start, "the duration is too long for a TimeSpan");
        }

        value = negative ? new TimeSpan(unchecked(-(long)ticks)) : new TimeSpan((long)ticks);
        return true;
    }

    /// <summary>[d.]h:mm[:ss[.fffffff]], digits only; the fast path for clock-style input.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryParseClock(ReadOnlySpan<char> s, int i, int end, out ulong ticks, ref ParseError error)
    {
        ticks = 0;
        int fieldStart = i;
        ulong first = ReadDigits(s, ref i, end);
        if (i == fieldStart || i - fieldStart > 9)
        {
            return error.Fail(fieldStart, "expected hours (or days.) before ':'");
        }

        ulong days = 0;
        ulong hours = first;
        if (i < end && s[i] == '.')
        {
            i++;
            days = first;
            fieldStart = i;
            hours = ReadDigits(s, ref i, end);
            if (i == fieldStart || i - fieldStart > 2 || hours > 23)
            {
                return error.Fail(fieldStart, "hours after 'days.' must be 0-23");
            }
        }

        if (i >= end || s[i] != ':')
        {
            return error.Fail(i, "expected ':' after the hours");
        }

        i++;
        fieldStart = i;
        ulong minutes = ReadDigits(s, ref i, end);
        if (i - fieldStart != 2 || minutes > 59)
        {
            return error.Fail(fieldStart, "minutes must be two digits, 00-59");
        }

        ulong seconds = 0;
        ulong fractionTicks = 0;
        if (i < end && s[i] == ':')
        {
            i++;
            fieldStart = i;
            seconds = ReadDigits(s, ref i, end);
            if (i - fieldStart != 2 || seconds > 59)
            {
                return error.Fail(fieldStart, "seconds must be two digits, 00-59");
            }

            if (i < end && s[i] == '.')
            {
                i++;
                fieldStart = i;
                int digits = 0;
                ulong scale = TimeSpan.TicksPerSecond / 10;
                while (i < end && char.IsAsciiDigit(s[i]))
                {
                    if (digits < 7)
                    {
                        fractionTicks += (ulong)(s[i] - '0') * scale;
                        scale /= 10;
                    }

                    digits++;
                    i++;
                }

                if (digits == 0)
                {
                    return error.Fail(fieldStart, "expected digits after the decimal point");
                }
            }
        }

        if (i != end)
        {
            return error.Fail(i, "unexpected text after the clock value");
        }

        if (days > (ulong)TimeSpan.MaxValue.Days || hours > (ulong)(TimeSpan.MaxValue.Ticks / TimeSpan.TicksPerHour))
        {
            return error.Fail(0, "the duration is too long for a TimeSpan");
        }

        ticks = (days * (ulong)TimeSpan.TicksPerDay) + (hours * (ulong)TimeSpan.TicksPerHour) + (minutes * (ulong)TimeSpan.TicksPerMinute)
            + (seconds * (ulong)TimeSpan.TicksPerSecond) + fractionTicks;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ReadDigits(ReadOnlySpan<char> s, ref int i, int end)
    {
        ulong value = 0;
        int start = i;
        while (i < end && char.IsAsciiDigit(s[i]) && i - start < 18)
        {
            value = (value * 10) + (ulong)(s[i] - '0');
            i++;
        }

        return value;
    }

    private static bool TryParseFreeForm(ReadOnlySpan<char> s, int i, int end, out ulong ticks, ref ParseError error)
    {
        ticks = 0;
        decimal total = 0;
        int components = 0;
        while (true)
        {
            // Separators: whitespace, commas, and the word "and" between components.
            while (i < end && (char.IsWhiteSpace(s[i]) || s[i] == ','))
            {
                i++;
            }

            if (i == end)
            {
                break;
            }

            if (components > 0 && IsWord(s, i, end, "and"))
            {
                i += 3;
                continue;
            }

            int numberStart = i;
            while (i < end && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
            {
                i++;
            }

            if (i == numberStart)
            {
                return error.Fail(numberStart, "expected a number");
            }

            if (!decimal.TryParse(s[numberStart..i], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal amount))
            {
                return error.Fail(numberStart, "malformed number");
            }

            while (i < end && s[i] == ' ')
            {
                i++;
            }

            int unitStart = i;
            while (i < end && (char.IsLetter(s[i]) || s[i] == 'µ'))
            {
                i++;
            }

            long unitTicks;
            if (i == unitStart)
            {
                // A bare number is seconds, but only as the whole input.
                if (components == 0 && SkipSpace(s, i, end) == end)
                {
                    unitTicks = TimeSpan.TicksPerSecond;
                }
                else
                {
                    return error.Fail(numberStart, "expected a unit (ms, s, m, h, d, w) after this number");
                }
            }
            else
            {
                unitTicks = UnitTicks(s[unitStart..i]);
                if (unitTicks == 0)
                {
                    return error.Fail(unitStart, $"unknown unit '{s[unitStart..i].ToString()}'");
                }

                if (unitTicks < 0)
                {
                    return error.Fail(unitStart, $"'{s[unitStart..i].ToString()}' has no fixed length (use days or weeks)");
                }
            }

            try
            {
                total += amount * unitTicks;
            }
            catch (OverflowException)
            {
                return error.Fail(numberStart, "the duration is too long for a TimeSpan");
            }

            if (total > long.MaxValue + 1m)
            {
                return error.Fail(numberStart, "the duration is too long for a TimeSpan");
            }

            components++;
        }

        if (components == 0)
        {
            return error.Fail(i, "expected a number");
        }

        ticks = (ulong)decimal.Round(total, MidpointRounding.AwayFromZero);
        return true;
    }

    private static int SkipSpace(ReadOnlySpan<char> s, int i, int end)
    {
        while (i < end && char.IsWhiteSpace(s[i]))
        {
            i++;
        }

        return i;
    }

    private static bool IsWord(ReadOnlySpan<char> s, int i, int end, string word) =>
        end - i >= word.Length
        && s.Slice(i, word.Length).Equals(word, StringComparison.OrdinalIgnoreCase)
        && (i + word.Length == end || !char.IsLetterOrDigit(s[i + word.Length]));

    /// <summary>Ticks per unit; 0 for unknown units, -1 for calendar units with no fixed length.</summary>
    private static long UnitTicks(ReadOnlySpan<char> unit)
    {
        Span<char> lower = stackalloc char[16];
        if (unit.Length > lower.Length)
        {
            return 0;
        }

        int n = unit.ToLowerInvariant(lower);
        return lower[..n] switch
        {
            "w" or "wk" or "wks" or "week" or "weeks" => TicksPerWeek,
            "d" or "day" or "days" => TimeSpan.TicksPerDay,
            "h" or "hr" or "hrs" or "hour" or "hours" => TimeSpan.TicksPerHour,
            "m" or "min" or "mins" or "minute" or "minutes" => TimeSpan.TicksPerMinute,
            "s" or "sec" or "secs" or "second" or "seconds" => TimeSpan.TicksPerSecond,
            "ms" or "msec" or "msecs" or "millisecond" or "milliseconds" => TimeSpan.TicksPerMillisecond,
            "us" or "µs" or "microsecond" or "microseconds" => TimeSpan.TicksPerMicrosecond,
            "mo" or "month" or "months" or "y" or "yr" or "yrs" or "year" or "years" => -1,
            _ => 0,
        };
    }
}
