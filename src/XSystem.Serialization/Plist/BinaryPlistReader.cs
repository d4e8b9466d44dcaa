using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json.Nodes;

namespace XSystem.Serialization.Internal;

/// <summary>
/// Reads a binary property list (<c>bplist00</c>) into the tree without recursion. Every offset, count and object reference
/// is checked against the input's bounds before use; containers on the current path are tracked so reference cycles are
/// rejected; depth is capped by <see cref="SerializerOptions.MaxDepth"/>; shared containers cannot expand the tree beyond
/// <see cref="ExpansionFactor"/> nodes per input byte; nothing is allocated from a claimed count before it is checked.
/// </summary>
internal sealed class BinaryPlistReader
{
    /// <summary>At most this many tree nodes per input byte (plus <see cref="ExpansionSlack"/>): containers shared by
    /// reference could otherwise expand a small file into an enormous tree.</summary>
    internal const int ExpansionFactor = 4;

    internal const int ExpansionSlack = 1024;

    private const string Format = BinaryPlistFormat.FormatName;
    private const int TrailerSize = 32;

    private static readonly Encoding Utf16 = new UnicodeEncoding(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: true);

    private readonly byte[] _data;
    private readonly SerializerOptions _options;
    private readonly int _offsetSize;
    private readonly int _refSize;
    private readonly long _objectCount;
    private readonly long _tableOffset;
    private readonly long _objectsEnd;
    private readonly List<Frame> _stack = [];
    private readonly HashSet<long> _onPath = [];
    private readonly long _budget;
    private long _nodes;

    private BinaryPlistReader(byte[] data, SerializerOptions options, int offsetSize, int refSize, long objectCount, long tableOffset)
    {
        _data = data;
        _options = options;
        _offsetSize = offsetSize;
        _refSize = refSize;
        _objectCount = objectCount;
        _tableOffset = tableOffset;
        _objectsEnd = tableOffset; // objects lie between the header and the offset table
        _budget = ((long)ExpansionFactor * data.Length) + ExpansionSlack;
    }

    public static bool IsBinary(ReadOnlySpan<byte> data) => data.StartsWith("bplist"u8);

    public static JsonNode? Read(ReadOnlySpan<byte> data, SerializerOptions options)
    {
        if (!data.StartsWith("bplist"u8))
        {
            throw new SerializationException(Format, "the input does not start with the binary property list signature 'bplist00'");
        }

        if (data.Length < 8 || !data.StartsWith("bplist00"u8))
        {
            string version = Encoding.ASCII.GetString(data[..Math.Min(8, data.Length)]);
            throw new SerializationException(Format, $"'{version}' is not a supported binary property list version; only bplist00 is read");
        }

        if (data.Length < 8 + 1 + 1 + TrailerSize)
        {
            throw new SerializationException(Format, $"the input is {data.Length.ToString(CultureInfo.InvariantCulture)} bytes, too short for a binary property list (header, one object, offset table and 32-byte trailer)");
        }

        ReadOnlySpan<byte> trailer = data[^TrailerSize..];
        int offsetSize = trailer[6];
        int refSize = trailer[7];
        ulong objectCount = BinaryPrimitives.ReadUInt64BigEndian(trailer[8..]);
        ulong top = BinaryPrimitives.ReadUInt64BigEndian(trailer[16..]);
        ulong tableOffset = BinaryPrimitives.ReadUInt64BigEndian(trailer[24..]);
        long tableEnd = data.Length - TrailerSize;
        if (offsetSize is < 1 or > 8 || refSize is < 1 or > 8)
        {
            throw Trailer($"offset size {offsetSize.ToString(CultureInfo.InvariantCulture)} and reference size {refSize.ToString(CultureInfo.InvariantCulture)} must be 1 to 8 bytes");
        }

        if (objectCount == 0 || tableOffset < 9 || tableOffset >= (ulong)tableEnd || objectCount > ((ulong)tableEnd - tableOffset) / (ulong)offsetSize)
        {
            throw Trailer($"{objectCount.ToString(CultureInfo.InvariantCulture)} objects with an offset table at byte {tableOffset.ToString(CultureInfo.InvariantCulture)} do not fit in {data.Length.ToString(CultureInfo.InvariantCulture)} bytes");
        }

        if (top >= objectCount)
        {
            throw Trailer($"the top object {top.ToString(CultureInfo.InvariantCulture)} is not among the {objectCount.ToString(CultureInfo.InvariantCulture)} objects");
        }

        var reader = new BinaryPlistReader(data.ToArray(), options, offsetSize, refSize, (long)objectCount, (long)tableOffset);
        return reader.ReadTree((long)top);
    }

