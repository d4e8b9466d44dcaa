using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace XSystem.Serialization.Yaml.Internal;

/// <summary>
/// Writes trees as block-style YAML. Strings are left plain only when they read back as the same string;
/// otherwise they are double-quoted with escapes, so every round trip is exact. Not thread-safe; one per call.
/// </summary>
internal sealed class YamlTreeWriter
{
    /// <summary>Implicit keys may be at most 1024 characters; longer keys are written as explicit <c>? key</c> entries.</summary>
    private const int MaxImplicitKeyLength = 1000;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly StringBuilder _text = new();
    private readonly int _indentSize;
    private readonly bool _mergeKeys;

    public YamlTreeWriter(SerializerOptions options)
    {
        YamlOptions yaml = options.GetFormatOptions<YamlOptions>();
        _indentSize = yaml.IndentSize;
        _mergeKeys = yaml.MergeKeys;
    }

    /// <summary>Appends one document; <paramref name="marker"/> starts it with <c>---</c> (every document after the first).</summary>
    public void AppendDocument(JsonNode? tree, bool marker)
    {
        if (marker)
        {
            _text.Append("---\n");
        }

        switch (tree)
        {
            case JsonObject { Count: > 0 } or JsonArray { Count: > 0 }:
                WriteBlock(tree, 0, firstInline: false);
                break;
            default:
                _text.Append(Inline(tree)).Append('\n');
                break;
        }
    }

    /// <summary>Encodes the accumulated text as UTF-8 into <paramref name="output"/>.</summary>
    public void CopyTo(IBufferWriter<byte> output)
    {
        Encoder encoder = StrictUtf8.GetEncoder();
        foreach (ReadOnlyMemory<char> chunk in _text.GetChunks())
        {
            ReadOnlySpan<char> span = chunk.Span;
            while (!span.IsEmpty)
            {
                Span<byte> destination = output.GetSpan(Math.Min(span.Length * 3, 64 * 1024) + 4);
                encoder.Convert(span, destination, flush: false, out int charsUsed, out int bytesUsed, out _);
                output.Advance(bytesUsed);
                span = span[charsUsed..];
            }
        }

        Span<byte> tail = output.GetSpan(8);
        encoder.Convert([], tail, flush: true, out _, out int tailBytes, out _);
        output.Advance(tailBytes);
    }

    /// <summary>Writes a non-empty container whose first line starts at the current position (column <paramref name="indent"/>).</summary>
    private void WriteBlock(JsonNode container, int indent, bool firstInline)
    {
        bool first = true;
        if (container is JsonObject obj)
        {
            foreach (var (key, value) in obj)
            {
                if (!first || !firstInline)
                {
                    _text.Append(' ', indent);
                }

                first = false;
                string keyText = Key(key, obj);
                if (keyText.Length > MaxImplicitKeyLength)
                {
                    _text.Append("? ").Append(keyText).Append('\n').Append(' ', indent).Append(':');
                }
                else
                {
                    _text.Append(keyText).Append(':');
                }

                WriteAfterIndicator(value, indent + _indentSize);
            }
        }
        else
        {
            foreach (JsonNode? item in (JsonArray)container)
            {
                if (!first || !firstInline)
                {
                    _text.Append(' ', indent);
                }

                first = false;
                _text.Append('-');
                if (item is JsonObject { Count: > 0 } or JsonArray { Count: > 0 })
                {
                    // Compact form: the nested block starts on the dash's line, two columns in.
                    _text.Append(' ');
                    WriteBlock(item, indent + 2, firstInline: true);
                }
                else
                {
                    _text.Append(' ').Append(Inline(item)).Append('\n');
                }
            }
        }
    }

    /// <summary>Writes the value after <c>key:</c>.</summary>
    private void WriteAfterIndicator(JsonNode? value, int nestedIndent)
    {
        if (value is JsonObject { Count: > 0 } or JsonArray { Count: > 0 })
        {
            _text.Append('\n');
            WriteBlock(value, nestedIndent, firstInline: false);
        }
        else
        {
            _text.Append(' ').Append(Inline(value)).Append('\n');
        }
    }

    private string Key(string key, JsonObject owner)
    {
        CheckText(key, owner, key);
        if (_mergeKeys && key == "<<")
        {
            return "\"<<\"";
        }

        return NeedsQuotes(key) ? DoubleQuoted(key) : key;
    }

    /// <summary>The one-line text of a scalar or an empty container.</summary>
    private static string Inline(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return "null";
            case JsonObject:
                return "{}";
            case JsonArray:
                return "[]";
        }

        var value = (JsonValue)node;
        if (value.TryGetValue(out JsonElement element))
        {
            return element.ValueKind switch
            {
                JsonValueKind.String => Text(element.GetString()!, node),
                JsonValueKind.Number => element.GetRawText(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                JsonValueKind.Null => "null",
                _ => throw new SerializationException("yaml", $"unexpected JSON element of kind {element.ValueKind}", path: node.GetPath()),
            };
        }

        if (value.TryGetValue(out string? text))
        {
            return Text(text, node);
        }

        if (value.TryGetValue(out bool flag))
        {
            return flag ? "true" : "false";
        }

        if (value.TryGetValue(out double d))
        {
            return Float(d);
        }

        if (value.TryGetValue(out float f))
        {
            return Float(f);
        }

        if (value.TryGetValue(out BigInteger big))
        {
            return big.ToString(CultureInfo.InvariantCulture);
        }

        if (value.TryGetValue(out byte[]? bytes))
        {
            return "!!binary " + Convert.ToBase64String(bytes);
        }

        if (value.TryGetValue(out DateTimeOffset dto))
        {
            return "!!timestamp " + dto.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture);
        }

