using System.Globalization;

namespace XSystem.Monitoring.Internal;

/// <summary>Allocation-free helpers for line- and field-oriented kernel text.</summary>
internal static class SpanText
{
    /// <summary>Takes the next line (without its '\n') from <paramref name="text"/>; false when nothing is left.</summary>
    public static bool TryReadLine(ref ReadOnlySpan<char> text, out ReadOnlySpan<char> line)
    {
        if (text.IsEmpty)
        {
            line = default;
            return false;
        }

        int end = text.IndexOf('\n');
        if (end < 0)
        {
            line = text;
            text = default;
        }
        else
        {
            line = text[..end];
            text = text[(end + 1)..];
        }

        return true;
    }

    /// <summary>Takes the next white-space separated field from <paramref name="line"/>; empty when none is left.</summary>
    public static ReadOnlySpan<char> NextField(ref ReadOnlySpan<char> line)
    {
        int start = 0;
        while (start < line.Length && IsBlank(line[start]))
        {
            start++;
        }

        int end = start;
        while (end < line.Length && !IsBlank(line[end]))
        {
            end++;
        }

        ReadOnlySpan<char> field = line[start..end];
        line = line[end..];
        return field;
    }

    /// <summary>Parses a non-negative or negative decimal integer; 0 when the field is empty or not a number.</summary>
    public static long ToInt64(ReadOnlySpan<char> field) =>
        long.TryParse(field, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value) ? value : 0;

    /// <summary>Parses an unsigned decimal counter, saturating into <see cref="long"/>; 0 when not a number.</summary>
    public static long ToCounter(ReadOnlySpan<char> field) =>
        ulong.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out ulong value) ? (long)Math.Min(value, long.MaxValue) : 0;

    /// <summary>Parses a decimal number with '.' as separator; 0 when not a number.</summary>
    public static double ToDouble(ReadOnlySpan<char> field) =>
        double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? value : 0;

    /// <summary>Parses hexadecimal digits; false when the field is empty or not hexadecimal.</summary>
    public static bool TryHex(ReadOnlySpan<char> field, out ulong value) =>
        ulong.TryParse(field, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);

    /// <summary>Counts the CPUs in a kernel CPU list such as <c>0-3,8,10-11</c>; 0 for an empty or malformed list.</summary>
    public static int CountCpuList(ReadOnlySpan<char> list)
    {
        list = list.Trim();
        int count = 0;
        foreach (Range part in list.Split(','))
        {
            ReadOnlySpan<char> item = list[part].Trim();
            if (item.IsEmpty)
            {
                continue;
            }

            int dash = item.IndexOf('-');
            if (dash < 0)
            {
                if (!int.TryParse(item, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    return 0;
                }

                count++;
            }
            else if (int.TryParse(item[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out int first)
                && int.TryParse(item[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int last)
                && last >= first)
            {
                count += last - first + 1;
            }
            else
            {
                return 0;
            }
        }

        return count;
    }

    /// <summary>Undoes the octal escapes (<c>\040</c> for a space) the kernel writes into mount points and devices.</summary>
    public static string UnescapeOctal(ReadOnlySpan<char> field)
    {
        if (field.IndexOf('\\') < 0)
        {
            return field.ToString();
        }

        Span<char> buffer = field.Length <= 256 ? stackalloc char[field.Length] : new char[field.Length];
        int n = 0;
        for (int i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && IsOctal(field, i + 1))
            {
                buffer[n++] = (char)(((field[i + 1] - '0') * 64) + ((field[i + 2] - '0') * 8) + (field[i + 3] - '0'));
                i += 3;
            }
            else
            {
                buffer[n++] = field[i];
            }
        }

        return new string(buffer[..n]);
    }

    private static bool IsOctal(ReadOnlySpan<char> s, int at) =>
        at + 2 < s.Length && s[at] is >= '0' and <= '3' && s[at + 1] is >= '0' and <= '7' && s[at + 2] is >= '0' and <= '7';

    private static bool IsBlank(char c) => c is ' ' or '\t' or '\r' or '\n';
}
