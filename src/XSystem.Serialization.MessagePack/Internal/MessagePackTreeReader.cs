using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using global::MessagePack;
using XSystem.Serialization.Internal;

namespace XSystem.Serialization.MessagePack.Internal;

/// <summary>
/// Reads one MessagePack value into the tree with MessagePack-CSharp's <see cref="MessagePackReader"/>, iteratively:
/// containers live on an explicit stack, so hostile nesting hits <see cref="SerializerOptions.MaxDepth"/> instead of
/// the call stack. Nothing is pre-allocated from a claimed length.
/// </summary>
internal static class MessagePackTreeReader
{
    internal const string FormatName = "msgpack";

    /// <summary>The extension type MessagePack reserves for timestamps.</summary>
    internal const sbyte TimestampType = -1;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static unsafe JsonNode? Parse(ReadOnlySpan<byte> data, SerializerOptions options)
    {
        FormatGuards.CheckSize(data.Length, options, FormatName);
        if (data.IsEmpty)
        {
            throw new SerializationException(FormatName, "the input is empty; a MessagePack document holds at least one value");
        }

        fixed (byte* pointer = data)
        {
            using var memory = new PointerMemory(pointer, data.Length);
            var reader = new MessagePackReader(memory.Memory);
            var stack = new List<Frame>();
            try
            {
                JsonNode? root = ReadDocument(ref reader, stack, options);
                if (!reader.End)
                {
                    throw new SerializationException(
                        FormatName,
                        $"unexpected data after the document at byte {reader.Consumed.ToString(CultureInfo.InvariantCulture)}; a MessagePack document is one value");
                }

                return root;
            }
            catch (EndOfStreamException ex)
            {
                throw Malformed("the input ends early or a length points past its end", reader.Consumed, stack, ex);
            }
            catch (MessagePackSerializationException ex)
            {
                throw Malformed(ex.Message.TrimEnd('.'), reader.Consumed, stack, ex);
            }
            catch (OverflowException ex)
            {
                throw Malformed("a length or count is larger than this reader supports", reader.Consumed, stack, ex);
            }
            catch (ArgumentOutOfRangeException ex)
            {
                // MessagePack-CSharp's ReadBytes slices past the end for a bin length beyond the input.
                throw Malformed("a length points past the end of the input", reader.Consumed, stack, ex);
            }
            catch (DecoderFallbackException ex)
            {
                throw Malformed("a string is not valid UTF-8", reader.Consumed, stack, ex);
            }
        }
    }

    private static JsonNode? ReadDocument(ref MessagePackReader reader, List<Frame> stack, SerializerOptions options)
    {
        JsonNode? root = ReadItem(ref reader, stack, options);
        while (stack.Count > 0)
        {
            Frame top = stack[^1];
            if (top.Remaining == 0)
            {
                stack.RemoveAt(stack.Count - 1);
                continue;
            }

            top.Remaining--;
            if (top.Object is { } obj)
            {
                long keyAt = reader.Consumed;
                string key = ReadKey(ref reader, stack);
                if (obj.ContainsKey(key))
                {
                    throw Malformed($"the map key '{key}' appears twice (after converting keys to strings); a tree map holds each key once", keyAt, stack, null);
                }

                top.Key = key;
                obj[key] = ReadItem(ref reader, stack, options);
                top.Key = null;
            }
            else
            {
                JsonArray array = top.Array!;
                array.Add(null);
                array[^1] = ReadItem(ref reader, stack, options);
            }
        }

        return root;
    }