        if (value.TryGetValue(out DateTime dt))
        {
            // A local or unspecified DateTime is written with the offset it has here; UTC with Z.
            return dt.Kind == DateTimeKind.Utc
                ? "!!timestamp " + dt.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture)
                : "!!timestamp " + new DateTimeOffset(dt).ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture);
        }

        if (value.TryGetValue(out DateOnly date))
        {
            return "!!timestamp " + date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }

        // Any other typed value (integers, decimal, Guid, TimeOnly, TimeSpan, enums ...): its JSON form.
        return FromJson(value);
    }

    private static string FromJson(JsonValue value)
    {
        string json;
        try
        {
            json = value.ToJsonString();
        }
        catch (Exception ex) when (ex is InvalidOperationException or NotSupportedException or ArgumentException)
        {
            throw new SerializationException("yaml", $"the value cannot be written: {ex.Message}", path: value.GetPath(), innerException: ex);
        }

        using JsonDocument document = JsonDocument.Parse(json);
        JsonElement element = document.RootElement;
        return element.ValueKind switch
        {
            JsonValueKind.String => Text(element.GetString()!, value),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null => element.GetRawText(),
            _ => throw new SerializationException("yaml", $"a JsonValue holds a {element.ValueKind}, which YAML cannot write as a scalar", path: value.GetPath()),
        };
    }

    private static string Float(double d)
    {
        if (double.IsNaN(d))
        {
            return ".nan";
        }

        if (double.IsInfinity(d))
        {
            return d > 0 ? ".inf" : "-.inf";
        }

        string text = d.ToString("R", CultureInfo.InvariantCulture);

        // Keep it a float on the way back: 1 would read as an integer.
        return text.AsSpan().ContainsAny('.', 'E', 'e') ? text : text + ".0";
    }

    private static string Text(string text, JsonNode node)
    {
        CheckText(text, node, null);
        return NeedsQuotes(text) ? DoubleQuoted(text) : text;
    }

    private static void CheckText(string text, JsonNode node, string? key)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                string path = key is null ? node.GetPath() : $"{node.GetPath()}['{key}']";
                throw new SerializationException(
                    "yaml",
                    string.Create(CultureInfo.InvariantCulture, $"the {(key is null ? "string" : "key")} holds a lone surrogate (U+{(int)c:X4}) at index {i}, which UTF-8 cannot encode; fix the text"),
                    path: path);
            }
        }
    }

    /// <summary>Whether a string must be quoted to read back as the same string.</summary>
    internal static bool NeedsQuotes(string s)
    {
        if (s.Length == 0)
        {
            return true;
        }

        char first = s[0];
        char last = s[^1];
        if (first is ' ' or '\t' || last is ' ' or '\t' || last == ':')
        {
            return true;
        }

        switch (first)
        {
            // Indicators that start something else when they open a plain scalar.
            case '-' or '?' or ':' or ',' or '[' or ']' or '{' or '}' or '#' or '&' or '*' or '!' or '|' or '>' or '\'' or '"' or '%' or '@' or '`':
                return true;

            // Anything that might be read as a number, by the core schema or by YAML 1.1 readers (0b1, 1_000, 1:20, .5).
            case '+' or '.' or (>= '0' and <= '9'):
                if (first is '+' or '.' && s.Length > 1 && !char.IsAsciiDigit(s[1]) && s[1] != '.' && s[1] != 'i' && s[1] != 'I' && s[1] != 'n' && s[1] != 'N')
                {
                    break;
                }

                return true;

            // Null, booleans and YAML 1.1 booleans (yes/no/on/off/y/n), so other readers agree too.
            case '~' or 'n' or 'N' or 't' or 'T' or 'f' or 'F' or 'y' or 'Y' or 'o' or 'O':
                if (IsReservedWord(s))
                {
                    return true;
                }

                break;
        }

        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c < ' ' || c is '\u007F' or '\u0085' or '\u2028' or '\u2029' or '\uFEFF' || (c >= '\u0080' && c <= '\u009F'))
            {
                return true;
            }

            if ((c == ':' && i + 1 < s.Length && s[i + 1] is ' ') || (c == '#' && s[i - 1] is ' '))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsReservedWord(string s) => s.Length <= 5 && s.ToUpperInvariant() switch
    {
        "~" or "NULL" or "TRUE" or "FALSE" or "YES" or "NO" or "ON" or "OFF" or "Y" or "N" => true,
        _ => false,
    };

    internal static string DoubleQuoted(string s)
    {
        var builder = new StringBuilder(s.Length + 8);
        builder.Append('"');
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\t': builder.Append("\\t"); break;
                case '\r': builder.Append("\\r"); break;
                case '\0': builder.Append("\\0"); break;
                case '\u0085': builder.Append("\\N"); break;
                case '\u2028': builder.Append("\\L"); break;
                case '\u2029': builder.Append("\\P"); break;
                default:
                    if (c < ' ' || c == '\u007F' || (c >= '\u0080' && c <= '\u009F'))
                    {
                        builder.Append("\\x").Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
                    }
                    else if (c == '\uFEFF')
                    {
                        builder.Append("\\uFEFF");
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.Append('"').ToString();
    }
}
