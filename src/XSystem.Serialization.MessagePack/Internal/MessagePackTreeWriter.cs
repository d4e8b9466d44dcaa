using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using global::MessagePack;
using XSystem.Serialization.Internal;

namespace XSystem.Serialization.MessagePack.Internal;

/// <summary>
/// Writes the tree with MessagePack-CSharp's <see cref="MessagePackWriter"/>, iteratively (an explicit stack of
/// enumerators), so depth is bounded by <see cref="SerializerOptions.MaxDepth"/> and never by the call stack.
/// </summary>
internal static class MessagePackTreeWriter
{
    /// <summary>The key of the extension type in the <c>{ "$ext": type, "data": bytes }</c> shape.</summary>
    internal const string ExtensionTypeKey = "$ext";

    /// <summary>The key of the extension payload in the <c>{ "$ext": type, "data": bytes }</c> shape.</summary>
    internal const string ExtensionDataKey = "data";

    private const string FormatName = MessagePackTreeReader.FormatName;

    public static void Write(JsonNode? tree, IBufferWriter<byte> output, SerializerOptions options)
    {
        var writer = new MessagePackWriter(output);
        var stack = new Stack<Frame>();
        WriteNode(ref writer, tree, stack, options);
        while (stack.Count > 0)
        {
            Frame top = stack.Peek();
            if (!top.MoveNext(out string? key, out JsonNode? child))
            {
                stack.Pop();
                continue;
            }

            if (key is not null)
            {
                writer.Write(key);
            }

            WriteNode(ref writer, child, stack, options);
        }

        writer.Flush();
    }

    private static void WriteNode(ref MessagePackWriter writer, JsonNode? node, Stack<Frame> stack, SerializerOptions options)
    {
        switch (node)
        {
            case null:
                writer.WriteNil();
                break;
            case JsonObject obj:
                if (TryGetExtension(obj, out sbyte type, out ReadOnlyMemory<byte> payload))
                {
                    writer.WriteExtensionFormatHeader(new ExtensionHeader(type, payload.Length));
                    writer.WriteRaw(payload.Span);
                    break;
                }

                CheckDepth(stack, options, obj);
                writer.WriteMapHeader(obj.Count);
                if (obj.Count > 0)
                {
                    stack.Push(new Frame(obj));
                }

                break;
            case JsonArray array:
                CheckDepth(stack, options, array);
                writer.WriteArrayHeader(array.Count);
                if (array.Count > 0)
                {
                    stack.Push(new Frame(array));
                }

                break;
            case JsonValue value:
                WriteValue(ref writer, value);
                break;
        }
    }

    private static void CheckDepth(Stack<Frame> stack, SerializerOptions options, JsonNode container)
    {
        if (stack.Count + 1 > options.MaxDepth)
        {
            FormatGuards.ThrowTooDeep(options, FormatName, path: container.GetPath());
        }
    }

    /// <summary>Recognises the documented extension shape: exactly <c>$ext</c> (an integer from -128 to 127) and <c>data</c> (bytes).</summary>
    internal static bool TryGetExtension(JsonObject obj, out sbyte type, out ReadOnlyMemory<byte> payload)
    {
        type = 0;
        payload = default;
        if (obj.Count != 2
            || !obj.TryGetPropertyValue(ExtensionTypeKey, out JsonNode? typeNode)
            || !obj.TryGetPropertyValue(ExtensionDataKey, out JsonNode? dataNode)
            || typeNode is not JsonValue typeValue
            || dataNode is not JsonValue dataValue
            || !TypedValues.TryGetInteger(typeValue, out BigInteger typeCode)
            || typeCode < sbyte.MinValue
            || typeCode > sbyte.MaxValue)
        {
            return false;
        }

        if (dataValue.TryGetValue(out byte[]? bytes))
        {
            payload = bytes;
        }
        else if (dataValue.TryGetValue(out ReadOnlyMemory<byte> memory))
        {
            payload = memory;
        }
        else
        {
            return false;
        }

        type = (sbyte)typeCode;
        return true;
    }

