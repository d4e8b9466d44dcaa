using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;

namespace XSystem.Serialization.Yaml.Internal;

/// <summary>YAML 1.2 core schema resolution of plain scalars, and parsing of explicitly tagged scalars.</summary>
internal static class YamlScalars
{
    /// <summary>What a plain scalar resolves to under the core schema.</summary>
    public enum Kind
    {
        String,
        Null,
        Bool,
        Int,
        Float,
    }

    /// <summary>Classifies a plain scalar by the core schema's regular expressions (without running any).</summary>
    public static Kind Classify(string text)
    {
        if (text.Length == 0)
        {
            return Kind.Null;
        }

        char first = text[0];
        switch (first)
        {
            case '~':
                return text.Length == 1 ? Kind.Null : Kind.String;
            case 'n' or 'N':
                return text is "null" or "Null" or "NULL" ? Kind.Null : Kind.String;
            case 't' or 'T':
                return text is "true" or "True" or "TRUE" ? Kind.Bool : Kind.String;
            case 'f' or 'F':
                return text is "false" or "False" or "FALSE" ? Kind.Bool : Kind.String;
            case '.' or '+' or '-' or (>= '0' and <= '9'):
                return ClassifyNumber(text);
            default:
                return Kind.String;
        }
    }

    private static Kind ClassifyNumber(string text)
    {
        ReadOnlySpan<char> s = text;
        if (s is "0" || (s.Length > 2 && s[0] == '0' && (s[1] == 'o' || s[1] == 'x')))
        {
            if (s.Length == 1)
            {
                return Kind.Int;
            }

            ReadOnlySpan<char> digits = s[2..];
            bool hex = s[1] == 'x';
            foreach (char c in digits)
            {
                bool ok = hex ? char.IsAsciiHexDigit(c) : c is >= '0' and <= '7';
                if (!ok)
                {
                    return Kind.String;
                }
            }

            return Kind.Int;
        }

        if (s is ".nan" or ".NaN" or ".NAN")
        {
            return Kind.Float;
        }

        ReadOnlySpan<char> body = s[0] is '+' or '-' ? s[1..] : s;
        if (body is ".inf" or ".Inf" or ".INF")
        {
            return Kind.Float;
        }

        // [0-9]+  -> int;  (\.[0-9]+ | [0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?  -> float.
        int i = 0;
        int intDigits = CountDigits(body, ref i);
        int fracDigits = 0;
        bool dot = false;
        if (i < body.Length && body[i] == '.')
        {
            dot = true;
            i++;
            fracDigits = CountDigits(body, ref i);
        }

        if (intDigits == 0 && fracDigits == 0)
        {
            return Kind.String;
        }

        bool exponent = false;
        if (i < body.Length && (body[i] == 'e' || body[i] == 'E'))
        {
            exponent = true;
            i++;
            if (i < body.Length && (body[i] == '+' || body[i] == '-'))
            {
                i++;
            }

            if (CountDigits(body, ref i) == 0)
            {
                return Kind.String;
            }
        }

        if (i != body.Length)
        {
            return Kind.String;
        }

        return dot || exponent ? Kind.Float : Kind.Int;
    }

    private static int CountDigits(ReadOnlySpan<char> s, ref int i)
    {
        int start = i;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            i++;
        }

        return i - start;
    }

    /// <summary>Resolves a plain scalar to its core-schema value.</summary>
    public static JsonNode? ResolvePlain(string text) => Classify(text) switch
    {
        Kind.Null => null,
        Kind.Bool => JsonValue.Create(text[0] is 't' or 'T'),
        Kind.Int => ParseInt(text),
        Kind.Float => JsonValue.Create(ParseFloat(text)),
        _ => JsonValue.Create(text),
    };

    /// <summary>Parses text already classified as <see cref="Kind.Int"/>.</summary>
    public static JsonValue ParseInt(string text)
    {
        if (text.Length > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'o'))
        {
            int radixBits = text[1] == 'x' ? 4 : 3;
            BigInteger big = BigInteger.Zero;
            ulong small = 0;
            bool overflow = false;
            for (int i = 2; i < text.Length; i++)
            {
                char c = text[i];
                int digit = char.IsAsciiDigit(c) ? c - '0' : (c | 0x20) - 'a' + 10;
                if (!overflow && small > (ulong)(long.MaxValue >> radixBits))
                {
                    overflow = true;
                    big = new BigInteger(small);
                }

                if (overflow)
                {
                    big = (big << radixBits) + digit;
                }
                else
                {
                    small = (small << radixBits) + (ulong)digit;
                }
            }

            return overflow ? TypedValues.Create(big) : JsonValue.Create((long)small);
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
        {
            return JsonValue.Create(value);
        }

        return TypedValues.Create(BigInteger.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));
    }

    /// <summary>Parses text already classified as <see cref="Kind.Float"/>.</summary>
    public static double ParseFloat(string text)
    {
        ReadOnlySpan<char> s = text;
        bool negative = s[0] == '-';
        ReadOnlySpan<char> body = s[0] is '+' or '-' ? s[1..] : s;
        if (body.Length == 4 && body[0] == '.')
        {
            if (body[1] is 'n' or 'N')
            {
                return double.NaN;
            }

            return negative ? double.NegativeInfinity : double.PositiveInfinity;
        }

        return double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
    }
}
