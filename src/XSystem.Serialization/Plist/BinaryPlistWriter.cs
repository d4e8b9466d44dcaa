using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using System.Text.Json.Nodes;

namespace XSystem.Serialization.Internal;

/// <summary>
/// Writes the tree as a binary property list (<c>bplist00</c>): objects numbered breadth first, equal strings (keys above
/// all) stored once, the smallest object-reference and offset sizes that fit, and the 32-byte trailer.
/// </summary>
internal static class BinaryPlistWriter
{
    private const string Format = BinaryPlistFormat.FormatName;

    private static readonly Encoding Utf16 = new UnicodeEncoding(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: true);

    private sealed class Entry
    {
        public JsonNode? Node { get; init; }

        public string? Text { get; init; }

        public int[]? Refs { get; set; }

        public JsonNode? Parent { get; init; }

        public string? Key { get; init; }

        public int Index { get; init; }

        /// <summary>The JSON path, computed only when an error needs it.</summary>
        public string Path => PlistValues.ChildPath(Parent, Key, Index);
    }

    public static void Write(JsonNode? tree, IBufferWriter<byte> output, SerializerOptions options)
    {
        List<Entry> entries = Flatten(tree);
        int refSize = entries.Count <= byte.MaxValue ? 1 : entries.Count <= ushort.MaxValue ? 2 : 4;
        var body = new ArrayBufferWriter<byte>(1024);
        body.Write("bplist00"u8);
        var offsets = new long[entries.Count];
        for (int i = 0; i < entries.Count; i++)
        {
            offsets[i] = body.WrittenCount;
            WriteEntry(entries[i], body, refSize);
        }

        long tableOffset = body.WrittenCount;
        int offsetSize = SizeFor((ulong)tableOffset);
        foreach (long offset in offsets)
        {
            WriteSized(body, (ulong)offset, offsetSize);
        }

        Span<byte> trailer = stackalloc byte[32];
        trailer.Clear();
        trailer[6] = (byte)offsetSize;
        trailer[7] = (byte)refSize;
        BinaryPrimitives.WriteUInt64BigEndian(trailer[8..], (ulong)entries.Count);
        BinaryPrimitives.WriteUInt64BigEndian(trailer[16..], 0);
        BinaryPrimitives.WriteUInt64BigEndian(trailer[24..], (ulong)tableOffset);
        body.Write(trailer);
        output.Write(body.WrittenSpan);
    }

    /// <summary>Numbers every object breadth first; the top object is 0. Equal strings share one object.</summary>
    private static List<Entry> Flatten(JsonNode? tree)
    {
        var entries = new List<Entry>();
        var strings = new Dictionary<string, int>(StringComparer.Ordinal);
        var pending = new Queue<int>();
        Add(tree, null, null, 0);
        while (pending.Count > 0)
        {
            int index = pending.Dequeue();
            Entry entry = entries[index];
            switch (entry.Node)
            {
                case JsonObject obj:
                    {
                        var refs = new int[obj.Count * 2];
                        int i = 0;
                        foreach (KeyValuePair<string, JsonNode?> pair in obj)
                        {
                            refs[i] = AddString(pair.Key);
                            refs[obj.Count + i] = Add(pair.Value, obj, pair.Key, i);
                            i++;
                        }

                        entry.Refs = refs;
                        break;
                    }

                case JsonArray array:
                    {
                        var refs = new int[array.Count];
                        for (int i = 0; i < array.Count; i++)
                        {
                            refs[i] = Add(array[i], array, null, i);
                        }

                        entry.Refs = refs;
                        break;
                    }
            }
        }

        return entries;

        int Add(JsonNode? node, JsonNode? parent, string? key, int index)
        {
            switch (node)
            {
                case null:
                    throw PlistValues.NoNull(Format, PlistValues.ChildPath(parent, key, index));
                case JsonObject obj when !PlistValues.IsUid(obj, out _):
                case JsonArray:
                    entries.Add(new Entry { Node = node, Parent = parent, Key = key, Index = index });
                    pending.Enqueue(entries.Count - 1);
                    return entries.Count - 1;
                case JsonValue value when value.TryGetValue(out string? text):
                    return AddString(text);
                default:
                    entries.Add(new Entry { Node = node, Parent = parent, Key = key, Index = index });
                    return entries.Count - 1;
            }
        }

        int AddString(string text)
        {
            if (!strings.TryGetValue(text, out int index))
            {
                entries.Add(new Entry { Text = text });
                index = entries.Count - 1;
                strings.Add(text, index);
            }

            return index;
        }
    }

