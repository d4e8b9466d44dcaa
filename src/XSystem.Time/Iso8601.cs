using System.Globalization;
using System.Text;

namespace XSystem.Time;

/// <summary>Relaxations of strict ISO 8601 parsing. Combine with <c>|</c>.</summary>
[Flags]
public enum Iso8601Styles
{
    /// <summary>Strict: a 'T' between date and time, an explicit offset on date-times, upper-case designators.</summary>
    None = 0,

    /// <summary>Accept a space instead of 'T' between date and time (RFC 3339 style).</summary>
    AllowSpaceSeparator = 1,

    /// <summary>A date-time without an offset is taken as UTC instead of being rejected.</summary>
    AssumeUniversal = 2,

    /// <summary>Accept lower-case 't', 'z', 'w' and duration designators.</summary>
    AllowLowercase = 4,
}

/// <summary>A time interval with a start and an end instant (ISO 8601 "start/end", "start/duration" or "duration/end").</summary>
/// <param name="Start">The start instant.</param>
/// <param name="End">The end instant.</param>
/// <remarks>Thread safety: immutable.</remarks>
public readonly record struct IsoInterval(DateTimeOffset Start, DateTimeOffset End)
{
    /// <summary>The length of the interval.</summary>
    public TimeSpan Duration => End - Start;
}

/// <summary>
/// ISO 8601 parsing and formatting: calendar dates ("2025-03-12"), week dates ("2025-W11-3"), ordinal dates ("2025-071"),
/// times, date-times with offsets ("2025-03-12T14:05:00+01:00"), durations ("P3DT4H") and intervals
/// ("2025-03-12T00:00Z/PT1H"). Extended ("2025-03-12") and basic ("20250312") forms are both read. Strict by default;
/// see <see cref="Iso8601Styles"/>.
/// </summary>
/// <remarks>Thread safety: all members are stateless and safe to call concurrently.</remarks>
public static class Iso8601
{
    // ---- Date-times ----

    /// <summary>Reads a date-time with an offset, e.g. "2025-03-12T14:05:00Z", "2025-W11-3T14:05+01:00", "20250312T140500-0500".</summary>
    /// <param name="text">The text.</param>
    /// <param name="styles">Relaxations; strict by default.</param>
    /// <returns>The instant with its offset.</returns>
    /// <exception cref="DurationFormatException">The text is not an ISO 8601 date-time; the message says where.</exception>
    public static DateTimeOffset Parse(string text, Iso8601Styles styles = Iso8601Styles.None)
    {
        ArgumentNullException.ThrowIfNull(text);
        Durations.ParseError error = default;
        return TryParseDateTime(text, styles, out DateTimeOffset value, ref error) ? value : throw Fail(text, "a date-time", error);
    }

    /// <summary>Reads a date-time with an offset like <see cref="Parse"/>, returning false instead of throwing.</summary>
    /// <param name="text">The text; null gives false.</param>
    /// <param name="value">The instant, or default.</param>
    /// <param name="styles">Relaxations; strict by default.</param>
    /// <returns>True on success.</returns>
    public static bool TryParse(string? text, out DateTimeOffset value, Iso8601Styles styles = Iso8601Styles.None)
    {
        Durations.ParseError error = default;
        value = default;
        return text is not null && TryParseDateTime(text, styles, out value, ref error);
    }

