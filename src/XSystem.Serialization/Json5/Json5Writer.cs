using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace XSystem.Serialization.Internal;

/// <summary>Writes the tree as JSON5, iteratively (no recursion), honouring <see cref="Json5Options"/>.</summary>
internal static class Json5Writer
{
    public static void Write(JsonNode? tree, IBufferWriter<byte> output, SerializerOptions options)
    {
        Json5Options json5 = options.GetFormatOptions<Json5Options>();
        bool indent = options.Indent;
        var sink = new Utf8Sink(output);
        if (tree is JsonObject or JsonArray)
        {
            WriteContainers(ref sink, tree, indent, json5);
        }
        else
        {
            WriteScalar(ref sink, (JsonValue?)tree, json5);
        }

        if (indent)
        {
            sink.Byte((byte)'\n');
        }

        sink.Flush();
    }

    private static void WriteContainers(ref Utf8Sink sink, JsonNode root, bool indent, Json5Options json5)
    {
        var stack = new List<(JsonNode Node, int Index)>();
        Open(ref sink, root, stack);
        while (stack.Count > 0)
        {
            var (node, index) = stack[^1];
            int count = node is JsonObject obj ? obj.Count : ((JsonArray)node).Count;
            int depth = stack.Count;
            if (index == count)
            {
                stack.RemoveAt(stack.Count - 1);
                if (count > 0)
                {
                    if (json5.TrailingCommas)
                    {
                        sink.Byte((byte)',');
                    }

                    NewLine(ref sink, indent, depth - 1, json5.IndentSize);
                }

                sink.Byte(node is JsonObject ? (byte)'}' : (byte)']');
                continue;
            }

            stack[^1] = (node, index + 1);
            if (index > 0)
            {
                sink.Byte((byte)',');
            }

            NewLine(ref sink, indent, depth, json5.IndentSize);
            JsonNode? child;
            if (node is JsonObject o)
            {
                var (key, value) = o.GetAt(index);
                WriteKey(ref sink, key, json5);
                sink.Byte((byte)':');
                if (indent)
                {
                    sink.Byte((byte)' ');
                }

                child = value;
            }
            else
            {
                child = ((JsonArray)node)[index];
            }

            if (child is JsonObject or JsonArray)
            {
                Open(ref sink, child, stack);
            }
            else
            {
                WriteScalar(ref sink, (JsonValue?)child, json5);
            }
        }
    }

    private static void Open(ref Utf8Sink sink, JsonNode node, List<(JsonNode Node, int Index)> stack)
    {
        sink.Byte(node is JsonObject ? (byte)'{' : (byte)'[');
        stack.Add((node, 0));
    }

    private static void NewLine(ref Utf8Sink sink, bool indent, int depth, int size)
    {
        if (indent)
        {
            sink.Byte((byte)'\n');
            sink.Spaces(depth * size);
        }
    }

    private static void WriteKey(ref Utf8Sink sink, string key, Json5Options json5)
    {
        if (!json5.QuoteKeys && IsIdentifierName(key))
        {
            sink.Text(key);
        }
        else
        {
            WriteString(ref sink, key, json5.SingleQuotes);
        }
    }

    /// <summary>True when <paramref name="key"/> can be written without quotes: an ECMAScript 5.1 IdentifierName without escapes.</summary>
    internal static bool IsIdentifierName(string key)
    {
        if (key.Length == 0)
        {
            return false;
        }

        ReadOnlySpan<char> rest = key;
        bool first = true;
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out Rune rune, out int consumed) != System.Buffers.OperationStatus.Done
                || !(first ? Json5Reader.IsIdentifierStart(rune) : Json5Reader.IsIdentifierPart(rune)))
            {
                return false;
            }

            rest = rest[consumed..];
            first = false;
        }

        return true;
    }

    private static void WriteScalar(ref Utf8Sink sink, JsonValue? value, Json5Options json5)
    {
        if (value is null)
        {
            sink.Bytes("null"u8);
            return;
        }

        if (value.TryGetValue(out string? text))
        {
            WriteString(ref sink, text, json5.SingleQuotes);
            return;
        }

        if (value.TryGetValue(out JsonElement element))
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    WriteString(ref sink, element.GetString()!, json5.SingleQuotes);
                    return;
                case JsonValueKind.Number:
                case JsonValueKind.True:
                case JsonValueKind.False:
                case JsonValueKind.Null:
                    sink.Text(element.GetRawText());
                    return;
            }
        }

        if (value.TryGetValue(out double number))
        {
            WriteDouble(ref sink, number);
            return;
        }

        if (value.TryGetValue(out float single))
        {
            WriteDouble(ref sink, single);
            return;
        }

        if (value.TryGetValue(out BigInteger big))
        {
            sink.Text(big.ToString(CultureInfo.InvariantCulture));
            return;
        }

        JsonValueKind kind = value.GetValueKind();
        if (kind == JsonValueKind.String)
        {
            WriteString(ref sink, TreeScalars.ToText(value), json5.SingleQuotes);
        }
        else
        {
            sink.Text(value.ToJsonString());
        }
    }

    private static void WriteDouble(ref Utf8Sink sink, double number)
    {
        string? literal = TreeScalars.NonFinite(number);
        if (literal is not null)
        {
            sink.Text(literal);
            return;
        }

        string text = number.ToString("R", CultureInfo.InvariantCulture);
        sink.Text(text);
        if (text.AsSpan().IndexOfAny('.', 'E') < 0)
        {
            // Keep it a double on the way back: 1.0, not 1.
            sink.Bytes(".0"u8);
        }
    }

    private static void WriteString(ref Utf8Sink sink, string text, bool singleQuotes)
    {
        char quote = singleQuotes ? '\'' : '"';
        sink.Byte((byte)quote);
        ReadOnlySpan<char> rest = text;
        Span<byte> escape = stackalloc byte[6];
        while (!rest.IsEmpty)
        {
            int i = 0;
            while (i < rest.Length)
            {
                char c = rest[i];
                if (c < 0x20 || c == quote || c == '\\' || c is '\u2028' or '\u2029')
                {
                    break;
                }

                if (char.IsSurrogate(c))
                {
                    if (char.IsHighSurrogate(c) && i + 1 < rest.Length && char.IsLowSurrogate(rest[i + 1]))
                    {
                        i += 2;
                        continue;
                    }

                    break;
                }

                i++;
            }

            sink.Text(rest[..i]);
            if (i == rest.Length)
            {
                break;
            }

            char special = rest[i];
            switch (special)
            {
                case '\\': sink.Bytes("\\\\"u8); break;
                case '"': sink.Bytes("\\\""u8); break;
                case '\'': sink.Bytes("\\'"u8); break;
                case '\n': sink.Bytes("\\n"u8); break;
                case '\r': sink.Bytes("\\r"u8); break;
                case '\t': sink.Bytes("\\t"u8); break;
                case '\b': sink.Bytes("\\b"u8); break;
                case '\f': sink.Bytes("\\f"u8); break;
                default:
                    escape[0] = (byte)'\\';
                    escape[1] = (byte)'u';
                    ((int)special).TryFormat(escape[2..], out _, "x4", CultureInfo.InvariantCulture);
                    sink.Bytes(escape);
                    break;
            }

            rest = rest[(i + 1)..];
        }

        sink.Byte((byte)quote);
    }
}