    private static SerializationException Trailer(string problem) =>
        new(Format, $"the trailer is corrupt: {problem}");

    private sealed class Frame(JsonNode container, long objectIndex, long refsAt, int count, bool isDict)
    {
        public JsonNode Container { get; } = container;

        public long ObjectIndex { get; } = objectIndex;

        public long RefsAt { get; } = refsAt;

        public int Count { get; } = count;

        public bool IsDict { get; } = isDict;

        public int Next { get; set; }
    }

    private JsonNode? ReadTree(long top)
    {
        JsonNode? root = ReadObject(top, null, out Frame? rootFrame);
        if (rootFrame is null)
        {
            return root;
        }

        Push(rootFrame);
        while (_stack.Count > 0)
        {
            Frame frame = _stack[^1];
            if (frame.Next >= frame.Count)
            {
                _onPath.Remove(frame.ObjectIndex);
                _stack.RemoveAt(_stack.Count - 1);
                continue;
            }

            int i = frame.Next++;
            if (frame.IsDict)
            {
                long keyRef = ReadRef(frame.RefsAt + ((long)i * _refSize));
                string key = ReadKey(keyRef);
                var obj = (JsonObject)frame.Container;
                if (obj.ContainsKey(key))
                {
                    throw Fail($"the key '{key}' occurs twice in one dictionary", frame.ObjectIndex);
                }

                long valueRef = ReadRef(frame.RefsAt + ((long)(frame.Count + i) * _refSize));
                JsonNode? value = ReadObject(valueRef, frame, out Frame? opened);
                obj.Add(key, value);
                if (opened is not null)
                {
                    Push(opened);
                }
            }
            else
            {
                long itemRef = ReadRef(frame.RefsAt + ((long)i * _refSize));
                JsonNode? item = ReadObject(itemRef, frame, out Frame? opened);
                ((JsonArray)frame.Container).Add(item);
                if (opened is not null)
                {
                    Push(opened);
                }
            }
        }

        return root;
    }

    private void Push(Frame frame)
    {
        _stack.Add(frame);
        _onPath.Add(frame.ObjectIndex);
    }

    private long ReadRef(long at)
    {
        if (at < 0 || at + _refSize > _objectsEnd)
        {
            throw Fail("an object reference lies past the end of the objects", null);
        }

        long value = ReadUnsigned(at, _refSize);
        if (value < 0 || value >= _objectCount)
        {
            throw Fail($"an object reference points to object {((ulong)value).ToString(CultureInfo.InvariantCulture)}, but there are {_objectCount.ToString(CultureInfo.InvariantCulture)}", null);
        }

        return value;
    }

    private long OffsetOf(long index)
    {
        long offset = ReadUnsigned(_tableOffset + (index * _offsetSize), _offsetSize);
        if (offset < 8 || offset >= _objectsEnd)
        {
            throw Fail($"the offset table puts the object at byte {((ulong)offset).ToString(CultureInfo.InvariantCulture)}, outside the file", index);
        }

        return offset;
    }

    /// <summary>Reads <paramref name="size"/> big-endian bytes as an unsigned number (negative when the top bit of 8 bytes is set).</summary>
    private long ReadUnsigned(long at, int size)
    {
        ulong value = 0;
        for (int i = 0; i < size; i++)
        {
            value = (value << 8) | _data[at + i];
        }

        return (long)value;
    }

