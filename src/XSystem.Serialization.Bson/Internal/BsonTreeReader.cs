using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using MongoDB.Bson;

namespace XSystem.Serialization.Bson.Internal;

/// <summary>
/// Reads a BSON document into the tree (MongoDB Extended JSON v2, relaxed, with int32/int64/double kept apart by the
/// CLR type of the value), iteratively: open documents live on an explicit stack, every length prefix is checked
/// against its parent, and nothing is allocated from a claimed length. With <c>build: false</c> it only validates
/// the structure (lengths, terminators, depth), which the typed path runs before MongoDB.Bson sees the bytes.
/// </summary>
internal static class BsonTreeReader
{
    internal const string FormatName = "bson";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static JsonObject? Read(ReadOnlySpan<byte> data, SerializerOptions options, bool build)
    {
        if (data.Length < 5)
        {
            throw new SerializationException(FormatName, data.IsEmpty
                ? "the input is empty; a BSON document is at least 5 bytes"
                : "the input is shorter than the smallest BSON document (5 bytes)");
        }

        int declared = BinaryPrimitives.ReadInt32LittleEndian(data);
        if (declared != data.Length)
        {
            throw new SerializationException(
                FormatName,
                $"the document's length prefix says {declared.ToString(CultureInfo.InvariantCulture)} bytes but the input has {data.Length.ToString(CultureInfo.InvariantCulture)}");
        }

        var root = build ? new JsonObject() : null;
        var stack = new List<Frame> { new(root, isArray: false, end: data.Length, codeEnd: -1) };
        int pos = 4;
        while (stack.Count > 0)
        {
            Frame top = stack[^1];
            int limit = top.End - 1; // the terminating 0x00 belongs to the document
            if (pos > limit)
            {
                throw Error("an element runs past the end of its document", pos, stack);
            }

            if (pos == limit && data[pos] != 0)
            {
                throw Error("a document does not end with a zero byte where its length prefix says", pos, stack);
            }

            byte type = data[pos++];
            if (type == 0)
            {
                if (pos != top.End)
                {
                    throw Error("a document ends before its length prefix says", pos - 1, stack);
                }

                stack.RemoveAt(stack.Count - 1);
                if (top.CodeEnd >= 0 && pos != top.CodeEnd)
                {
                    throw Error("a code-with-scope value's length prefix does not match its content", pos, stack);
                }

                continue;
            }

            int keyStart = pos;
            int keyEnd = data[pos..limit].IndexOf((byte)0);
            if (keyEnd < 0)
            {
                throw Error("an element name has no terminating zero byte inside its document", pos, stack);
            }

            string? key = build && !top.IsArray ? Utf8(data.Slice(keyStart, keyEnd), keyStart, stack) : null;
            top.Key = key;
            pos += keyEnd + 1;
            JsonNode? value = null;
            switch (type)
            {
                case 0x01:
                    Need(pos, 8, limit, stack);
                    if (build)
                    {
                        value = JsonValue.Create(BinaryPrimitives.ReadDoubleLittleEndian(data[pos..]));
                    }

                    pos += 8;
                    break;
                case 0x02:
                    value = build ? JsonValue.Create(ReadString(data, ref pos, limit, stack)) : Skip(data, ref pos, limit, stack);
                    break;
                case 0x03:
                case 0x04:
                    {
                        int length = DocumentLength(data, pos, limit, stack);
                        CheckDepth(stack, options, pos);
                        JsonNode? container = build ? (type == 0x03 ? new JsonObject() : new JsonArray()) : null;
                        Attach(top, key, container, pos, stack);
                        stack.Add(new Frame(container, isArray: type == 0x04, end: pos + length, codeEnd: -1));
                        pos += 4;
                        continue;
                    }

                case 0x05:
                    value = ReadBinary(data, ref pos, limit, stack, build);
                    break;
                case 0x06:
                    value = build ? new JsonObject { [ExtendedJson.Undefined] = true } : null;
                    break;
                case 0x07:
                    Need(pos, 12, limit, stack);
                    value = build ? new JsonObject { [ExtendedJson.ObjectId] = Convert.ToHexStringLower(data.Slice(pos, 12)) } : null;
                    pos += 12;
                    break;
                case 0x08:
                    Need(pos, 1, limit, stack);
                    if (data[pos] > 1)
                    {
                        throw Error($"a boolean holds the byte {data[pos].ToString(CultureInfo.InvariantCulture)}; only 0 and 1 are valid", pos, stack);
                    }

                    value = build ? JsonValue.Create(data[pos] == 1) : null;
                    pos += 1;
                    break;
                case 0x09:
                    Need(pos, 8, limit, stack);
                    value = build ? ExtendedJson.Date(BinaryPrimitives.ReadInt64LittleEndian(data[pos..])) : null;
                    pos += 8;
                    break;
                case 0x0A:
                    break;
                case 0x0B:
                    {
                        string? pattern = ReadCString(data, ref pos, limit, stack, build);
                        string? flags = ReadCString(data, ref pos, limit, stack, build);
                        value = build
                            ? new JsonObject { [ExtendedJson.Regex] = new JsonObject { ["pattern"] = pattern, ["options"] = flags } }
                            : null;
                        break;
                    }

                case 0x0C:
                    {
                        string? ns = build ? ReadString(data, ref pos, limit, stack) : SkipString(data, ref pos, limit, stack);
                        Need(pos, 12, limit, stack);
                        value = build
                            ? new JsonObject
                            {
                                [ExtendedJson.DbPointer] = new JsonObject
                                {
                                    ["$ref"] = ns,
                                    ["$id"] = new JsonObject { [ExtendedJson.ObjectId] = Convert.ToHexStringLower(data.Slice(pos, 12)) },
                                },
                            }
                            : null;
                        pos += 12;
                        break;
                    }

                case 0x0D:
                    value = build ? new JsonObject { [ExtendedJson.Code] = ReadString(data, ref pos, limit, stack) } : Skip(data, ref pos, limit, stack);
                    break;
                case 0x0E:
                    value = build ? new JsonObject { [ExtendedJson.Symbol] = ReadString(data, ref pos, limit, stack) } : Skip(data, ref pos, limit, stack);
                    break;
                case 0x0F:
                    {
                        // int32 total length, string code, document scope.
                        Need(pos, 4, limit, stack);
                        int total = BinaryPrimitives.ReadInt32LittleEndian(data[pos..]);
                        if (total < 14 || total > limit - pos)
                        {
                            throw Error("a code-with-scope length prefix is impossible", pos, stack);
                        }

                        int codeEnd = pos + total;
                        pos += 4;
                        string? code = build ? ReadString(data, ref pos, codeEnd, stack) : SkipString(data, ref pos, codeEnd, stack);
                        int length = DocumentLength(data, pos, codeEnd, stack);
                        CheckDepth(stack, options, pos);
                        JsonObject? scope = build ? new JsonObject() : null;
                        Attach(top, key, build ? new JsonObject { [ExtendedJson.Code] = code, [ExtendedJson.Scope] = scope } : null, pos, stack);
                        stack.Add(new Frame(scope, isArray: false, end: pos + length, codeEnd: codeEnd));
                        pos += 4;
                        continue;
                    }

                case 0x10:
                    Need(pos, 4, limit, stack);
                    value = build ? JsonValue.Create(BinaryPrimitives.ReadInt32LittleEndian(data[pos..])) : null;
                    pos += 4;
                    break;
                case 0x11:
                    Need(pos, 8, limit, stack);
                    if (build)
                    {
                        uint increment = BinaryPrimitives.ReadUInt32LittleEndian(data[pos..]);
                        uint seconds = BinaryPrimitives.ReadUInt32LittleEndian(data[(pos + 4)..]);
                        value = new JsonObject { [ExtendedJson.Timestamp] = new JsonObject { ["t"] = (long)seconds, ["i"] = (long)increment } };
                    }

                    pos += 8;
                    break;
                case 0x12:
                    Need(pos, 8, limit, stack);
                    value = build ? JsonValue.Create(BinaryPrimitives.ReadInt64LittleEndian(data[pos..])) : null;
                    pos += 8;
                    break;
                case 0x13:
                    Need(pos, 16, limit, stack);
                    if (build)
                    {
                        ulong low = BinaryPrimitives.ReadUInt64LittleEndian(data[pos..]);
                        ulong high = BinaryPrimitives.ReadUInt64LittleEndian(data[(pos + 8)..]);
                        value = new JsonObject { [ExtendedJson.Decimal] = Decimal128.FromIEEEBits(high, low).ToString() };
                    }

                    pos += 16;
                    break;
                case 0x7F:
                    value = build ? new JsonObject { [ExtendedJson.MaxKey] = 1 } : null;
                    break;
                case 0xFF:
                    value = build ? new JsonObject { [ExtendedJson.MinKey] = 1 } : null;
                    break;
                default:
                    throw Error($"the element type 0x{type.ToString("x2", CultureInfo.InvariantCulture)} is not a BSON type", keyStart - 1, stack);
            }

            Attach(top, key, value, keyStart, stack);
        }

        if (pos != data.Length)
        {
            throw Error("unexpected data after the document", pos, stack);
        }

        return root;
    }

