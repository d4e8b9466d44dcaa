using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Unicode;

namespace XSystem.Serialization.Internal;

/// <summary>Text conversions the pickle reader and writer share: Python's float repr, key text, string codecs.</summary>
internal static class PickleText
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Formats a double exactly as Python's <c>repr(float)</c> does (shortest round-trip digits).</summary>
    public static string FloatRepr(double value)
    {
        if (double.IsNaN(value))
        {
            return "nan";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "inf" : "-inf";
        }

        if (value == 0)
        {
            return double.IsNegative(value) ? "-0.0" : "0.0";
        }

        string shortest = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        int exponentAt = shortest.IndexOf('E', StringComparison.Ordinal);
        string mantissa = exponentAt < 0 ? shortest : shortest[..exponentAt];
        int exponent = exponentAt < 0 ? 0 : int.Parse(shortest.AsSpan(exponentAt + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        int point = mantissa.IndexOf('.', StringComparison.Ordinal);
        string digits = point < 0 ? mantissa : string.Concat(mantissa.AsSpan(0, point), mantissa.AsSpan(point + 1));
        int decimalPoint = (point < 0 ? mantissa.Length : point) + exponent;

        // Normalise to digits without leading or trailing zeros; value = 0.digits * 10^decimalPoint.
        int lead = 0;
        while (lead < digits.Length - 1 && digits[lead] == '0')
        {
            lead++;
        }

        digits = digits[lead..];
        decimalPoint -= lead;
        digits = digits.TrimEnd('0');
        if (digits.Length == 0)
        {
            digits = "0";
        }

        var text = new StringBuilder(32);
        if (value < 0)
        {
            text.Append('-');
        }

        if (decimalPoint > 16 || decimalPoint < -3)
        {
            text.Append(digits[0]);
            if (digits.Length > 1)
            {
                text.Append('.').Append(digits, 1, digits.Length - 1);
            }

            int shown = decimalPoint - 1;
            text.Append('e').Append(shown < 0 ? '-' : '+').Append(Math.Abs(shown).ToString("00", CultureInfo.InvariantCulture));
        }
        else if (decimalPoint <= 0)
        {
            text.Append("0.").Append('0', -decimalPoint).Append(digits);
        }
        else if (decimalPoint >= digits.Length)
        {
            text.Append(digits).Append('0', decimalPoint - digits.Length).Append(".0");
        }
        else
        {
            text.Append(digits, 0, decimalPoint).Append('.').Append(digits, decimalPoint, digits.Length - decimalPoint);
        }

        return text.ToString();
    }

    /// <summary>
    /// The tree key for a Python dict key: strings as they are; int, float, bool, None and tuples of them as compact JSON text
    /// (what Python's <c>json.dumps(key, ensure_ascii=False, separators=(",", ":"))</c> gives, tuples as arrays).
    /// </summary>
    /// <returns>False when the key has no text form (bytes, lists, dates ...).</returns>
    public static bool TryKeyText(object? key, out string text, out string? unsupportedType)
    {
        if (key is string s)
        {
            text = s;
            unsupportedType = null;
            return true;
        }

        var builder = new StringBuilder();
        bool ok = AppendKeyJson(builder, key, 0, out unsupportedType);
        text = ok ? builder.ToString() : string.Empty;
        return ok;
    }

    private static bool AppendKeyJson(StringBuilder builder, object? key, int depth, out string? unsupportedType)
    {
        unsupportedType = null;
        switch (key)
        {
            case null:
                builder.Append("null");
                return true;
            case bool flag:
                builder.Append(flag ? "true" : "false");
                return true;
            case long integer:
                builder.Append(integer.ToString(CultureInfo.InvariantCulture));
                return true;
            case BigInteger big:
                builder.Append(big.ToString(CultureInfo.InvariantCulture));
                return true;
            case double real:
                builder.Append(double.IsNaN(real) ? "NaN" : double.IsPositiveInfinity(real) ? "Infinity" : double.IsNegativeInfinity(real) ? "-Infinity" : FloatRepr(real));
                return true;
            case string text:
                AppendJsonString(builder, text);
                return true;
            case object?[] tuple when depth < 32:
                builder.Append('[');
                for (int i = 0; i < tuple.Length; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(',');
                    }

                    if (!AppendKeyJson(builder, tuple[i], depth + 1, out unsupportedType))
                    {
                        return false;
                    }
                }

                builder.Append(']');
                return true;
            default:
                unsupportedType = PythonTypeName(key);
                return false;
        }
    }

    /// <summary>Appends a JSON string literal escaped as Python's json module does with ensure_ascii=False.</summary>
    private static void AppendJsonString(StringBuilder builder, string text)
    {
        builder.Append('"');
        foreach (char c in text)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                default:
                    if (c < 0x20)
                    {
                        builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        builder.Append('"');
    }

    /// <summary>The Python type name of a machine value, for messages.</summary>
    public static string PythonTypeName(object? value) => value switch
    {
        null => "NoneType",
        bool => "bool",
        long or BigInteger => "int",
        double => "float",
        string => "str",
        byte[] => "bytes",
        PyList => "list",
        object?[] => "tuple",
        PySet { Frozen: true } => "frozenset",
        PySet => "set",
        PyDict => "dict",
        PyGlobal global => global.Name,
        PyTimezone => "datetime.timezone",
        DateTime or DateTimeOffset => "datetime.datetime",
        DateOnly => "datetime.date",
        TimeOnly => "datetime.time",
        TimeSpan => "datetime.timedelta",
        decimal => "decimal.Decimal",
        _ => value.GetType().Name,
    };

    /// <summary>Decodes UTF-8 as Python's 'surrogatepass' does: encoded lone surrogates (ED A0 80 ...) are kept.</summary>
    public static bool TryDecodeUtf8(ReadOnlySpan<byte> bytes, out string text)
    {
        if (Utf8.IsValid(bytes))
        {
            text = StrictUtf8.GetString(bytes);
            return true;
        }

        return TryDecodeSurrogatePass(bytes, out text);
    }

    private static bool TryDecodeSurrogatePass(ReadOnlySpan<byte> bytes, out string text)
    {
        var builder = new StringBuilder(bytes.Length);
        int i = 0;
        while (i < bytes.Length)
        {
            OperationStatus status = Rune.DecodeFromUtf8(bytes[i..], out Rune rune, out int consumed);
            if (status == OperationStatus.Done)
            {
                builder.Append(rune.ToString());
                i += consumed;
                continue;
            }

            // A surrogate code point encoded as three bytes: ED A0..BF 80..BF.
            if (i + 2 < bytes.Length && bytes[i] == 0xED && bytes[i + 1] is >= 0xA0 and <= 0xBF && bytes[i + 2] is >= 0x80 and <= 0xBF)
            {
                builder.Append((char)(0xD000 | ((bytes[i + 1] & 0x3F) << 6) | (bytes[i + 2] & 0x3F)));
                i += 3;
                continue;
            }

            text = string.Empty;
            return false;
        }

        text = builder.ToString();
        return true;
    }

    /// <summary>Encodes a string as UTF-8 the way Python's 'surrogatepass' does (lone surrogates as three bytes).</summary>
    public static byte[] EncodeUtf8(string text)
    {
        if (Utf8.FromUtf16(text, Span<byte>.Empty, out _, out _, replaceInvalidSequences: false) != OperationStatus.InvalidData)
        {
            return Encoding.UTF8.GetBytes(text);
        }

        var bytes = new List<byte>(text.Length * 3);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(text.Substring(i, 2)));
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                bytes.Add(0xED);
                bytes.Add((byte)(0x80 | ((c >> 6) & 0x3F)));
                bytes.Add((byte)(0x80 | (c & 0x3F)));
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
            }
        }

        return [.. bytes];
    }

    /// <summary>Decodes Python's 'raw-unicode-escape' (the UNICODE opcode): \uXXXX and \UXXXXXXXX escapes, other bytes Latin-1.</summary>
    public static bool TryDecodeRawUnicodeEscape(ReadOnlySpan<byte> bytes, out string text)
    {
        var builder = new StringBuilder(bytes.Length);
        int i = 0;
        while (i < bytes.Length)
        {
            byte b = bytes[i];
            if (b == (byte)'\\' && i + 1 < bytes.Length && (bytes[i + 1] == (byte)'u' || bytes[i + 1] == (byte)'U'))
            {
                // An odd run of backslashes escapes; Python's codec counts them the same way.
                int run = 0;
                for (int j = i - 1; j >= 0 && bytes[j] == (byte)'\\'; j--)
                {
                    run++;
                }

                if (run % 2 == 0)
                {
                    int width = bytes[i + 1] == (byte)'u' ? 4 : 8;
                    if (i + 2 + width > bytes.Length || !TryParseHex(bytes.Slice(i + 2, width), out uint code) || code > 0x10FFFF)
                    {
                        text = string.Empty;
                        return false;
                    }

                    AppendCodePoint(builder, code);
                    i += 2 + width;
                    continue;
                }
            }

            builder.Append((char)b);
            i++;
        }

        text = builder.ToString();
        return true;
    }

    /// <summary>Decodes the body of a Python 2 <c>str</c> literal (the STRING opcode) with Python's escapes, bytes as Latin-1.</summary>
    public static bool TryDecodeEscapedString(ReadOnlySpan<byte> bytes, out string text)
    {
        var builder = new StringBuilder(bytes.Length);
        int i = 0;
        while (i < bytes.Length)
        {
            byte b = bytes[i++];
            if (b != (byte)'\\')
            {
                builder.Append((char)b);
                continue;
            }

            if (i >= bytes.Length)
            {
                text = string.Empty;
                return false;
            }

            byte e = bytes[i++];
            switch (e)
            {
                case (byte)'\n': break;
                case (byte)'\\': builder.Append('\\'); break;
                case (byte)'\'': builder.Append('\''); break;
                case (byte)'"': builder.Append('"'); break;
                case (byte)'a': builder.Append('\a'); break;
                case (byte)'b': builder.Append('\b'); break;
                case (byte)'f': builder.Append('\f'); break;
                case (byte)'n': builder.Append('\n'); break;
                case (byte)'r': builder.Append('\r'); break;
                case (byte)'t': builder.Append('\t'); break;
                case (byte)'v': builder.Append('\v'); break;
                case (byte)'x':
                    if (i + 2 > bytes.Length || !TryParseHex(bytes.Slice(i, 2), out uint hex))
                    {
                        text = string.Empty;
                        return false;
                    }

                    builder.Append((char)hex);
                    i += 2;
                    break;
                case >= (byte)'0' and <= (byte)'7':
                    int octal = e - '0';
                    for (int n = 0; n < 2 && i < bytes.Length && bytes[i] is >= (byte)'0' and <= (byte)'7'; n++)
                    {
                        octal = (octal * 8) + (bytes[i++] - '0');
                    }

                    builder.Append((char)(octal & 0xFF));
                    break;
                default:
                    // Python keeps unknown escapes as they are.
                    builder.Append('\\').Append((char)e);
                    break;
            }
        }

        text = builder.ToString();
        return true;
    }

    private static void AppendCodePoint(StringBuilder builder, uint code)
    {
        if (code < 0x10000)
        {
            builder.Append((char)code);
        }
        else
        {
            code -= 0x10000;
            builder.Append((char)(0xD800 + (code >> 10))).Append((char)(0xDC00 + (code & 0x3FF)));
        }
    }

    private static bool TryParseHex(ReadOnlySpan<byte> digits, out uint value)
    {
        value = 0;
        foreach (byte d in digits)
        {
            int v = d switch
            {
                >= (byte)'0' and <= (byte)'9' => d - '0',
                >= (byte)'a' and <= (byte)'f' => d - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => d - 'A' + 10,
                _ => -1,
            };
            if (v < 0)
            {
                return false;
            }

            value = (value << 4) | (uint)v;
        }

        return true;
    }
}
