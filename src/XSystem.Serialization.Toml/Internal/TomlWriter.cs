using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using XSystem.Serialization.Internal;

namespace XSystem.Serialization.Toml.Internal;

/// <summary>
/// Writes a <see cref="JsonObject"/> as a TOML 1.0 document: scalar keys first, then sub-tables as <c>[headers]</c>,
/// arrays made only of objects as <c>[[arrays of tables]]</c>, everything else inline.
/// </summary>
internal sealed class TomlWriter
{
    private const string Format = "toml";

    private static readonly SearchValues<char> StringStops = SearchValues.Create(BuildStringStops());

    private readonly StringBuilder _text = new();
    private readonly SerializerOptions _options;

    private TomlWriter(SerializerOptions options) => _options = options;

    public static void Write(JsonNode? tree, IBufferWriter<byte> output, SerializerOptions options)
    {
        if (tree is not JsonObject root)
        {
            string what = tree switch
            {
                null => "null",
                JsonArray => "an array",
                _ => "a scalar",
            };
            throw new SerializationException(
                Format,
                $"a TOML document is a table, so the root must be a JSON object, not {what}; wrap the value in an object (for example {{ \"value\": ... }})",
                path: "$");
        }

        FormatGuards.CheckTreeDepth(root, options, Format);
        var writer = new TomlWriter(options);
        writer.WriteTable(root, string.Empty);
        writer.CopyTo(output);
    }

    private static string BuildStringStops()
    {
        var stops = new StringBuilder();
        for (char c = '\0'; c < ' '; c++)
        {
            stops.Append(c);
        }

        stops.Append('"').Append('\\').Append('\u007F');
        for (char c = '\uD800'; c <= '\uDFFF'; c++)
        {
            stops.Append(c);
        }

        return stops.ToString();
    }

    private void CopyTo(IBufferWriter<byte> output)
    {
        Encoder encoder = Encoding.UTF8.GetEncoder();
        foreach (ReadOnlyMemory<char> chunk in _text.GetChunks())
        {
            Span<byte> span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(chunk.Length));
            int written = encoder.GetBytes(chunk.Span, span, flush: false);
            output.Advance(written);
        }

