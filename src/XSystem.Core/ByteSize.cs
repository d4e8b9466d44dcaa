using System.Globalization;

namespace XSystem;

/// <summary>
/// Formats and parses byte counts for people: <c>1536</c> becomes <c>"1.5 KiB"</c>, and
/// <c>"100 MiB"</c>, <c>"2GB"</c> or <c>"512"</c> become byte counts.
/// </summary>
/// <remarks>Thread safety: all members are stateless and safe to call from any thread.</remarks>
public static class ByteSize
{
    private static readonly string[] BinaryUnits = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    private static readonly string[] DecimalUnits = ["B", "kB", "MB", "GB", "TB", "PB", "EB"];

    /// <summary>Formats a byte count with binary (1024-based, default) or decimal (1000-based) units.</summary>
    /// <param name="bytes">The number of bytes; may be negative (a difference).</param>
    /// <param name="binary">True for KiB/MiB/... (powers of 1024), false for kB/MB/... (powers of 1000).</param>
    /// <param name="decimals">Digits after the decimal point for values of one unit or more (0 to 6, default 1).</param>
    /// <returns>The invariant-culture text, for example <c>"1.5 MiB"</c> or <c>"512 B"</c>.</returns>
    public static string Format(long bytes, bool binary = true, int decimals = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(decimals);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(decimals, 6);
        var units = binary ? BinaryUnits : DecimalUnits;
        double step = binary ? 1024d : 1000d;
        double value = Math.Abs((double)bytes);
        int unit = 0;
        while (value >= step && unit < units.Length - 1)
        {
            value /= step;
            unit++;
        }

        // Rounding can carry a value up to the next unit ("1024.0 KiB"); move it there.
        if (unit > 0 && unit < units.Length - 1 && Math.Round(value, decimals) >= step)
        {
            value /= step;
            unit++;
        }

        string sign = bytes < 0 ? "-" : string.Empty;
        string number = unit == 0
            ? value.ToString("0", CultureInfo.InvariantCulture)
            : value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return sign + number + " " + units[unit];
    }

    /// <summary>Parses a size such as <c>"512"</c>, <c>"4 KiB"</c>, <c>"1.5MB"</c> or <c>"2 g"</c> into bytes.</summary>
    /// <param name="text">The text. Units are case-insensitive; <c>k, m, g, t</c> and <c>KiB, MiB ...</c> are 1024-based,
    /// <c>kB, MB, GB ...</c> are 1000-based; no unit means bytes.</param>
    /// <returns>The number of bytes, rounded down.</returns>
    /// <exception cref="FormatException">The text is not a size.</exception>
    public static long Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!TryParse(text, out long bytes))
        {
            throw new FormatException(
                $"'{text}' is not a byte size. Write a non-negative number with an optional unit, for example '512', '4 KiB', '1.5 MB' or '2G'.");
        }

        return bytes;
    }

    /// <summary>Parses a size like <see cref="Parse"/>, returning false instead of throwing.</summary>
    /// <param name="text">The text to parse.</param>
    /// <param name="bytes">The number of bytes when the result is true; otherwise 0.</param>
    /// <returns>True when <paramref name="text"/> is a valid size that fits in a <see cref="long"/>.</returns>
    public static bool TryParse(string? text, out long bytes)
    {
        bytes = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        ReadOnlySpan<char> span = text.AsSpan().Trim();
        int split = 0;
        while (split < span.Length && (char.IsAsciiDigit(span[split]) || span[split] == '.'))
        {
            split++;
        }

        if (split == 0 || !double.TryParse(span[..split], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double number))
        {
            return false;
        }

        ReadOnlySpan<char> unit = span[split..].Trim();
        double multiplier;
        if (unit.IsEmpty || unit.Equals("b", StringComparison.OrdinalIgnoreCase) || unit.Equals("bytes", StringComparison.OrdinalIgnoreCase))
        {
            multiplier = 1;
        }
        else
        {
            int power = char.ToUpperInvariant(unit[0]) switch
            {
                'K' => 1,
                'M' => 2,
                'G' => 3,
                'T' => 4,
                'P' => 5,
                'E' => 6,
                _ => -1,
            };
            if (power < 0)
            {
                return false;
            }

            ReadOnlySpan<char> rest = unit[1..];
            double baseValue;
            if (rest.IsEmpty || rest.Equals("ib", StringComparison.OrdinalIgnoreCase))
            {
                baseValue = 1024;
            }
            else if (rest.Equals("b", StringComparison.OrdinalIgnoreCase))
            {
                baseValue = 1000;
            }
            else
            {
                return false;
            }

            multiplier = Math.Pow(baseValue, power);
        }

        double result = Math.Floor(number * multiplier);
        if (result >= long.MaxValue)
        {
            return false;
        }

        bytes = (long)result;
        return true;
    }
}