    private static void Attach(Frame top, string? key, JsonNode? value, int at, List<Frame> stack)
    {
        switch (top.Container)
        {
            case JsonArray array:
                array.Add(value);
                break;
            case JsonObject obj:
                if (!obj.TryAdd(key!, value))
                {
                    throw Error($"the element name '{key}' appears twice in one document; a tree object holds each name once", at, stack);
                }

                break;
        }

        top.Count++;
    }

    private static void CheckDepth(List<Frame> stack, SerializerOptions options, int at)
    {
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

    private static int DocumentLength(ReadOnlySpan<byte> data, int pos, int limit, List<Frame> stack)
    {
        Need(pos, 4, limit, stack);
        int length = BinaryPrimitives.ReadInt32LittleEndian(data[pos..]);
        if (length < 5 || length > limit - pos)
        {
            throw Error($"an embedded document's length prefix ({length.ToString(CultureInfo.InvariantCulture)}) is impossible here", pos, stack);
        }

        return length;
    }

    private static JsonObject? ReadBinary(ReadOnlySpan<byte> data, ref int pos, int limit, List<Frame> stack, bool build)
    {
        Need(pos, 5, limit, stack);
        int length = BinaryPrimitives.ReadInt32LittleEndian(data[pos..]);
        if (length < 0 || length > limit - pos - 5)
        {
            throw Error($"a binary length prefix ({length.ToString(CultureInfo.InvariantCulture)}) points past the end of its document", pos, stack);
        }

        byte subType = data[pos + 4];
        ReadOnlySpan<byte> payload = data.Slice(pos + 5, length);
        if (subType == 0x02)
        {
            // The deprecated "old binary" subtype repeats the length inside; Extended JSON carries only the bytes.
            if (length < 4 || BinaryPrimitives.ReadInt32LittleEndian(payload) != length - 4)
            {
                throw Error("an old-style binary (subtype 2) value's inner length does not match", pos, stack);
            }

            payload = payload[4..];
        }

        pos += 5 + length;
        return build ? ExtendedJson.Binary(payload, subType) : null;
    }

    private static string ReadString(ReadOnlySpan<byte> data, ref int pos, int limit, List<Frame> stack)
    {
        int start = pos;
        SkipString(data, ref pos, limit, stack);
        return Utf8(data.Slice(start + 4, pos - start - 5), start, stack);
    }

    private static JsonNode? Skip(ReadOnlySpan<byte> data, ref int pos, int limit, List<Frame> stack)
    {
        SkipString(data, ref pos, limit, stack);
        return null;
    }

    private static string? SkipString(ReadOnlySpan<byte> data, ref int pos, int limit, List<Frame> stack)
    {
        Need(pos, 4, limit, stack);
        int length = BinaryPrimitives.ReadInt32LittleEndian(data[pos..]);
        if (length < 1 || length > limit - pos - 4)
        {
            throw Error($"a string length prefix ({length.ToString(CultureInfo.InvariantCulture)}) is impossible here", pos, stack);
        }

        if (data[pos + 4 + length - 1] != 0)
        {
            throw Error("a string does not end with a zero byte", pos, stack);
        }

        pos += 4 + length;
        return null;
    }

    private static string? ReadCString(ReadOnlySpan<byte> data, ref int pos, int limit, List<Frame> stack, bool build)
    {
        int end = data[pos..limit].IndexOf((byte)0);
        if (end < 0)
        {
            throw Error("a regular expression has no terminating zero byte inside its document", pos, stack);
        }

        string? text = build ? Utf8(data.Slice(pos, end), pos, stack) : null;
        pos += end + 1;
        return text;
    }

    private static string Utf8(ReadOnlySpan<byte> bytes, int at, List<Frame> stack)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw Error("a string is not valid UTF-8", at, stack, ex);
        }
    }

    private static void Need(int pos, int count, int limit, List<Frame> stack)
    {
        if (pos > limit - count)
        {
            throw Error("a value runs past the end of its document", pos, stack);
        }
    }

    private static SerializationException Error(string problem, int offset, List<Frame> stack, Exception? inner = null) =>
        new(FormatName, $"{problem} (byte {offset.ToString(CultureInfo.InvariantCulture)})", path: PathOf(stack), innerException: inner);

    private static string PathOf(List<Frame> stack)
    {
        if (stack.Count == 0)
        {
            return "$";
        }

        Frame top = stack[^1];
        if (top.Container is null)
        {
            return "$";
        }

        string path = top.Container.GetPath();
        return top.IsArray
            ? path + "[" + top.Count.ToString(CultureInfo.InvariantCulture) + "]"
            : top.Key is null ? path : path + "['" + top.Key.Replace("'", "\\'", StringComparison.Ordinal) + "']";
    }

    private sealed class Frame
    {
        public Frame(JsonNode? container, bool isArray, int end, int codeEnd)
        {
            Container = container;
            IsArray = isArray;
            End = end;
            CodeEnd = codeEnd;
        }

        public JsonNode? Container { get; }

        public bool IsArray { get; }

        public int End { get; }

        /// <summary>For the scope of a code-with-scope value: where the whole value must end; -1 otherwise.</summary>
        public int CodeEnd { get; }

        public int Count { get; set; }

        public string? Key { get; set; }
    }
}