        Span<byte> tail = output.GetSpan(8);
        output.Advance(encoder.GetBytes([], tail, flush: true));
    }

    private static bool IsTableArray(JsonArray array)
    {
        if (array.Count == 0)
        {
            return false;
        }

        foreach (JsonNode? item in array)
        {
            if (item is not JsonObject)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsSection(JsonNode? node) => node is JsonObject || (node is JsonArray array && IsTableArray(array));

    /// <summary>A table needs its own header when it is empty or holds a plain key; otherwise its sub-headers create it.</summary>
    private static bool NeedsHeader(JsonObject table)
    {
        if (table.Count == 0)
        {
            return true;
        }

        foreach (KeyValuePair<string, JsonNode?> entry in table)
        {
            if (!IsSection(entry.Value))
            {
                return true;
            }
        }

        return false;
    }

    private void WriteTable(JsonObject table, string header)
    {
        EnsureStack(table);
        foreach (KeyValuePair<string, JsonNode?> entry in table)
        {
            if (entry.Value is null)
            {
                throw NullValue(ChildPath(table.GetPath(), entry.Key));
            }

            if (IsSection(entry.Value))
            {
                continue;
            }

            AppendKey(entry.Key, table);
            _text.Append(" = ");
            WriteInline(entry.Value);
            _text.Append('\n');
        }

        foreach (KeyValuePair<string, JsonNode?> entry in table)
        {
            if (!IsSection(entry.Value))
            {
                continue;
            }

            int mark = _text.Length;
            if (header.Length > 0)
            {
                _text.Append(header).Append('.');
            }

            AppendKey(entry.Key, table);
            string path = _text.ToString(mark, _text.Length - mark);
            _text.Length = mark;
            if (entry.Value is JsonObject child)
            {
                if (NeedsHeader(child))
                {
                    Separate();
                    _text.Append('[').Append(path).Append("]\n");
                }

                WriteTable(child, path);
            }
            else
            {
                foreach (JsonNode? item in (JsonArray)entry.Value!)
                {
                    Separate();
                    _text.Append("[[").Append(path).Append("]]\n");
                    WriteTable((JsonObject)item!, path);
                }
            }
        }
    }

    private void Separate()
    {
        if (_text.Length > 0)
        {
            _text.Append('\n');
        }
    }

    private void WriteInline(JsonNode node)
    {
        switch (node)
        {
            case JsonObject table:
                EnsureStack(table);
                if (table.Count == 0)
                {
                    _text.Append("{}");
                    return;
                }

                _text.Append("{ ");
                bool first = true;
                foreach (KeyValuePair<string, JsonNode?> entry in table)
                {
                    if (entry.Value is null)
                    {
                        throw NullValue(ChildPath(table.GetPath(), entry.Key));
                    }

                    if (!first)
                    {
                        _text.Append(", ");
                    }

                    first = false;
                    AppendKey(entry.Key, table);
                    _text.Append(" = ");
                    WriteInline(entry.Value);
                }

                _text.Append(" }");
                return;
            case JsonArray array:
                EnsureStack(array);
                _text.Append('[');
                for (int i = 0; i < array.Count; i++)
                {
                    JsonNode? item = array[i];
                    if (item is null)
                    {
                        throw NullValue(array.GetPath() + "[" + i.ToString(CultureInfo.InvariantCulture) + "]");
                    }

                    if (i > 0)
                    {
                        _text.Append(", ");
                    }

                    WriteInline(item);
                }

                _text.Append(']');
                return;
            default:
                WriteScalar((JsonValue)node);
                return;
        }
    }

    private void EnsureStack(JsonNode node)
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            FormatGuards.ThrowTooDeep(_options, Format, path: node.GetPath());
        }
    }

    private void WriteScalar(JsonValue value)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.True:
                _text.Append("true");
                return;
            case JsonValueKind.False:
                _text.Append("false");
                return;
            case JsonValueKind.String:
                WriteStringValue(value);
                return;
            case JsonValueKind.Number:
                WriteNumber(value);
                return;
            case JsonValueKind.Null:
                throw NullValue(value.GetPath());
            default:
                throw Unsupported(value, "a value of this kind");
        }
    }

    private void WriteStringValue(JsonValue value)
    {
        if (value.TryGetValue(out string? text))
        {
            AppendString(text, value);
        }
        else if (value.TryGetValue(out DateTimeOffset offsetDateTime))
        {
            AppendDateTime(offsetDateTime.DateTime);
            AppendOffset(offsetDateTime.Offset);
        }
        else if (value.TryGetValue(out DateTime dateTime))
        {
            AppendDateTime(dateTime);
            if (dateTime.Kind == DateTimeKind.Utc)
            {
                _text.Append('Z');
            }
        }
        else if (value.TryGetValue(out DateOnly date))
        {
            _text.Append(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }
        else if (value.TryGetValue(out TimeOnly time))
        {
            AppendTime(time.Ticks);
        }
        else if (value.TryGetValue(out char c))
        {
            AppendString(c.ToString(), value);
        }
        else
        {
            // Other string-shaped values (Guid, byte[] as base64, enums with a string converter ...) keep their JSON text.
            using JsonDocument document = JsonDocument.Parse(value.ToJsonString());
            AppendString(document.RootElement.GetString() ?? string.Empty, value);
        }
    }

    private void AppendDateTime(DateTime dateTime)
    {
        _text.Append(dateTime.ToString("yyyy-MM-dd'T'", CultureInfo.InvariantCulture));
        AppendTime(dateTime.TimeOfDay.Ticks);
    }

    private void AppendTime(long ticks)
    {
        var time = TimeSpan.FromTicks(ticks);
        _text.Append(time.ToString("hh\\:mm\\:ss", CultureInfo.InvariantCulture));
        long fraction = ticks % TimeSpan.TicksPerSecond;
        if (fraction != 0)
        {
            _text.Append('.').Append(fraction.ToString("0000000", CultureInfo.InvariantCulture).TrimEnd('0'));
        }
    }

    private void AppendOffset(TimeSpan offset)
    {
        if (offset == TimeSpan.Zero)
        {
            _text.Append('Z');
            return;
        }

        _text.Append(offset < TimeSpan.Zero ? '-' : '+');
        _text.Append(offset.Duration().ToString("hh\\:mm", CultureInfo.InvariantCulture));
    }

    private void WriteNumber(JsonValue value)
    {
        if (value.TryGetValue(out JsonElement element))
        {
            WriteNumberText(element.GetRawText(), value);
        }
        else if (value.TryGetValue(out long l))
        {
            _text.Append(l.ToString(CultureInfo.InvariantCulture));
        }
        else if (value.TryGetValue(out int i))
        {
            _text.Append(i.ToString(CultureInfo.InvariantCulture));
        }
        else if (value.TryGetValue(out double d))
        {
            AppendDouble(d, d.ToString("R", CultureInfo.InvariantCulture));
        }
        else if (value.TryGetValue(out float f))
        {
            AppendDouble(f, f.ToString("R", CultureInfo.InvariantCulture));
        }
        else if (value.TryGetValue(out Half h))
        {
            AppendDouble((double)h, h.ToString(CultureInfo.InvariantCulture));
        }
        else if (value.TryGetValue(out decimal m))
        {
            WriteNumberText(m.ToString(CultureInfo.InvariantCulture), value);
        }
        else
        {
            // Other integer types and BigInteger: their JSON text decides.
            WriteNumberText(value.ToJsonString(), value);
        }
    }

    private void WriteNumberText(string text, JsonValue value)
    {
        if (text.AsSpan().IndexOfAny('.', 'e', 'E') >= 0)
        {
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) || double.IsInfinity(d))
            {
                throw Unsupported(value, $"the number {text}, which is outside the range of a 64-bit float");
            }

            AppendDouble(d, d.ToString("R", CultureInfo.InvariantCulture));
            return;
        }

        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long integer))
        {
            throw Unsupported(value, $"the integer {text}, which is outside TOML's 64-bit integer range (store it as a string or a float)");
        }

        _text.Append(integer.ToString(CultureInfo.InvariantCulture));
    }

    private void AppendDouble(double value, string shortest)
    {
        if (double.IsNaN(value))
        {
            _text.Append("nan");
            return;
        }

        if (double.IsInfinity(value))
        {
            _text.Append(value > 0 ? "inf" : "-inf");
            return;
        }

        _text.Append(shortest);
        if (shortest.AsSpan().IndexOfAny('.', 'E', 'e') < 0)
        {
            _text.Append(".0");
        }
    }

    private void AppendKey(string key, JsonNode owner)
    {
        if (key.Length > 0 && IsBare(key))
        {
            _text.Append(key);
        }
        else
        {
            AppendString(key, owner);
        }
    }

    private static bool IsBare(string key)
    {
        foreach (char c in key)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_' || c == '-'))
            {
                return false;
            }
        }

        return true;
    }

    private void AppendString(string text, JsonNode owner)
    {
        _text.Append('"');
        ReadOnlySpan<char> rest = text;
        while (true)
        {
            int index = rest.IndexOfAny(StringStops);
            if (index < 0)
            {
                _text.Append(rest);
                break;
            }

            _text.Append(rest[..index]);
            char c = rest[index];
            int consumed = 1;
            switch (c)
            {
                case '"': _text.Append("\\\""); break;
                case '\\': _text.Append("\\\\"); break;
                case '\n': _text.Append("\\n"); break;
                case '\t': _text.Append("\\t"); break;
                case '\r': _text.Append("\\r"); break;
                case '\b': _text.Append("\\b"); break;
                case '\f': _text.Append("\\f"); break;
                default:
                    if (char.IsHighSurrogate(c) && index + 1 < rest.Length && char.IsLowSurrogate(rest[index + 1]))
                    {
                        _text.Append(c).Append(rest[index + 1]);
                        consumed = 2;
                    }
                    else if (char.IsSurrogate(c))
                    {
                        throw new SerializationException(
                            Format,
                            $"the text holds a lone surrogate (U+{(int)c:X4}), which is not Unicode text and cannot be written as UTF-8",
                            path: owner.GetPath());
                    }
                    else
                    {
                        _text.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    }

                    break;
            }

            rest = rest[(index + consumed)..];
        }

        _text.Append('"');
    }

    private static SerializationException NullValue(string path) =>
        new(Format, "TOML has no null value; remove the key or give it a value", path: path);

    private static SerializationException Unsupported(JsonNode node, string what) =>
        new(Format, $"TOML cannot hold {what}", path: node.GetPath());

    private static string ChildPath(string parent, string key)
    {
        bool plain = key.Length > 0 && !char.IsAsciiDigit(key[0]);
        foreach (char c in key)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                plain = false;
                break;
            }
        }

        return plain ? parent + "." + key : parent + "['" + key.Replace("'", "\\'", StringComparison.Ordinal) + "']";
    }
}
