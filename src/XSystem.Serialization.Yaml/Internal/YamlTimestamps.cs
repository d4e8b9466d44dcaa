using System.Text.Json.Nodes;

namespace XSystem.Serialization.Yaml.Internal;

/// <summary>The YAML timestamp type (<c>!!timestamp</c>): <c>2001-12-14</c>, <c>2001-12-14t21:59:43.10-05:00</c>, <c>2001-12-14 21:59:43.10 -5</c>.</summary>
internal static class YamlTimestamps
{
    /// <summary>Parses a timestamp: a date alone gives a <see cref="DateOnly"/>, a date and time a <see cref="DateTimeOffset"/> (UTC when no zone is given).</summary>
    public static bool TryParse(string text, out JsonValue? value)
    {
        value = null;
        ReadOnlySpan<char> s = text.AsSpan().Trim();
        int i = 0;
        if (!Digits(s, ref i, 4, 4, out int year) || !Char(s, ref i, '-') || !Digits(s, ref i, 1, 2, out int month)
            || !Char(s, ref i, '-') || !Digits(s, ref i, 1, 2, out int day))
        {
            return false;
        }

        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Max(year, 1), month) || year < 1)
        {
            return false;
        }

        if (i == s.Length)
        {
            value = TypedValues.Create(new DateOnly(year, month, day));
            return true;
        }

        if (s[i] is 'T' or 't')
        {
            i++;
        }
        else
        {
            int spaces = i;
            while (i < s.Length && s[i] is ' ' or '\t')
            {
                i++;
            }

            if (i == spaces)
            {
                return false;
            }
        }

        if (!Digits(s, ref i, 1, 2, out int hour) || !Char(s, ref i, ':') || !Digits(s, ref i, 2, 2, out int minute)
            || !Char(s, ref i, ':') || !Digits(s, ref i, 2, 2, out int second) || hour > 23 || minute > 59 || second > 60)
        {
            return false;
        }

        long ticks = 0;
        if (i < s.Length && s[i] == '.')
        {
            i++;
            long scale = TimeSpan.TicksPerSecond;
            int start = i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                scale /= 10;
                ticks += (s[i] - '0') * scale;
                i++;
            }

            if (i == start)
            {
                return false;
            }
        }

        while (i < s.Length && s[i] is ' ' or '\t')
        {
            i++;
        }

        TimeSpan offset = TimeSpan.Zero;
        if (i < s.Length)
        {
            if (s[i] == 'Z')
            {
                i++;
            }
            else if (s[i] is '+' or '-')
            {
                bool negative = s[i] == '-';
                i++;
                if (!Digits(s, ref i, 1, 2, out int offsetHours))
                {
                    return false;
                }

                int offsetMinutes = 0;
                if (i < s.Length && s[i] == ':')
                {
                    i++;
                    if (!Digits(s, ref i, 2, 2, out offsetMinutes))
                    {
                        return false;
                    }
                }

                if (offsetHours > 14 || offsetMinutes > 59)
                {
                    return false;
                }

                offset = new TimeSpan(offsetHours, offsetMinutes, 0);
                if (negative)
                {
                    offset = -offset;
                }
            }

            if (i != s.Length)
            {
                return false;
            }
        }

        // A leap second (60) rolls over into the next minute.
        try
        {
            var local = new DateTime(year, month, day, hour, minute, Math.Min(second, 59), DateTimeKind.Unspecified)
                .AddTicks(ticks + (second == 60 ? TimeSpan.TicksPerSecond : 0));
            value = JsonValue.Create(new DateTimeOffset(local, offset));
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            // The last instants of year 9999 shifted by a leap second or an offset: out of range.
            return false;
        }
    }

    private static bool Char(ReadOnlySpan<char> s, ref int i, char c)
    {
        if (i < s.Length && s[i] == c)
        {
            i++;
            return true;
        }

        return false;
    }

    private static bool Digits(ReadOnlySpan<char> s, ref int i, int min, int max, out int value)
    {
        value = 0;
        int start = i;
        while (i < s.Length && i - start < max && char.IsAsciiDigit(s[i]))
        {
            value = (value * 10) + (s[i] - '0');
            i++;
        }

        return i - start >= min;
    }
}
