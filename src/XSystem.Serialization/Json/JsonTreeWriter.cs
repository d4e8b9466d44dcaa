using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using XSystem.Serialization.Internal;

namespace XSystem.Serialization.Json;

/// <summary>
/// Writes a <see cref="JsonNode"/> tree as JSON without recursion, mapping the typed values JSON lacks:
/// <c>byte[]</c> as base64 strings, <see cref="BigInteger"/> as plain numbers, dates as ISO 8601 strings;
/// NaN and infinities are refused with the JSON path (JSON has no literal for them).
/// </summary>
internal static class JsonTreeWriter
{
    public static void Write(JsonNode? tree, IBufferWriter<byte> output, SerializerOptions options, string formatName, bool indented)
    {
        using var writer = new Utf8JsonWriter(output, new JsonWriterOptions
        {
            Indented = indented,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            MaxDepth = options.MaxDepth + 1,
            SkipValidation = true,
        });
        Write(tree, writer, options, formatName);
        writer.Flush();
    }

    public static void Write(JsonNode? tree, Utf8JsonWriter writer, SerializerOptions options, string formatName)
    {
        if (tree is not (JsonObject or JsonArray))
        {
            WriteScalar(tree as JsonValue, writer, formatName);
            return;
        }

        var stack = new Stack<Frame>();
        Open(tree, writer, stack, options, formatName);
        while (stack.Count > 0)
        {
            Frame frame = stack.Peek();
            if (!frame.MoveNext(out string? name, out JsonNode? child))
            {
                if (frame.IsObject)
                {
                    writer.WriteEndObject();
                }
                else
                {
                    writer.WriteEndArray();
                }

                stack.Pop();
                continue;
            }

            if (name is not null)
            {
                writer.WritePropertyName(name);
            }

            if (child is JsonObject or JsonArray)
            {
                Open(child, writer, stack, options, formatName);
            }
            else
            {
                WriteScalar(child as JsonValue, writer, formatName);
            }
        }
    }

    private static void Open(JsonNode container, Utf8JsonWriter writer, Stack<Frame> stack, SerializerOptions options, string formatName)
    {
        if (stack.Count >= options.MaxDepth)
        {
            FormatGuards.ThrowTooDeep(options, formatName, path: container.GetPath());
        }

        if (container is JsonObject obj)
        {
            writer.WriteStartObject();
            stack.Push(new Frame(obj));
        }
        else
        {
            writer.WriteStartArray();
            stack.Push(new Frame((JsonArray)container));
        }
    }

    /// <summary>Writes one scalar, mapping the typed values of the data model.</summary>
    public static void WriteScalar(JsonValue? value, Utf8JsonWriter writer, string formatName)
    {
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }

        if (value.TryGetValue(out JsonElement element))
        {
            // Parsed JSON keeps its exact text (64-bit integers, long decimals).
            element.WriteTo(writer);
            return;
        }

        if (value.TryGetValue(out double d))
        {
            if (!double.IsFinite(d))
            {
                throw new SerializationException(formatName, $"JSON cannot hold the number {d.ToString(CultureInfo.InvariantCulture)}; use JSON5 or store it as a string", path: value.GetPath());
            }

            writer.WriteNumberValue(d);
            return;
        }

        if (value.TryGetValue(out float f))
        {
            if (!float.IsFinite(f))
            {
                throw new SerializationException(formatName, $"JSON cannot hold the number {f.ToString(CultureInfo.InvariantCulture)}; use JSON5 or store it as a string", path: value.GetPath());
            }

            writer.WriteNumberValue(f);
            return;
        }

        if (value.TryGetValue(out byte[]? bytes))
        {
            writer.WriteBase64StringValue(bytes);
            return;
        }

        if (value.TryGetValue(out BigInteger big))
        {
            writer.WriteRawValue(big.ToString(CultureInfo.InvariantCulture), skipInputValidation: true);
            return;
        }

        if (value.TryGetValue(out ReadOnlyMemory<byte> memory))
        {
            writer.WriteBase64StringValue(memory.Span);
            return;
        }

        value.WriteTo(writer);
    }

    private sealed class Frame
    {
        private readonly IEnumerator<KeyValuePair<string, JsonNode?>>? _properties;
        private readonly JsonArray? _array;
        private int _index;

        public Frame(JsonObject obj)
        {
            _properties = obj.GetEnumerator();
            IsObject = true;
        }

        public Frame(JsonArray array) => _array = array;

        public bool IsObject { get; }

        public bool MoveNext(out string? name, out JsonNode? child)
        {
            if (_properties is not null)
            {
                if (_properties.MoveNext())
                {
                    name = _properties.Current.Key;
                    child = _properties.Current.Value;
                    return true;
                }

                name = null;
                child = null;
                return false;
            }

            name = null;
            if (_index < _array!.Count)
            {
                child = _array[_index++];
                return true;
            }

            child = null;
            return false;
        }
    }
}
