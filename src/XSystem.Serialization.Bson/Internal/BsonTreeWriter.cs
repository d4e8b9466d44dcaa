using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MongoDB.Bson;
using XSystem.Serialization.Internal;

namespace XSystem.Serialization.Bson.Internal;

/// <summary>
/// Writes a tree as one BSON document, iteratively. Objects in the Extended JSON v2 shapes the reader produces
/// (<c>$oid</c>, <c>$date</c>, <c>$binary</c> ...) become the BSON types they stand for; the CLR type of a value picks
/// int32 (<see cref="int"/>), int64 (<see cref="long"/>, and integers parsed from JSON text) or double.
/// </summary>
internal sealed class BsonTreeWriter
{
    private const string FormatName = BsonTreeReader.FormatName;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private byte[] _buffer = new byte[256];
    private int _length;

    public static void Write(JsonNode? tree, IBufferWriter<byte> output, SerializerOptions options)
    {
        if (tree is not JsonObject root)
        {
            throw new SerializationException(
                FormatName,
                $"the root of a BSON document must be an object, not {(tree is null ? "null" : tree.GetValueKind().ToString())}; wrap the value, for example {{\"value\": ...}}",
                path: "$");
        }

        var writer = new BsonTreeWriter();
        writer.WriteDocument(root, options);
        output.Write(writer._buffer.AsSpan(0, writer._length));
    }

    private void WriteDocument(JsonObject root, SerializerOptions options)
    {
        var stack = new Stack<Frame>();
        stack.Push(Open(root, null, options, 0, scopeStart: -1));
        while (stack.Count > 0)
        {
            Frame top = stack.Peek();
            if (!top.MoveNext(out string? key, out JsonNode? child))
            {
                stack.Pop();
                WriteByte(0);
                PatchLength(top.Start);
                if (top.ScopeStart >= 0)
                {
                    PatchLength(top.ScopeStart);
                }

                continue;
            }

            string name = key ?? top.Index.ToString(CultureInfo.InvariantCulture);
            if (WriteElement(name, child, stack.Count, options) is { } opened)
            {
                stack.Push(opened);
            }
        }
    }

    private Frame Open(JsonNode container, JsonNode? pathNode, SerializerOptions options, int depth, int scopeStart)
    {
        if (depth + 1 > options.MaxDepth)
        {
            FormatGuards.ThrowTooDeep(options, FormatName, path: (pathNode ?? container).GetPath());
        }

        int start = _length;
        WriteInt32(0);
        return container is JsonObject obj ? new Frame(obj, start, scopeStart) : new Frame((JsonArray)container, start);
    }

    /// <summary>Writes one element; returns the frame of a document or array it opened, if any.</summary>
    private Frame? WriteElement(string name, JsonNode? node, int depth, SerializerOptions options)
    {
        int typeAt = _length;
        WriteByte(0); // patched below
        WriteCString(name, node);
        byte type;
        switch (node)
        {
            case null:
                type = 0x0A;
                break;
            case JsonArray array:
                _buffer[typeAt] = 0x04;
                return Open(array, null, options, depth, -1);
            case JsonObject obj:
                if (TryWriteExtended(obj, out type, depth, options, out Frame? scope))
                {
                    _buffer[typeAt] = type;
                    return scope;
                }

                _buffer[typeAt] = 0x03;
                return Open(obj, null, options, depth, -1);
            default:
                type = WriteScalar((JsonValue)node);
                break;
        }

        _buffer[typeAt] = type;
        return null;
    }