    /// <summary>Writes "2025-03-12T14:05:00Z" (UTC) or "2025-03-12T14:05:00.25+01:00"; fractional seconds only when present.</summary>
    /// <param name="value">The instant.</param>
    /// <returns>The extended-format text.</returns>
    public static string Format(DateTimeOffset value)
    {
        var text = new StringBuilder(33);
        text.Append(value.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss", CultureInfo.InvariantCulture));
        AppendFraction(text, value.Ticks % TimeSpan.TicksPerSecond);
        TimeSpan offset = value.Offset;
        if (offset == TimeSpan.Zero)
        {
            text.Append('Z');
        }
        else
        {
            text.Append(offset < TimeSpan.Zero ? '-' : '+').Append(offset.Duration().ToString("hh':'mm", CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    // ---- Dates ----

    /// <summary>Reads a calendar ("2025-03-12", "20250312"), week ("2025-W11-3", "2025W113") or ordinal ("2025-071", "2025071") date.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The date.</returns>
    /// <exception cref="DurationFormatException">The text is not an ISO 8601 date.</exception>
    public static DateOnly ParseDate(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Durations.ParseError error = default;
        int i = 0;
        if (TryReadDate(text, ref i, Iso8601Styles.None, out DateOnly date, ref error))
        {
            if (i == text.Length)
            {
                return date;
            }

            error.Fail(i, "unexpected text after the date");
        }

        throw Fail(text, "a date", error);
    }

    /// <summary>Reads a date like <see cref="ParseDate"/>, returning false instead of throwing.</summary>
    /// <param name="text">The text; null gives false.</param>
    /// <param name="value">The date, or default.</param>
    /// <returns>True on success.</returns>
    public static bool TryParseDate(string? text, out DateOnly value)
    {
        value = default;
        if (text is null)
        {
            return false;
        }

        Durations.ParseError error = default;
        int i = 0;
        return TryReadDate(text, ref i, Iso8601Styles.None, out value, ref error) && i == text.Length;
    }

    /// <summary>Writes "2025-03-12".</summary>
    /// <param name="value">The date.</param>
    /// <returns>The calendar date in extended format.</returns>
    public static string Format(DateOnly value) => value.ToString("yyyy'-'MM'-'dd", CultureInfo.InvariantCulture);

    /// <summary>Writes an ISO week date, "2025-W11-3" (weeks start on Monday; week 1 holds the year's first Thursday).</summary>
    /// <param name="value">The date.</param>
    /// <returns>The week date in extended format.</returns>
    public static string FormatWeekDate(DateOnly value)
    {
        DateTime dt = value.ToDateTime(TimeOnly.MinValue);
        int day = value.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)value.DayOfWeek;
        return string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(dt):D4}-W{ISOWeek.GetWeekOfYear(dt):D2}-{day}");
    }

    /// <summary>Writes an ordinal date, "2025-071".</summary>
    /// <param name="value">The date.</param>
    /// <returns>The ordinal date in extended format.</returns>
    public static string FormatOrdinalDate(DateOnly value) =>
        string.Create(CultureInfo.InvariantCulture, $"{value.Year:D4}-{value.DayOfYear:D3}");

    // ---- Times ----

    /// <summary>Reads a time of day: "14:05", "14:05:30", "14:05:30.125", "140530".</summary>
    /// <param name="text">The text.</param>
    /// <returns>The time.</returns>
    /// <exception cref="DurationFormatException">The text is not an ISO 8601 time.</exception>
    public static TimeOnly ParseTime(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Durations.ParseError error = default;
        int i = 0;
        if (TryReadTime(text, ref i, out TimeSpan time, ref error))
        {
            if (i == text.Length)
            {
                return TimeOnly.FromTimeSpan(time);
            }

            error.Fail(i, "unexpected text after the time");
        }

        throw Fail(text, "a time", error);
    }

    /// <summary>Reads a time like <see cref="ParseTime"/>, returning false instead of throwing.</summary>
    /// <param name="text">The text; null gives false.</param>
    /// <param name="value">The time, or default.</param>
    /// <returns>True on success.</returns>
    public static bool TryParseTime(string? text, out TimeOnly value)
    {
        value = default;
        Durations.ParseError error = default;
        int i = 0;
        if (text is not null && TryReadTime(text, ref i, out TimeSpan time, ref error) && i == text.Length)
        {
            value = TimeOnly.FromTimeSpan(time);
            return true;
        }

        return false;
    }

    /// <summary>Writes "14:05:30" or "14:05:30.125".</summary>
    /// <param name="value">The time.</param>
    /// <returns>The time in extended format.</returns>
    public static string Format(TimeOnly value)
    {
        var text = new StringBuilder(16);
        text.Append(value.ToString("HH':'mm':'ss", CultureInfo.InvariantCulture));
        AppendFraction(text, value.Ticks % TimeSpan.TicksPerSecond);
        return text.ToString();
    }

    // ---- Durations ----

    /// <summary>Reads an ISO 8601 duration: "PT2H30M", "P3DT4H", "P2W", "PT0.5S", "-PT5M". Years and months are rejected (no fixed length).</summary>
    /// <param name="text">The text.</param>
    /// <param name="styles">Relaxations (<see cref="Iso8601Styles.AllowLowercase"/>); strict by default.</param>
    /// <returns>The duration.</returns>
    /// <exception cref="DurationFormatException">The text is not an ISO 8601 duration.</exception>
    public static TimeSpan ParseDuration(string text, Iso8601Styles styles = Iso8601Styles.None)
    {
        ArgumentNullException.ThrowIfNull(text);
        Durations.ParseError error = default;
        return TryParseDurationCore(text, 0, text.Length, styles, out TimeSpan value, ref error) ? value : throw Fail(text, "an ISO 8601 duration", error);
    }

    /// <summary>Reads a duration like <see cref="ParseDuration"/>, returning false instead of throwing.</summary>
    /// <param name="text">The text; null gives false.</param>
    /// <param name="value">The duration, or zero.</param>
    /// <param name="styles">Relaxations; strict by default.</param>
    /// <returns>True on success.</returns>
    public static bool TryParseDuration(string? text, out TimeSpan value, Iso8601Styles styles = Iso8601Styles.None)
    {
        value = default;
        Durations.ParseError error = default;
        return text is not null && TryParseDurationCore(text, 0, text.Length, styles, out value, ref error);
    }

    /// <summary>Writes an ISO 8601 duration (same as <see cref="Durations.ToIso8601(TimeSpan)"/>).</summary>
    /// <param name="value">The duration.</param>
    /// <returns>The text, e.g. "P3DT4H".</returns>
    public static string Format(TimeSpan value) => Durations.ToIso8601(value);

    // ---- Intervals ----

    /// <summary>Reads an interval: "start/end", "start/duration" or "duration/end" (date-times follow <see cref="Parse"/>).</summary>
    /// <param name="text">The text.</param>
    /// <param name="styles">Relaxations; strict by default.</param>
    /// <returns>The interval.</returns>
    /// <exception cref="DurationFormatException">The text is not an ISO 8601 interval, or its end is before its start.</exception>
    public static IsoInterval ParseInterval(string text, Iso8601Styles styles = Iso8601Styles.None)
    {
        ArgumentNullException.ThrowIfNull(text);
        Durations.ParseError error = default;
        return TryParseIntervalCore(text, styles, out IsoInterval value, ref error) ? value : throw Fail(text, "an ISO 8601 interval", error);
    }

    /// <summary>Reads an interval like <see cref="ParseInterval"/>, returning false instead of throwing.</summary>
    /// <param name="text">The text; null gives false.</param>
    /// <param name="value">The interval, or default.</param>
    /// <param name="styles">Relaxations; strict by default.</param>
    /// <returns>True on success.</returns>
    public static bool TryParseInterval(string? text, out IsoInterval value, Iso8601Styles styles = Iso8601Styles.None)
    {
        value = default;
        Durations.ParseError error = default;
        return text is not null && TryParseIntervalCore(text, styles, out value, ref error);
    }

    /// <summary>Writes "start/end" with both instants in extended format.</summary>
    /// <param name="value">The interval.</param>
    /// <returns>The text.</returns>
    public static string Format(IsoInterval value) => Format(value.Start) + "/" + Format(value.End);

    // ---- Implementation ----

    private static DurationFormatException Fail(string text, string what, Durations.ParseError error) =>
        new($"'{text}' is not {what} in ISO 8601 form: {error.Reason ?? "unexpected text"} at position {error.Position}.", text, error.Position);

    private static void AppendFraction(StringBuilder text, long ticks)
    {
        if (ticks != 0)
        {
            text.Append('.').Append(ticks.ToString("D7", CultureInfo.InvariantCulture).TrimEnd('0'));
        }
    }

    private static bool TryParseIntervalCore(string text, Iso8601Styles styles, out IsoInterval value, ref Durations.ParseError error)
    {
        value = default;
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return error.Fail(0, "an interval needs '/' between its parts");
        }

        string left = text[..slash];
        string right = text[(slash + 1)..];
        bool leftIsDuration = left.StartsWith('P') || left.StartsWith('-');
        bool rightIsDuration = right.StartsWith('P') || right.StartsWith('-');
        if (leftIsDuration && rightIsDuration)
        {
            return error.Fail(slash + 1, "both parts are durations; one must be a date-time");
        }

        if (leftIsDuration)
        {
            if (!TryParseDurationCore(text, 0, slash, styles, out TimeSpan before, ref error))
            {
                return false;
            }

            if (!TryParseDateTimeAt(right, slash + 1, styles, out DateTimeOffset end, ref error))
            {
                return false;
            }

            value = new IsoInterval(end - before, end);
        }
        else
        {
            if (!TryParseDateTimeAt(left, 0, styles, out DateTimeOffset start, ref error))
            {
                return false;
            }

            if (rightIsDuration)
            {
                if (!TryParseDurationCore(text, slash + 1, text.Length, styles, out TimeSpan after, ref error))
                {
                    return false;
                }

                value = new IsoInterval(start, start + after);
            }
            else
            {
                if (!TryParseDateTimeAt(right, slash + 1, styles, out DateTimeOffset end, ref error))
                {
                    return false;
                }

                value = new IsoInterval(start, end);
            }
        }

        return value.End >= value.Start || error.Fail(slash, "the interval ends before it starts");
    }

    private static bool TryParseDateTimeAt(string part, int offset, Iso8601Styles styles, out DateTimeOffset value, ref Durations.ParseError error)
    {
        if (TryParseDateTime(part, styles, out value, ref error))
        {
            return true;
        }

        error.Position += offset;
        return false;
    }

    private static bool TryParseDateTime(string text, Iso8601Styles styles, out DateTimeOffset value, ref Durations.ParseError error)
    {
        value = default;
        int i = 0;
        if (!TryReadDate(text, ref i, styles, out DateOnly date, ref error))
        {
            return false;
        }

        if (i >= text.Length)
        {
            return error.Fail(i, "expected 'T' and a time after the date");
        }

        char separator = text[i];
        bool separatorOk = separator == 'T'
            || (separator == 't' && (styles & Iso8601Styles.AllowLowercase) != 0)
            || (separator == ' ' && (styles & Iso8601Styles.AllowSpaceSeparator) != 0);
        if (!separatorOk)
        {
            return error.Fail(i, "expected 'T' between the date and the time");
        }

        i++;
        if (!TryReadTime(text, ref i, out TimeSpan time, ref error))
        {
            return false;
        }

        TimeSpan offset;
        if (i == text.Length)
        {
            if ((styles & Iso8601Styles.AssumeUniversal) == 0)
            {
                return error.Fail(i, "expected an offset ('Z' or +hh:mm); pass Iso8601Styles.AssumeUniversal to read it as UTC");
            }

            offset = TimeSpan.Zero;
        }
        else if (!TryReadOffset(text, ref i, styles, out offset, ref error))
        {
            return false;
        }

        if (i != text.Length)
        {
            return error.Fail(i, "unexpected text after the offset");
        }

        value = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue).Add(time), offset);
        return true;
    }