    private static void WriteValue(ref MessagePackWriter writer, JsonValue value)
    {
        if (value.TryGetValue(out JsonElement element))
        {
            WriteElement(ref writer, element, value);
            return;
        }

        if (value.TryGetValue(out string? text))
        {
            writer.Write(text);
        }
        else if (value.TryGetValue(out long l))
        {
            writer.Write(l);
        }
        else if (value.TryGetValue(out int i))
        {
            writer.Write(i);
        }
        else if (value.TryGetValue(out double d))
        {
            writer.Write(d);
        }
        else if (value.TryGetValue(out bool b))
        {
            writer.Write(b);
        }
        else if (value.TryGetValue(out byte[]? bytes))
        {
            writer.Write(bytes.AsSpan());
        }
        else if (value.TryGetValue(out ReadOnlyMemory<byte> memory))
        {
            writer.Write(memory.Span);
        }
        else if (value.TryGetValue(out DateTimeOffset dto))
        {
            writer.Write(dto.UtcDateTime);
        }
        else if (value.TryGetValue(out DateTime dt))
        {
            writer.Write(dt.Kind == DateTimeKind.Local ? dt.ToUniversalTime() : DateTime.SpecifyKind(dt, DateTimeKind.Utc));
        }
        else if (value.TryGetValue(out float f))
        {
            writer.Write(f);
        }
        else if (value.TryGetValue(out decimal m))
        {
            // MessagePack has no decimal; like MessagePack-CSharp's own formatter, write the exact invariant text.
            writer.Write(m.ToString(CultureInfo.InvariantCulture));
        }
        else if (value.TryGetValue(out char c))
        {
            writer.Write(c.ToString());
        }
        else if (TypedValues.TryGetInteger(value, out BigInteger integer))
        {
            WriteInteger(ref writer, integer, value);
        }
        else
        {
            // Anything else (DateOnly, TimeOnly, Guid, enums, Half ...) goes as System.Text.Json would write it.
            WriteElement(ref writer, JsonSerializer.SerializeToElement<JsonNode>(value, JsonSerializerOptions.Default), value);
        }
    }

    private static void WriteInteger(ref MessagePackWriter writer, BigInteger integer, JsonValue value)
    {
        if (integer >= long.MinValue && integer <= long.MaxValue)
        {
            writer.Write((long)integer);
        }
        else if (integer > 0 && integer <= ulong.MaxValue)
        {
            writer.Write((ulong)integer);
        }
        else
        {
            throw new SerializationException(
                FormatName,
                $"the integer {integer.ToString(CultureInfo.InvariantCulture)} does not fit MessagePack's 64 bits; store it as a string",
                path: value.GetPath());
        }
    }

    private static void WriteElement(ref MessagePackWriter writer, JsonElement element, JsonValue value)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                writer.Write(element.GetString());
                break;
            case JsonValueKind.True:
                writer.Write(true);
                break;
            case JsonValueKind.False:
                writer.Write(false);
                break;
            case JsonValueKind.Null:
                writer.WriteNil();
                break;
            case JsonValueKind.Number:
                if (element.TryGetInt64(out long l))
                {
                    writer.Write(l);
                }
                else if (element.TryGetUInt64(out ulong ul))
                {
                    writer.Write(ul);
                }
                else if (IsIntegerText(element.GetRawText())
                    && BigInteger.TryParse(element.GetRawText(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out BigInteger big))
                {
                    WriteInteger(ref writer, big, value);
                }
                else if (element.TryGetDouble(out double d) && double.IsFinite(d))
                {
                    writer.Write(d);
                }
                else
                {
                    throw new SerializationException(FormatName, $"the number {element.GetRawText()} does not fit a 64-bit float; store it as a string", path: value.GetPath());
                }

                break;
            default:
                throw new SerializationException(FormatName, $"a {element.ValueKind} value cannot be written as a scalar", path: value.GetPath());
        }
    }

    private static bool IsIntegerText(string text) =>
        text.AsSpan().IndexOfAny('.', 'e', 'E') < 0;

    private sealed class Frame
    {
        private readonly IEnumerator<KeyValuePair<string, JsonNode?>>? _properties;
        private readonly JsonArray? _array;
        private int _index;

        public Frame(JsonObject obj) => _properties = obj.GetEnumerator();

        public Frame(JsonArray array) => _array = array;

        public bool MoveNext(out string? key, out JsonNode? child)
        {
            if (_properties is not null)
            {
                if (_properties.MoveNext())
                {
                    key = _properties.Current.Key;
                    child = _properties.Current.Value;
                    return true;
                }

                key = null;
                child = null;
                return false;
            }

            key = null;
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