    private static void WriteEntry(Entry entry, ArrayBufferWriter<byte> body, int refSize)
    {
        if (entry.Text is not null)
        {
            WriteString(entry.Text, body, entry);
            return;
        }

        switch (entry.Node)
        {
            case JsonObject obj when PlistValues.IsUid(obj, out long uid):
                int size = uid <= byte.MaxValue ? 1 : uid <= ushort.MaxValue ? 2 : uid <= uint.MaxValue ? 4 : 8;
                WriteByte(body, (byte)(0x80 | (size - 1)));
                WriteSized(body, (ulong)uid, size);
                return;
            case JsonObject:
                WriteHeader(body, 0xD, entry.Refs!.Length / 2);
                WriteRefs(body, entry.Refs, refSize);
                return;
            case JsonArray:
                WriteHeader(body, 0xA, entry.Refs!.Length);
                WriteRefs(body, entry.Refs, refSize);
                return;
        }

        TreeScalar scalar = TreeScalar.From((JsonValue)entry.Node!);
        switch (scalar.Kind)
        {
            case ScalarKind.Null:
                throw PlistValues.NoNull(Format, entry.Path);
            case ScalarKind.Boolean:
                WriteByte(body, scalar.Boolean ? (byte)0x09 : (byte)0x08);
                break;
            case ScalarKind.Integer:
                WriteInteger(body, scalar.Integer);
                break;
            case ScalarKind.BigInteger:
                if (scalar.Big < PlistValues.MinInteger || scalar.Big > PlistValues.MaxInteger)
                {
                    throw PlistValues.TooBig(Format, entry.Path);
                }

                WriteInt128(body, scalar.Big);
                break;
            case ScalarKind.Real:
                WriteByte(body, 0x23);
                BinaryPrimitives.WriteDoubleBigEndian(body.GetSpan(8), scalar.Real);
                body.Advance(8);
                break;
            case ScalarKind.String:
                WriteString(scalar.Text, body, entry);
                break;
            case ScalarKind.Bytes:
                WriteHeader(body, 0x4, scalar.Bytes.Length);
                body.Write(scalar.Bytes);
                break;
            case ScalarKind.DateTimeOffset:
                WriteDate(body, scalar.Date);
                break;
            case ScalarKind.DateOnly:
                WriteDate(body, new DateTimeOffset(((DateOnly)scalar.Reference!).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
                break;
            case ScalarKind.TimeOnly:
                WriteString(((TimeOnly)scalar.Reference!).ToString("HH':'mm':'ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture), body, entry);
                break;
        }
    }

    private static void WriteDate(ArrayBufferWriter<byte> body, DateTimeOffset date)
    {
        WriteByte(body, 0x33);
        double seconds = (date.UtcTicks - PlistValues.Epoch.UtcTicks) / (double)TimeSpan.TicksPerSecond;
        BinaryPrimitives.WriteDoubleBigEndian(body.GetSpan(8), seconds);
        body.Advance(8);
    }

    private static void WriteString(string text, ArrayBufferWriter<byte> body, Entry entry)
    {
        if (Ascii.IsValid(text))
        {
            WriteHeader(body, 0x5, text.Length);
            int written = Encoding.ASCII.GetBytes(text, body.GetSpan(text.Length));
            body.Advance(written);
            return;
        }

        byte[] utf16;
        try
        {
            utf16 = Utf16.GetBytes(text);
        }
        catch (EncoderFallbackException ex)
        {
            throw new SerializationException(Format, "the string holds an unpaired surrogate, which a property list cannot store", path: entry.Path, innerException: ex);
        }

        WriteHeader(body, 0x6, text.Length);
        body.Write(utf16);
    }

    private static void WriteInteger(ArrayBufferWriter<byte> body, long value)
    {
        // Negative values take 8 bytes (the 1-, 2- and 4-byte forms are unsigned), as Apple's and Python's writers do.
        if (value < 0)
        {
            WriteByte(body, 0x13);
            WriteSized(body, (ulong)value, 8);
            return;
        }

        int size = SizeFor((ulong)value);
        int log = size switch { 1 => 0, 2 => 1, 4 => 2, _ => 3 };
        WriteByte(body, (byte)(0x10 | log));
        WriteSized(body, (ulong)value, 1 << log);
    }

    private static void WriteInt128(ArrayBufferWriter<byte> body, BigInteger value)
    {
        WriteByte(body, 0x14);
        Span<byte> bytes = body.GetSpan(16)[..16];
        bytes.Fill(value.Sign < 0 ? (byte)0xFF : (byte)0);
        int length = value.GetByteCount(isUnsigned: false);
        value.TryWriteBytes(bytes[(16 - length)..], out _, isUnsigned: false, isBigEndian: true);
        body.Advance(16);
    }

    /// <summary>A marker with its count: inline in the low nibble up to 14, else 0xF followed by an integer object.</summary>
    private static void WriteHeader(ArrayBufferWriter<byte> body, int type, int count)
    {
        if (count < 15)
        {
            WriteByte(body, (byte)((type << 4) | count));
            return;
        }

        WriteByte(body, (byte)((type << 4) | 0xF));
        WriteInteger(body, count);
    }

    private static void WriteRefs(ArrayBufferWriter<byte> body, int[] refs, int refSize)
    {
        foreach (int r in refs)
        {
            WriteSized(body, (ulong)r, refSize);
        }
    }

    /// <summary>The fewest of 1, 2, 4 or 8 bytes that hold <paramref name="value"/>.</summary>
    private static int SizeFor(ulong value) =>
        value <= byte.MaxValue ? 1 : value <= ushort.MaxValue ? 2 : value <= uint.MaxValue ? 4 : 8;

    private static void WriteSized(ArrayBufferWriter<byte> body, ulong value, int size)
    {
        Span<byte> span = body.GetSpan(size);
        for (int i = size - 1; i >= 0; i--)
        {
            span[i] = (byte)value;
            value >>= 8;
        }

        body.Advance(size);
    }

    private static void WriteByte(ArrayBufferWriter<byte> body, byte value)
    {
        body.GetSpan(1)[0] = value;
        body.Advance(1);
    }
}