    private static bool TryReadDigits(string s, ref int i, int count, out int value)
    {
        value = 0;
        if (i + count > s.Length)
        {
            return false;
        }

        for (int k = 0; k < count; k++)
        {
            char c = s[i + k];
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        i += count;
        return true;
    }

    private static int CountDigits(string s, int i)
    {
        int n = 0;
        while (i + n < s.Length && char.IsAsciiDigit(s[i + n]))
        {
            n++;
        }

        return n;
    }

    private static bool TryReadDate(string s, ref int i, Iso8601Styles styles, out DateOnly date, ref Durations.ParseError error)
    {
        date = default;
        int start = i;
        if (!TryReadDigits(s, ref i, 4, out int year) || year == 0)
        {
            return error.Fail(start, "expected a four-digit year (0001-9999)");
        }

        bool extended = i < s.Length && s[i] == '-';
        if (extended)
        {
            i++;
        }

        bool week = i < s.Length && (s[i] == 'W' || (s[i] == 'w' && (styles & Iso8601Styles.AllowLowercase) != 0));
        if (week)
        {
            i++;
            int weekStart = i;
            if (!TryReadDigits(s, ref i, 2, out int weekNumber))
            {
                return error.Fail(weekStart, "expected a two-digit week number");
            }

            if (extended)
            {
                if (i >= s.Length || s[i] != '-')
                {
                    return error.Fail(i, "expected '-' and a weekday (1-7) after the week");
                }

                i++;
            }

            int dayStart = i;
            if (!TryReadDigits(s, ref i, 1, out int weekday) || weekday is < 1 or > 7)
            {
                return error.Fail(dayStart, "expected a weekday 1 (Monday) to 7 (Sunday)");
            }

            if (weekNumber < 1 || weekNumber > ISOWeek.GetWeeksInYear(year))
            {
                return error.Fail(weekStart, $"{year} has no ISO week {weekNumber}");
            }

            try
            {
                date = DateOnly.FromDateTime(ISOWeek.ToDateTime(year, weekNumber, (DayOfWeek)(weekday % 7)));
            }
            catch (ArgumentOutOfRangeException)
            {
                return error.Fail(start, "the week date is outside the supported range");
            }

            return true;
        }

        int digits = CountDigits(s, i);
        int partStart = i;
        if (digits == 3 && (extended || CountDigits(s, i) == 3))
        {
            TryReadDigits(s, ref i, 3, out int ordinal);
            int daysInYear = DateTime.IsLeapYear(year) ? 366 : 365;
            if (ordinal < 1 || ordinal > daysInYear)
            {
                return error.Fail(partStart, $"day {ordinal} does not exist in {year} (1-{daysInYear})");
            }

            date = new DateOnly(year, 1, 1).AddDays(ordinal - 1);
            return true;
        }

        if (!TryReadDigits(s, ref i, 2, out int month))
        {
            return error.Fail(partStart, extended ? "expected a two-digit month or a three-digit day of year" : "expected MMDD, DDD or Www after the year");
        }

        if (extended)
        {
            if (i >= s.Length || s[i] != '-')
            {
                return error.Fail(i, "expected '-' and a day after the month (reduced dates like 2025-03 are not accepted)");
            }

            i++;
        }

        int dayPos = i;
        if (!TryReadDigits(s, ref i, 2, out int day))
        {
            return error.Fail(dayPos, "expected a two-digit day");
        }

        if (month is < 1 or > 12)
        {
            return error.Fail(partStart, $"month {month} does not exist");
        }

        if (day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return error.Fail(dayPos, $"{year:D4}-{month:D2} has no day {day}");
        }

        date = new DateOnly(year, month, day);
        return true;
    }

    private static bool TryReadTime(string s, ref int i, out TimeSpan time, ref Durations.ParseError error)
    {
        time = default;
        int start = i;
        if (!TryReadDigits(s, ref i, 2, out int hour) || hour > 23)
        {
            return error.Fail(start, "expected hours 00-23");
        }

        bool extended = i < s.Length && s[i] == ':';
        if (extended)
        {
            i++;
        }

        int minutePos = i;
        if (!TryReadDigits(s, ref i, 2, out int minute) || minute > 59)
        {
            return error.Fail(minutePos, "expected minutes 00-59");
        }

        int second = 0;
        long fraction = 0;
        bool hasSeconds = extended ? i < s.Length && s[i] == ':' : CountDigits(s, i) >= 2;
        if (hasSeconds)
        {
            if (extended)
            {
                i++;
            }

            int secondPos = i;
            if (!TryReadDigits(s, ref i, 2, out second) || second > 59)
            {
                return error.Fail(secondPos, "expected seconds 00-59");
            }

            if (i < s.Length && (s[i] == '.' || s[i] == ','))
            {
                i++;
                int fractionPos = i;
                long scale = TimeSpan.TicksPerSecond / 10;
                while (i < s.Length && char.IsAsciiDigit(s[i]))
                {
                    fraction += (s[i] - '0') * scale;
                    scale /= 10;
                    i++;
                }

                if (i == fractionPos)
                {
                    return error.Fail(fractionPos, "expected digits after the decimal mark");
                }
            }
        }

        time = new TimeSpan(0, hour, minute, second) + TimeSpan.FromTicks(fraction);
        return true;
    }

    private static bool TryReadOffset(string s, ref int i, Iso8601Styles styles, out TimeSpan offset, ref Durations.ParseError error)
    {
        offset = default;
        char c = s[i];
        if (c == 'Z' || (c == 'z' && (styles & Iso8601Styles.AllowLowercase) != 0))
        {
            i++;
            return true;
        }

        if (c is not ('+' or '-'))
        {
            return error.Fail(i, "expected an offset ('Z' or +hh:mm)");
        }

        int sign = c == '-' ? -1 : 1;
        i++;
        int hourPos = i;
        if (!TryReadDigits(s, ref i, 2, out int hours) || hours > 14)
        {
            return error.Fail(hourPos, "expected offset hours 00-14");
        }

        int minutes = 0;
        if (i < s.Length)
        {
            if (s[i] == ':')
            {
                i++;
            }

            int minutePos = i;
            if (!TryReadDigits(s, ref i, 2, out minutes) || minutes > 59)
            {
                return error.Fail(minutePos, "expected offset minutes 00-59");
            }
        }

        offset = sign * new TimeSpan(hours, minutes, 0);
        return offset.Duration() <= TimeSpan.FromHours(14) || error.Fail(hourPos, "offsets range from -14:00 to +14:00");
    }

    private static bool TryParseDurationCore(string s, int start, int end, Iso8601Styles styles, out TimeSpan value, ref Durations.ParseError error)
    {
        value = default;
        bool negative = start < end && s[start] == '-';
        int i = negative ? start + 1 : start;
        if (i >= end || !(s[i] == 'P' || (s[i] == 'p' && (styles & Iso8601Styles.AllowLowercase) != 0)))
        {
            return error.Fail(i, "an ISO 8601 duration starts with 'P'");
        }

        if (!TryParseDurationTicks(s, i, end, out ulong ticks, ref error, strict: (styles & Iso8601Styles.AllowLowercase) == 0))
        {
            return false;
        }

        if (ticks > (ulong)long.MaxValue)
        {
            return error.Fail(start, "the duration is too long for a TimeSpan");
        }

        value = negative ? new TimeSpan(-(long)ticks) : new TimeSpan((long)ticks);
        return true;
    }

    /// <summary>Reads "P...": [nW][nD][T[nH][nM][nS]] with an optional decimal fraction on the last component.</summary>
    internal static bool TryParseDurationTicks(ReadOnlySpan<char> s, int i, int end, out ulong ticks, ref Durations.ParseError error, bool strict = false)
    {
        ticks = 0;
        int pStart = i;
        i++; // 'P'
        bool inTime = false;
        int components = 0;
        int lastRank = -1;
        bool sawFraction = false;
        decimal total = 0;
        Span<char> number = stackalloc char[64];
        while (i < end)
        {
            char c = s[i];
            if (c == 'T' || (!strict && c == 't'))
            {
                if (inTime)
                {
                    return error.Fail(i, "'T' appears twice");
                }

                inTime = true;
                i++;
                if (i == end)
                {
                    return error.Fail(i, "expected a time component after 'T'");
                }

                continue;
            }

            int numberStart = i;
            while (i < end && (char.IsAsciiDigit(s[i]) || s[i] == '.' || s[i] == ','))
            {
                i++;
            }

            if (i == numberStart)
            {
                return error.Fail(numberStart, "expected a number");
            }

            if (sawFraction)
            {
                return error.Fail(numberStart, "only the last component may have a fraction");
            }

            if (i - numberStart > number.Length)
            {
                return error.Fail(numberStart, "the number is too long");
            }

            Span<char> digits = number[..(i - numberStart)];
            s[numberStart..i].CopyTo(digits);
            digits.Replace(',', '.');
            if (!decimal.TryParse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal amount))
            {
                return error.Fail(numberStart, "malformed number");
            }

            sawFraction = digits.Contains('.');
            if (i == end)
            {
                return error.Fail(i, "expected a designator (W, D, H, M or S) after the number");
            }

            char designator = strict ? s[i] : char.ToUpperInvariant(s[i]);
            int rank;
            long unit;
            switch (designator)
            {
                case 'Y' when !inTime:
                case 'M' when !inTime:
                    return error.Fail(i, "years and months have no fixed length; use weeks or days");
                case 'W' when !inTime:
                    (rank, unit) = (0, TimeSpan.TicksPerDay * 7);
                    break;
                case 'D' when !inTime:
                    (rank, unit) = (1, TimeSpan.TicksPerDay);
                    break;
                case 'H' when inTime:
                    (rank, unit) = (2, TimeSpan.TicksPerHour);
                    break;
                case 'M' when inTime:
                    (rank, unit) = (3, TimeSpan.TicksPerMinute);
                    break;
                case 'S' when inTime:
                    (rank, unit) = (4, TimeSpan.TicksPerSecond);
                    break;
                default:
                    return error.Fail(i, inTime ? "expected H, M or S after 'T'" : "expected W or D before 'T' (hours, minutes and seconds go after 'T')");
            }

            if (rank <= lastRank)
            {
                return error.Fail(i, "components must go from largest to smallest, each once");
            }

            lastRank = rank;
            i++;
            components++;
            try
            {
                total += amount * unit;
            }
            catch (OverflowException)
            {
                return error.Fail(numberStart, "the duration is too long for a TimeSpan");
            }

            if (total > long.MaxValue + 1m)
            {
                return error.Fail(numberStart, "the duration is too long for a TimeSpan");
            }
        }

        if (components == 0)
        {
            return error.Fail(pStart, "the duration has no components");
        }

        ticks = (ulong)decimal.Round(total, MidpointRounding.AwayFromZero);
        return true;
    }
}