    /// <summary>Reads a scalar, or the header of a container (which is pushed on the stack and filled by the caller's loop).</summary>
    private static JsonNode? ReadItem(ref MessagePackReader reader, List<Frame> stack, SerializerOptions options)
    {
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Nil:
                reader.ReadNil();
                return null;
            case MessagePackType.Boolean:
                return JsonValue.Create(reader.ReadBoolean());
            case MessagePackType.Integer:
                if (reader.NextCode == MessagePackCode.UInt64)
                {
                    ulong unsigned = reader.ReadUInt64();
                    return unsigned > long.MaxValue ? TypedValues.Create(unsigned) : JsonValue.Create((long)unsigned);
                }

                return JsonValue.Create(reader.ReadInt64());
            case MessagePackType.Float:
                // float32 widens to double exactly (NaN and infinities included).
                return JsonValue.Create(reader.ReadDouble());
            case MessagePackType.String:
                return JsonValue.Create(ReadString(ref reader));
            case MessagePackType.Binary:
                return TypedValues.Create(reader.ReadBytes()!.Value.ToArray());
            case MessagePackType.Extension:
                return ReadExtension(ref reader);
            case MessagePackType.Array:
                {
                    long at = reader.Consumed;
                    int count = reader.ReadArrayHeader();
                    CheckDepth(stack, options, at);
                    var array = new JsonArray();
                    if (count > 0)
                    {
                        stack.Add(new Frame { Array = array, Remaining = count });
                    }

                    return array;
                }

            case MessagePackType.Map:
                {
                    long at = reader.Consumed;
                    int count = reader.ReadMapHeader();
                    CheckDepth(stack, options, at);
                    if ((long)count * 2 > reader.Sequence.Length - reader.Consumed)
                    {
                        throw new EndOfStreamException();
                    }

                    var obj = new JsonObject();
                    if (count > 0)
                    {
                        stack.Add(new Frame { Object = obj, Remaining = count });
                    }

                    return obj;
                }

            default:
                throw Malformed(
                    $"the byte 0x{reader.NextCode.ToString("x2", CultureInfo.InvariantCulture)} does not start a MessagePack value",
                    reader.Consumed,
                    stack,
                    null);
        }
    }

    private static void CheckDepth(List<Frame> stack, SerializerOptions options, long at)
    {
        // The container being opened sits one level below the innermost open one.
        if (stack.Count + 1 > options.MaxDepth)
        {
            throw new SerializationLimitException(
                FormatName,
                "MaxDepth",
                options.MaxDepth,
                "set SerializerOptions.MaxDepth higher",
                path: PathOf(stack) + " (byte " + at.ToString(CultureInfo.InvariantCulture) + ")");
        }
    }

    private static string ReadString(ref MessagePackReader reader)
    {
        ReadOnlySequence<byte> bytes = reader.ReadStringSequence()!.Value;
        return bytes.IsSingleSegment ? StrictUtf8.GetString(bytes.FirstSpan) : StrictUtf8.GetString(bytes.ToArray());
    }

    private static string ReadKey(ref MessagePackReader reader, List<Frame> stack)
    {
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.String:
                return ReadString(ref reader);
            case MessagePackType.Integer:
                return reader.NextCode == MessagePackCode.UInt64
                    ? reader.ReadUInt64().ToString(CultureInfo.InvariantCulture)
                    : reader.ReadInt64().ToString(CultureInfo.InvariantCulture);
            case MessagePackType.Boolean:
                return reader.ReadBoolean() ? "true" : "false";
            case MessagePackType.Nil:
                reader.ReadNil();
                return "null";
            case MessagePackType.Float:
                return reader.ReadDouble().ToString("R", CultureInfo.InvariantCulture);
            default:
                throw Malformed(
                    $"a map key is {Describe(reader.NextMessagePackType)}; only string, integer, boolean, nil and float keys convert to tree keys",
                    reader.Consumed,
                    stack,
                    null);
        }
    }

    private static JsonNode ReadExtension(ref MessagePackReader reader)
    {
        ExtensionHeader header = reader.ReadExtensionFormatHeader();
        byte[] payload = reader.ReadRaw(header.Length).ToArray();
        if (header.TypeCode == TimestampType && TryDecodeTimestamp(payload, out DateTimeOffset timestamp))
        {
            return JsonValue.Create(timestamp);
        }

        return new JsonObject
        {
            [MessagePackTreeWriter.ExtensionTypeKey] = JsonValue.Create((long)header.TypeCode),
            [MessagePackTreeWriter.ExtensionDataKey] = TypedValues.Create(payload),
        };
    }

    /// <summary>
    /// Decodes the timestamp extension (32, 64 and 96-bit forms). Returns false for a payload that is malformed or
    /// that <see cref="DateTimeOffset"/> cannot hold exactly (outside years 1-9999, or nanoseconds not a multiple of 100);
    /// such a timestamp stays an extension object, so nothing is lost.
    /// </summary>
    internal static bool TryDecodeTimestamp(ReadOnlySpan<byte> payload, out DateTimeOffset value)
    {
        long seconds;
        long nanoseconds;
        switch (payload.Length)
        {
            case 4:
                seconds = BinaryPrimitives.ReadUInt32BigEndian(payload);
                nanoseconds = 0;
                break;
            case 8:
                ulong packed = BinaryPrimitives.ReadUInt64BigEndian(payload);
                nanoseconds = (long)(packed >> 34);
                seconds = (long)(packed & 0x3_FFFF_FFFFUL);
                break;
            case 12:
                nanoseconds = BinaryPrimitives.ReadUInt32BigEndian(payload);
                seconds = BinaryPrimitives.ReadInt64BigEndian(payload[4..]);
                break;
            default:
                value = default;
                return false;
        }

        const long MinSeconds = -62_135_596_800; // 0001-01-01T00:00:00Z
        const long MaxSeconds = 253_402_300_799; // 9999-12-31T23:59:59Z
        if (nanoseconds >= 1_000_000_000 || nanoseconds % 100 != 0 || seconds < MinSeconds || seconds > MaxSeconds)
        {
            value = default;
            return false;
        }

        value = DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(nanoseconds / 100);
        return true;
    }

    private static string Describe(MessagePackType type) => type switch
    {
        MessagePackType.Binary => "binary",
        MessagePackType.Array => "an array",
        MessagePackType.Map => "a map",
        MessagePackType.Extension => "an extension value",
        _ => "an unknown value",
    };

    private static SerializationException Malformed(string problem, long offset, List<Frame> stack, Exception? inner) =>
        new(FormatName, $"{problem} (byte {offset.ToString(CultureInfo.InvariantCulture)})", path: PathOf(stack), innerException: inner);

    private static string PathOf(List<Frame> stack)
    {
        if (stack.Count == 0)
        {
            return "$";
        }

        // The innermost open container knows its own path; add the key or index being read.
        Frame top = stack[^1];
        JsonNode container = (JsonNode?)top.Object ?? top.Array!;
        string path = container.GetPath();
        if (top.Object is not null)
        {
            return top.Key is null ? path : path + "['" + top.Key.Replace("'", "\\'", StringComparison.Ordinal) + "']";
        }

        return path + "[" + Math.Max(0, top.Array!.Count - 1).ToString(CultureInfo.InvariantCulture) + "]";
    }

    private sealed class Frame
    {
        public JsonObject? Object { get; init; }

        public JsonArray? Array { get; init; }

        public long Remaining { get; set; }

        public string? Key { get; set; }
    }
}