    private bool TryWriteExtended(JsonObject obj, out byte type, int depth, SerializerOptions options, out Frame? scope)
    {
        type = 0;
        scope = null;
        if (obj.Count is 0 or > 2)
        {
            return false;
        }

        var (key, value) = obj.First();
        if (key.Length == 0 || key[0] != '$')
        {
            return false;
        }

        if (obj.Count == 2)
        {
            if (obj.TryGetPropertyValue(ExtendedJson.Code, out JsonNode? codeNode) && Text(codeNode) is { } scopedCode
                && obj.TryGetPropertyValue(ExtendedJson.Scope, out JsonNode? scopeNode) && scopeNode is JsonObject scopeDocument)
            {
                int start = _length;
                WriteInt32(0);
                WriteString(scopedCode);
                type = 0x0F;
                scope = Open(scopeDocument, scopeDocument, options, depth, start);
                return true;
            }

            return false;
        }

        switch (key)
        {
            case ExtendedJson.ObjectId when Text(value) is { Length: 24 } hex && IsHex(hex):
                WriteBytes(Convert.FromHexString(hex));
                type = 0x07;
                return true;
            case ExtendedJson.DateKey when DateMilliseconds(value) is { } ms:
                WriteInt64(ms);
                type = 0x09;
                return true;
            case ExtendedJson.Decimal when Text(value) is { } text && Decimal128.TryParse(text, out Decimal128 dec):
                WriteUInt64(dec.GetIEEELowBits());
                WriteUInt64(dec.GetIEEEHighBits());
                type = 0x13;
                return true;
            case ExtendedJson.NumberLong when Text(value) is { } text && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l):
                WriteInt64(l);
                type = 0x12;
                return true;
            case ExtendedJson.NumberInt when Text(value) is { } text && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int i):
                WriteInt32(i);
                type = 0x10;
                return true;
            case ExtendedJson.NumberDouble when Text(value) is { } text && ParseDouble(text) is { } d:
                WriteDouble(d);
                type = 0x01;
                return true;
            case ExtendedJson.BinaryKey when value is JsonObject binary && TryBinary(binary, out byte[]? payload, out byte subType):
                WriteBinary(payload, subType);
                type = 0x05;
                return true;
            case ExtendedJson.Timestamp when value is JsonObject { Count: 2 } ts
                && UInt32(ts["t"]) is { } seconds && UInt32(ts["i"]) is { } increment:
                WriteUInt32(increment);
                WriteUInt32(seconds);
                type = 0x11;
                return true;
            case ExtendedJson.Regex when value is JsonObject { Count: 2 } regex
                && Text(regex["pattern"]) is { } pattern && Text(regex["options"]) is { } flags:
                WriteCString(pattern, regex["pattern"]);
                WriteCString(flags, regex["options"]);
                type = 0x0B;
                return true;
            case ExtendedJson.DbPointer when value is JsonObject { Count: 2 } pointer
                && Text(pointer["$ref"]) is { } ns && pointer["$id"] is JsonObject { Count: 1 } id
                && Text(id[ExtendedJson.ObjectId]) is { Length: 24 } idHex && IsHex(idHex):
                WriteString(ns);
                WriteBytes(Convert.FromHexString(idHex));
                type = 0x0C;
                return true;
            case ExtendedJson.Code when Text(value) is { } code:
                WriteString(code);
                type = 0x0D;
                return true;
            case ExtendedJson.Symbol when Text(value) is { } symbol:
                WriteString(symbol);
                type = 0x0E;
                return true;
            case ExtendedJson.Undefined when value is JsonValue u && u.TryGetValue(out bool isTrue) && isTrue:
                type = 0x06;
                return true;
            case ExtendedJson.Undefined when value is JsonValue u && u.TryGetValue(out JsonElement e) && e.ValueKind == JsonValueKind.True:
                type = 0x06;
                return true;
            case ExtendedJson.MinKey when IsOne(value):
                type = 0xFF;
                return true;
            case ExtendedJson.MaxKey when IsOne(value):
                type = 0x7F;
                return true;
            default:
                return false;
        }
    }

    private byte WriteScalar(JsonValue value)
    {
        if (value.TryGetValue(out JsonElement element))
        {
            return WriteElementValue(element, value);
        }

        if (value.TryGetValue(out string? text))
        {
            WriteString(text, value);
            return 0x02;
        }

        if (value.TryGetValue(out int i))
        {
            WriteInt32(i);
            return 0x10;
        }

        if (value.TryGetValue(out long l))
        {
            WriteInt64(l);
            return 0x12;
        }

        if (value.TryGetValue(out double d))
        {
            WriteDouble(d);
            return 0x01;
        }

        if (value.TryGetValue(out bool b))
        {
            WriteByte(b ? (byte)1 : (byte)0);
            return 0x08;
        }

        if (value.TryGetValue(out byte[]? bytes))
        {
            WriteBinary(bytes, 0);
            return 0x05;
        }

        if (value.TryGetValue(out ReadOnlyMemory<byte> memory))
        {
            WriteBinary(memory.ToArray(), 0);
            return 0x05;
        }

        if (value.TryGetValue(out DateTimeOffset dto))
        {
            WriteInt64(ExtendedJson.ToMilliseconds(dto));
            return 0x09;
        }

        if (value.TryGetValue(out DateTime dt))
        {
            WriteInt64(ExtendedJson.ToMilliseconds(dt.Kind == DateTimeKind.Unspecified ? new DateTimeOffset(dt, TimeSpan.Zero) : new DateTimeOffset(dt)));
            return 0x09;
        }

        if (value.TryGetValue(out float f))
        {
            WriteDouble(f);
            return 0x01;
        }

        if (value.TryGetValue(out decimal m))
        {
            var dec = new Decimal128(m);
            WriteUInt64(dec.GetIEEELowBits());
            WriteUInt64(dec.GetIEEEHighBits());
            return 0x13;
        }

        if (value.TryGetValue(out short s))
        {
            WriteInt32(s);
            return 0x10;
        }

        if (value.TryGetValue(out byte u8))
        {
            WriteInt32(u8);
            return 0x10;
        }

        if (value.TryGetValue(out sbyte s8))
        {
            WriteInt32(s8);
            return 0x10;
        }

        if (value.TryGetValue(out ushort u16))
        {
            WriteInt32(u16);
            return 0x10;
        }

        if (value.TryGetValue(out Guid guid))
        {
            WriteBinary(guid.ToByteArray(bigEndian: true), 4);
            return 0x05;
        }

        if (value.TryGetValue(out char c))
        {
            WriteString(c.ToString(), value);
            return 0x02;
        }

        if (value.TryGetValue(out uint u32))
        {
            WriteInt64(u32);
            return 0x12;
        }

        if (value.TryGetValue(out ulong u64))
        {
            return WriteInteger(u64, value);
        }

        if (value.TryGetValue(out BigInteger big))
        {
            return WriteInteger(big, value);
        }

        // Anything else (DateOnly, TimeOnly, enums, Half ...) goes as System.Text.Json would write it.
        return WriteElementValue(JsonSerializer.SerializeToElement<JsonNode>(value, JsonSerializerOptions.Default), value);
    }

    private byte WriteInteger(BigInteger integer, JsonValue value)
    {
        if (integer < long.MinValue || integer > long.MaxValue)
        {
            throw new SerializationException(
                FormatName,
                $"the integer {integer.ToString(CultureInfo.InvariantCulture)} does not fit BSON's 64-bit integers; store it as a string or {{\"$numberDecimal\": \"...\"}}",
                path: value.GetPath());
        }

        WriteInt64((long)integer);
        return 0x12;
    }

    private byte WriteElementValue(JsonElement element, JsonValue value)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                WriteString(element.GetString()!, value);
                return 0x02;
            case JsonValueKind.True:
                WriteByte(1);
                return 0x08;
            case JsonValueKind.False:
                WriteByte(0);
                return 0x08;
            case JsonValueKind.Null:
                return 0x0A;
            case JsonValueKind.Number:
                if (element.TryGetInt64(out long l))
                {
                    // JSON does not say int32 or int64; integers from JSON text are int64 (see the docs).
                    WriteInt64(l);
                    return 0x12;
                }

                string raw = element.GetRawText();
                if (raw.AsSpan().IndexOfAny('.', 'e', 'E') < 0
                    && BigInteger.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out BigInteger big))
                {
                    return WriteInteger(big, value);
                }

                if (element.TryGetDouble(out double d) && double.IsFinite(d))
                {
                    WriteDouble(d);
                    return 0x01;
                }

                throw new SerializationException(FormatName, $"the number {raw} does not fit a 64-bit float; store it as a string or {{\"$numberDecimal\": \"...\"}}", path: value.GetPath());
            default:
                throw new SerializationException(FormatName, $"a {element.ValueKind} value cannot be written as a scalar", path: value.GetPath());
        }
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private static bool IsHex(string text)
    {
        foreach (char c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsOne(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.ToJsonString() == "1";

    private static long? Integer(JsonNode? node)
    {
        if (node is not JsonValue value)
        {
            return null;
        }

        if (value.TryGetValue(out long l)) { return l; }
        if (value.TryGetValue(out int i)) { return i; }
        if (value.TryGetValue(out uint u)) { return u; }
        if (value.TryGetValue(out JsonElement e) && e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out long fromJson)) { return fromJson; }
        return null;
    }

    private static uint? UInt32(JsonNode? node) => Integer(node) is { } n && n is >= 0 and <= uint.MaxValue ? (uint)n : null;

    private static long? DateMilliseconds(JsonNode? node)
    {
        if (Text(node) is { } iso)
        {
            return DateTimeOffset.TryParse(iso, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset parsed)
                ? ExtendedJson.ToMilliseconds(parsed)
                : null;
        }

        if (node is JsonObject { Count: 1 } wrapped && Text(wrapped[ExtendedJson.NumberLong]) is { } text
            && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long ms))
        {
            return ms;
        }

        return Integer(node);
    }

    private static double? ParseDouble(string text) => text switch
    {
        "Infinity" => double.PositiveInfinity,
        "-Infinity" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? d : null,
    };

    private static bool TryBinary(JsonObject binary, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out byte[]? payload, out byte subType)
    {
        payload = null;
        subType = 0;
        if (binary.Count != 2 || Text(binary["base64"]) is not { } base64 || Text(binary["subType"]) is not { Length: >= 1 and <= 2 } sub
            || !byte.TryParse(sub, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out subType))
        {
            return false;
        }

        try
        {
            payload = Convert.FromBase64String(base64);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private void WriteBinary(byte[] payload, byte subType)
    {
        if (subType == 0x02)
        {
            WriteInt32(payload.Length + 4);
            WriteByte(subType);
            WriteInt32(payload.Length);
        }
        else
        {
            WriteInt32(payload.Length);
            WriteByte(subType);
        }

        WriteBytes(payload);
    }

    private void WriteString(string text, JsonNode? pathNode = null)
    {
        int count = Utf8Count(text, pathNode);
        WriteInt32(count + 1);
        Ensure(count + 1);
        StrictUtf8.GetBytes(text, _buffer.AsSpan(_length));
        _length += count;
        _buffer[_length++] = 0;
    }

    private void WriteCString(string text, JsonNode? pathNode)
    {
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            throw new SerializationException(FormatName, "an element name or regular expression holds a zero character, which BSON cannot store there", path: pathNode?.GetPath());
        }

        int count = Utf8Count(text, pathNode);
        Ensure(count + 1);
        StrictUtf8.GetBytes(text, _buffer.AsSpan(_length));
        _length += count;
        _buffer[_length++] = 0;
    }

    private static int Utf8Count(string text, JsonNode? pathNode)
    {
        try
        {
            return StrictUtf8.GetByteCount(text);
        }
        catch (EncoderFallbackException ex)
        {
            throw new SerializationException(FormatName, "a string holds a lone surrogate, which UTF-8 cannot encode", path: pathNode?.GetPath(), innerException: ex);
        }
    }

    private void PatchLength(int start) => BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(start), _length - start);

    private void WriteByte(byte value)
    {
        Ensure(1);
        _buffer[_length++] = value;
    }

    private void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    private void WriteInt32(int value)
    {
        Ensure(4);
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_length), value);
        _length += 4;
    }

    private void WriteUInt32(uint value)
    {
        Ensure(4);
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(_length), value);
        _length += 4;
    }

    private void WriteInt64(long value)
    {
        Ensure(8);
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.AsSpan(_length), value);
        _length += 8;
    }

    private void WriteUInt64(ulong value)
    {
        Ensure(8);
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer.AsSpan(_length), value);
        _length += 8;
    }

    private void WriteDouble(double value)
    {
        Ensure(8);
        BinaryPrimitives.WriteDoubleLittleEndian(_buffer.AsSpan(_length), value);
        _length += 8;
    }

    private void Ensure(int more)
    {
        long needed = (long)_length + more;
        if (needed > int.MaxValue - 64)
        {
            throw new SerializationException(FormatName, "the document would be larger than 2 GiB, beyond what BSON's 32-bit lengths hold");
        }

        if (needed > _buffer.Length)
        {
            Array.Resize(ref _buffer, (int)Math.Min(int.MaxValue - 64, Math.Max(needed, _buffer.Length * 2L)));
        }
    }

    private sealed class Frame
    {
        private readonly IEnumerator<KeyValuePair<string, JsonNode?>>? _properties;
        private readonly JsonArray? _array;

        public Frame(JsonObject obj, int start, int scopeStart)
        {
            _properties = obj.GetEnumerator();
            Start = start;
            ScopeStart = scopeStart;
        }

        public Frame(JsonArray array, int start)
        {
            _array = array;
            Start = start;
            ScopeStart = -1;
        }

        public int Start { get; }

        /// <summary>Where the enclosing code-with-scope value starts (its length is patched when the scope closes); -1 otherwise.</summary>
        public int ScopeStart { get; }

        /// <summary>The index of the array item just returned by <see cref="MoveNext"/>.</summary>
        public int Index { get; private set; } = -1;

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
            if (Index + 1 < _array!.Count)
            {
                Index++;
                child = _array[Index];
                return true;
            }

            child = null;
            return false;
        }
    }
}