    private string ReadKey(long index)
    {
        long at = OffsetOf(index);
        int high = _data[at] >> 4;
        if (high is not (0x5 or 0x6))
        {
            throw Fail("a dictionary key is not a string", index);
        }

        JsonNode? key = ReadObject(index, null, out _);
        return key!.GetValue<string>();
    }

    private JsonNode? ReadObject(long index, Frame? parent, out Frame? opened)
    {
        opened = null;
        if (++_nodes > _budget)
        {
            throw new SerializationLimitException(
                Format,
                "expansion limit (tree nodes)",
                _budget,
                $"note that the limit is {ExpansionFactor.ToString(CultureInfo.InvariantCulture)} nodes per input byte: the file shares containers so heavily that its tree would be far larger than the file",
                path: parent?.Container.GetPath());
        }

        long at = OffsetOf(index);
        byte marker = _data[at];
        int low = marker & 0xF;
        long pos = at + 1;
        switch (marker >> 4)
        {
            case 0x0:
                return low switch
                {
                    0x0 => null,
                    0x8 => JsonValue.Create(false),
                    0x9 => JsonValue.Create(true),
                    _ => throw Fail($"object marker 0x{marker.ToString("x2", CultureInfo.InvariantCulture)} is not a value", index),
                };
            case 0x1:
                return ReadInteger(pos, low, index);
            case 0x2:
                if (low == 2)
                {
                    Need(pos, 4, index);
                    return JsonValue.Create((double)BinaryPrimitives.ReadSingleBigEndian(_data.AsSpan((int)pos)));
                }

                if (low == 3)
                {
                    Need(pos, 8, index);
                    return JsonValue.Create(BinaryPrimitives.ReadDoubleBigEndian(_data.AsSpan((int)pos)));
                }

                throw Fail($"a real of {(1 << Math.Min(low, 15)).ToString(CultureInfo.InvariantCulture)} bytes; reals are 4 or 8 bytes", index);
            case 0x3:
                if (low != 3)
                {
                    throw Fail($"object marker 0x{marker.ToString("x2", CultureInfo.InvariantCulture)} is not a date (0x33)", index);
                }

                Need(pos, 8, index);
                return JsonValue.Create(ToDate(BinaryPrimitives.ReadDoubleBigEndian(_data.AsSpan((int)pos)), index));
            case 0x4:
                {
                    int count = ReadCount(ref pos, low, 1, index);
                    return JsonValue.Create(_data.AsSpan((int)pos, count).ToArray());
                }

            case 0x5:
                {
                    int count = ReadCount(ref pos, low, 1, index);
                    ReadOnlySpan<byte> ascii = _data.AsSpan((int)pos, count);
                    if (!Ascii.IsValid(ascii))
                    {
                        throw Fail("an ASCII string holds a byte above 0x7F", index);
                    }

                    return JsonValue.Create(Encoding.ASCII.GetString(ascii));
                }

            case 0x6:
                {
                    int count = ReadCount(ref pos, low, 2, index);
                    try
                    {
                        return JsonValue.Create(Utf16.GetString(_data, (int)pos, count * 2));
                    }
                    catch (DecoderFallbackException ex)
                    {
                        throw Fail("a UTF-16 string holds an unpaired surrogate", index, ex);
                    }
                }

            case 0x8:
                {
                    int size = low + 1;
                    Need(pos, size, index);
                    for (int i = 0; i < size - 8; i++)
                    {
                        if (_data[pos + i] != 0)
                        {
                            throw Fail("a UID is larger than 64 bits", index);
                        }
                    }

                    long uid = ReadUnsigned(pos + Math.Max(0, size - 8), Math.Min(size, 8));
                    if (uid < 0)
                    {
                        throw Fail("a UID is larger than 2^63 - 1", index);
                    }

                    return new JsonObject { [PlistValues.UidKey] = uid };
                }

            case 0xA:
            case 0xC:
            case 0xD:
                {
                    bool isDict = marker >> 4 == 0xD;
                    int count = ReadCount(ref pos, low, isDict ? 2 * _refSize : _refSize, index);
                    if (_onPath.Contains(index))
                    {
                        throw Fail("a container contains itself through object references (a reference cycle)", index);
                    }

                    if (_stack.Count + 1 > _options.MaxDepth)
                    {
                        FormatGuards.ThrowTooDeep(_options, Format, path: parent?.Container.GetPath() ?? "$");
                    }

                    JsonNode container = isDict ? new JsonObject() : new JsonArray();
                    if (count > 0)
                    {
                        opened = new Frame(container, index, pos, count, isDict);
                    }

                    return container;
                }

            default:
                throw Fail($"unknown object marker 0x{marker.ToString("x2", CultureInfo.InvariantCulture)}", index);
        }
    }

    private JsonValue ReadInteger(long pos, int low, long index)
    {
        if (low > 4)
        {
            throw Fail($"an integer of 2^{low.ToString(CultureInfo.InvariantCulture)} bytes; integers are 1, 2, 4, 8 or 16 bytes", index);
        }

        int size = 1 << low;
        Need(pos, size, index);
        ReadOnlySpan<byte> bytes = _data.AsSpan((int)pos, size);
        switch (size)
        {
            case 1:
                return JsonValue.Create((long)bytes[0]);
            case 2:
                return JsonValue.Create((long)BinaryPrimitives.ReadUInt16BigEndian(bytes));
            case 4:
                return JsonValue.Create((long)BinaryPrimitives.ReadUInt32BigEndian(bytes));
            case 8:
                return JsonValue.Create(BinaryPrimitives.ReadInt64BigEndian(bytes));
            default:
                var big = new BigInteger(bytes, isUnsigned: false, isBigEndian: true);
                return big >= long.MinValue && big <= long.MaxValue ? JsonValue.Create((long)big) : JsonValue.Create(big)!;
        }
    }

    /// <summary>
    /// Reads an object's count (inline in the marker's low nibble, or an integer object after it when the nibble is 0xF)
    /// and checks that <c>count * unitSize</c> bytes follow within the objects.
    /// </summary>
    private int ReadCount(ref long pos, int low, int unitSize, long index)
    {
        long count = low;
        if (low == 0xF)
        {
            Need(pos, 1, index);
            byte marker = _data[pos];
            int sizeLog = marker & 0xF;
            if (marker >> 4 != 0x1 || sizeLog > 3)
            {
                throw Fail("a long count is not followed by an integer of 1 to 8 bytes", index);
            }

            int size = 1 << sizeLog;
            Need(pos + 1, size, index);
            count = ReadUnsigned(pos + 1, size);
            pos += 1 + size;
        }

        if (count < 0 || count > (_objectsEnd - pos) / unitSize)
        {
            throw Fail($"a count of {((ulong)count).ToString(CultureInfo.InvariantCulture)} runs past the end of the objects", index);
        }

        return (int)count;
    }

    private void Need(long pos, int size, long index)
    {
        if (pos + size > _objectsEnd)
        {
            throw Fail("an object runs past the end of the objects", index);
        }
    }

    private DateTimeOffset ToDate(double seconds, long index)
    {
        // Rounded to whole microseconds, as Python's plistlib does, so float noise does not show up as 100 ns ticks.
        double micros = Math.Round(seconds * 1e6);
        double minMicros = (DateTimeOffset.MinValue - PlistValues.Epoch).Ticks / 10.0;
        double maxMicros = (DateTimeOffset.MaxValue - PlistValues.Epoch).Ticks / 10.0;
        if (!double.IsFinite(micros) || micros < minMicros || micros > maxMicros)
        {
            throw Fail($"the date {seconds.ToString("R", CultureInfo.InvariantCulture)} seconds after 2001-01-01 is outside the years 1-9999", index);
        }

        return PlistValues.Epoch.AddTicks((long)micros * 10);
    }

    private SerializationException Fail(string problem, long? index, Exception? inner = null)
    {
        string where = index is { } i ? $" (object {i.ToString(CultureInfo.InvariantCulture)})" : string.Empty;
        return new SerializationException(Format, problem + where, path: _stack.Count > 0 ? _stack[^1].Container.GetPath() : null, innerException: inner);
    }
}
