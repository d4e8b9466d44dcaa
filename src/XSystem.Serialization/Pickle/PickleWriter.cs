using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;

namespace XSystem.Serialization.Internal;

/// <summary>
/// Writes the tree as a protocol 4 pickle: objects as dicts, arrays as lists, dates, times, durations and decimals as the
/// globals the reader accepts. Iterative; opcodes are grouped in frames of about 64 KiB as CPython does.
/// </summary>
internal sealed class PickleWriter : IDisposable
{
    private const string Format = PickleFormat.FormatName;
    private const int FrameTarget = 64 * 1024;
    private const int BatchSize = 1000;

    private readonly IBufferWriter<byte> _output;
    private byte[] _buffer;
    private int _length;

    private PickleWriter(IBufferWriter<byte> output)
    {
        _output = output;
        _buffer = ArrayPool<byte>.Shared.Rent(FrameTarget + 1024);
    }

    public static void Write(JsonNode? tree, IBufferWriter<byte> output)
    {
        Span<byte> header = output.GetSpan(2);
        header[0] = 0x80; // PROTO
        header[1] = 4;
        output.Advance(2);
        using var writer = new PickleWriter(output);
        writer.WriteTree(tree);
        writer.Op((byte)'.'); // STOP
        writer.Flush();
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    private void WriteTree(JsonNode? root)
    {
        if (root is not (JsonObject or JsonArray))
        {
            WriteScalar((JsonValue?)root);
            return;
        }

        var frames = new Stack<Frame>();
        frames.Push(Open(root));
        while (frames.Count > 0)
        {
            Frame frame = frames.Peek();
            if (frame.Index == frame.BatchEnd && frame.BatchEnd > frame.BatchStart)
            {
                // Close the batch: APPENDS/SETITEMS after a MARK, or APPEND/SETITEM for a single item.
                int size = frame.BatchEnd - frame.BatchStart;
                Op(frame.IsObject ? (size > 1 ? (byte)'u' : (byte)'s') : (size > 1 ? (byte)'e' : (byte)'a'));
                frame.BatchStart = frame.BatchEnd;
                MaybeFlush();
            }

            if (frame.Index == frame.Count)
            {
                frames.Pop();
                continue;
            }

            if (frame.Index == frame.BatchEnd)
            {
                frame.BatchEnd = Math.Min(frame.Count, frame.Index + BatchSize);
                if (frame.BatchEnd - frame.BatchStart > 1)
                {
                    Op((byte)'('); // MARK
                }
            }

            JsonNode? child;
            if (frame.IsObject)
            {
                frame.Properties!.MoveNext();
                KeyValuePair<string, JsonNode?> property = frame.Properties.Current;
                WriteString(property.Key);
                child = property.Value;
            }
            else
            {
                child = frame.Array![frame.Index];
            }

            frame.Index++;
            if (child is JsonObject or JsonArray)
            {
                frames.Push(Open(child));
            }
            else
            {
                WriteScalar((JsonValue?)child);
                MaybeFlush();
            }
        }
    }

    private Frame Open(JsonNode node)
    {
        if (node is JsonObject obj)
        {
            Op((byte)'}'); // EMPTY_DICT
            return new Frame { IsObject = true, Properties = obj.GetEnumerator(), Count = obj.Count };
        }

        var array = (JsonArray)node;
        Op((byte)']'); // EMPTY_LIST
        return new Frame { Array = array, Count = array.Count };
    }

    private void WriteScalar(JsonValue? value)
    {
        if (value is null)
        {
            Op((byte)'N');
            return;
        }

        // Values parsed from JSON text hold a JsonElement: take it first, so a big integer is not read as a double.
        if (value.TryGetValue(out JsonElement element))
        {
            WriteElement(element, value);
        }
        else if (value.TryGetValue(out string? text))
        {
            WriteString(text);
        }
        else if (value.TryGetValue(out long l))
        {
            WriteInt(l);
        }
        else if (value.TryGetValue(out double d))
        {
            WriteDouble(d);
        }
        else if (value.TryGetValue(out bool b))
        {
            Op(b ? (byte)0x88 : (byte)0x89);
        }
        else if (value.TryGetValue(out int i))
        {
            WriteInt(i);
        }
        else if (value.TryGetValue(out BigInteger big))
        {
            WriteBig(big);
        }
        else if (value.TryGetValue(out byte[]? bytes))
        {
            WriteBytes(bytes);
        }
        else if (value.TryGetValue(out ReadOnlyMemory<byte> memory))
        {
            WriteBytes(memory.Span);
        }
        else if (value.TryGetValue(out float f))
        {
            WriteDouble(f);
        }
        else if (value.TryGetValue(out decimal m))
        {
            WriteDecimal(m);
        }
        else if (value.TryGetValue(out DateTime dt))
        {
            WriteDateTime(dt.Kind == DateTimeKind.Utc ? new DateTimeOffset(dt) : null, dt);
        }
        else if (value.TryGetValue(out DateTimeOffset dto))
        {
            WriteDateTime(dto, dto.DateTime);
        }
        else if (value.TryGetValue(out DateOnly date))
        {
            WriteDate(date);
        }
        else if (value.TryGetValue(out TimeOnly time))
        {
            WriteTime(time);
        }
        else if (value.TryGetValue(out TimeSpan span))
        {
            WriteTimeDelta(span);
        }
        else if (value.TryGetValue(out ulong ul))
        {
            WriteBig(ul);
        }
        else if (value.TryGetValue(out uint ui))
        {
            WriteInt(ui);
        }
        else if (value.TryGetValue(out short s))
        {
            WriteInt(s);
        }
        else if (value.TryGetValue(out ushort us))
        {
            WriteInt(us);
        }
        else if (value.TryGetValue(out byte u8))
        {
            WriteInt(u8);
        }
        else if (value.TryGetValue(out sbyte s8))
        {
            WriteInt(s8);
        }
        else if (value.TryGetValue(out Half h))
        {
            WriteDouble((double)h);
        }
        else if (value.TryGetValue(out Int128 i128))
        {
            WriteBig(i128);
        }
        else if (value.TryGetValue(out UInt128 u128))
        {
            WriteBig(u128);
        }
        else
        {
            WriteOther(value);
        }
    }

    private void WriteElement(JsonElement element, JsonValue value)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                WriteString(element.GetString()!);
                break;
            case JsonValueKind.True:
                Op(0x88);
                break;
            case JsonValueKind.False:
                Op(0x89);
                break;
            case JsonValueKind.Null:
                Op((byte)'N');
                break;
            case JsonValueKind.Number:
                WriteNumberText(element.GetRawText(), value);
                break;
            default:
                throw new SerializationException(Format, $"a JSON {element.ValueKind} held as a value has no pickle form", path: value.GetPath());
        }
    }

    private void WriteOther(JsonValue value)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                WriteString(TreeScalars.ToText(value));
                break;
            case JsonValueKind.Number:
                WriteNumberText(value.ToJsonString(), value);
                break;
            case JsonValueKind.True:
                Op(0x88);
                break;
            case JsonValueKind.False:
                Op(0x89);
                break;
            case JsonValueKind.Null:
                Op((byte)'N');
                break;
            default:
                throw new SerializationException(Format, "a value of an unsupported type has no pickle form", path: value.GetPath());
        }
    }

    private void WriteNumberText(string raw, JsonValue value)
    {
        if (long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long integer))
        {
            WriteInt(integer);
        }
        else if (raw.AsSpan().IndexOfAny('.', 'e', 'E') < 0
            && BigInteger.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out BigInteger big))
        {
            WriteBig(big);
        }
        else if (double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out double real))
        {
            WriteDouble(real);
        }
        else
        {
            throw new SerializationException(Format, $"the number '{raw}' could not be written", path: value.GetPath());
        }
    }

    // ---- scalars ---------------------------------------------------------------------------------------------------

    private void WriteInt(long value)
    {
        if (value is >= 0 and <= 0xFF)
        {
            Span<byte> span = Reserve(2);
            span[0] = (byte)'K'; // BININT1
            span[1] = (byte)value;
            _length += 2;
        }
        else if (value is >= 0 and <= 0xFFFF)
        {
            Span<byte> span = Reserve(3);
            span[0] = (byte)'M'; // BININT2
            BinaryPrimitives.WriteUInt16LittleEndian(span[1..], (ushort)value);
            _length += 3;
        }
        else if (value is >= int.MinValue and <= int.MaxValue)
        {
            Span<byte> span = Reserve(5);
            span[0] = (byte)'J'; // BININT
            BinaryPrimitives.WriteInt32LittleEndian(span[1..], (int)value);
            _length += 5;
        }
        else
        {
            // LONG1 with the shortest two's complement little-endian form.
            Span<byte> span = Reserve(10);
            BinaryPrimitives.WriteInt64LittleEndian(span[2..], value);
            int count = 8;
            while (count > 1 && ((span[count + 1] == 0 && (span[count] & 0x80) == 0) || (span[count + 1] == 0xFF && (span[count] & 0x80) != 0)))
            {
                count--;
            }

            span[0] = 0x8A;
            span[1] = (byte)count;
            _length += 2 + count;
        }
    }

    private void WriteBig(BigInteger value)
    {
        if (value >= long.MinValue && value <= long.MaxValue)
        {
            WriteInt((long)value);
            return;
        }

        int count = value.GetByteCount(isUnsigned: false);
        if (count < 256)
        {
            Span<byte> span = Reserve(2 + count);
            span[0] = 0x8A; // LONG1
            span[1] = (byte)count;
            value.TryWriteBytes(span.Slice(2, count), out _, isUnsigned: false, isBigEndian: false);
            _length += 2 + count;
        }
        else
        {
            Span<byte> span = Reserve(5 + count);
            span[0] = 0x8B; // LONG4
            BinaryPrimitives.WriteInt32LittleEndian(span[1..], count);
            value.TryWriteBytes(span.Slice(5, count), out _, isUnsigned: false, isBigEndian: false);
            _length += 5 + count;
        }
    }

    private void WriteDouble(double value)
    {
        Span<byte> span = Reserve(9);
        span[0] = (byte)'G'; // BINFLOAT, big-endian
        BinaryPrimitives.WriteDoubleBigEndian(span[1..], value);
        _length += 9;
    }

    private void WriteString(string text)
    {
        int maxBytes = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (maxBytes < 256)
        {
            Span<byte> span = Reserve(2 + maxBytes);
            if (Utf8.FromUtf16(text, span[2..], out _, out int written, replaceInvalidSequences: false) == OperationStatus.Done)
            {
                span[0] = 0x8C; // SHORT_BINUNICODE
                span[1] = (byte)written;
                _length += 2 + written;
                return;
            }
        }
        else
        {
            Span<byte> span = Reserve(5 + maxBytes);
            if (Utf8.FromUtf16(text, span[5..], out _, out int written, replaceInvalidSequences: false) == OperationStatus.Done)
            {
                span[0] = written < 256 ? (byte)0x8C : (byte)'X'; // SHORT_BINUNICODE or BINUNICODE
                if (written < 256)
                {
                    span[1] = (byte)written;
                    span.Slice(5, written).CopyTo(span[2..]);
                    _length += 2 + written;
                }
                else
                {
                    BinaryPrimitives.WriteInt32LittleEndian(span[1..], written);
                    _length += 5 + written;
                }

                return;
            }
        }

        // Lone surrogates: Python's 'surrogatepass' encoding keeps them.
        byte[] encoded = PickleText.EncodeUtf8(text);
        Span<byte> slow = Reserve(5 + encoded.Length);
        slow[0] = (byte)'X';
        BinaryPrimitives.WriteInt32LittleEndian(slow[1..], encoded.Length);
        encoded.CopyTo(slow[5..]);
        _length += 5 + encoded.Length;
    }

    private void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 256)
        {
            Span<byte> span = Reserve(2 + bytes.Length);
            span[0] = (byte)'C'; // SHORT_BINBYTES
            span[1] = (byte)bytes.Length;
            bytes.CopyTo(span[2..]);
            _length += 2 + bytes.Length;
        }
        else
        {
            Span<byte> span = Reserve(5 + bytes.Length);
            span[0] = (byte)'B'; // BINBYTES
            BinaryPrimitives.WriteInt32LittleEndian(span[1..], bytes.Length);
            bytes.CopyTo(span[5..]);
            _length += 5 + bytes.Length;
        }
    }

    // ---- globals ---------------------------------------------------------------------------------------------------

    private void WriteGlobal(string module, string name)
    {
        WriteString(module);
        WriteString(name);
        Op(0x93); // STACK_GLOBAL
    }

    private void WriteDecimal(decimal value)
    {
        WriteGlobal("decimal", "Decimal");
        WriteString(value.ToString(CultureInfo.InvariantCulture));
        Op(0x85); // TUPLE1
        Op((byte)'R'); // REDUCE
    }

    /// <summary>A datetime: naive when <paramref name="aware"/> is null; sub-microsecond ticks are dropped (Python has none).</summary>
    private void WriteDateTime(DateTimeOffset? aware, DateTime local)
    {
        WriteGlobal("datetime", "datetime");
        Span<byte> state = stackalloc byte[10];
        int microsecond = (int)(local.Ticks % TimeSpan.TicksPerSecond / 10);
        state[0] = (byte)(local.Year >> 8);
        state[1] = (byte)local.Year;
        state[2] = (byte)local.Month;
        state[3] = (byte)local.Day;
        state[4] = (byte)local.Hour;
        state[5] = (byte)local.Minute;
        state[6] = (byte)local.Second;
        state[7] = (byte)(microsecond >> 16);
        state[8] = (byte)(microsecond >> 8);
        state[9] = (byte)microsecond;
        WriteBytes(state);
        if (aware is { } offset)
        {
            WriteGlobal("datetime", "timezone");
            WriteTimeDelta(offset.Offset);
            Op(0x85); // TUPLE1
            Op((byte)'R');
            Op(0x86); // TUPLE2
        }
        else
        {
            Op(0x85);
        }

        Op((byte)'R');
    }

    private void WriteDate(DateOnly date)
    {
        WriteGlobal("datetime", "date");
        ReadOnlySpan<byte> state = [(byte)(date.Year >> 8), (byte)date.Year, (byte)date.Month, (byte)date.Day];
        WriteBytes(state);
        Op(0x85);
        Op((byte)'R');
    }

    private void WriteTime(TimeOnly time)
    {
        WriteGlobal("datetime", "time");
        int microsecond = (int)(time.Ticks % TimeSpan.TicksPerSecond / 10);
        ReadOnlySpan<byte> state = [(byte)time.Hour, (byte)time.Minute, (byte)time.Second, (byte)(microsecond >> 16), (byte)(microsecond >> 8), (byte)microsecond];
        WriteBytes(state);
        Op(0x85);
        Op((byte)'R');
    }

    /// <summary>A timedelta normalised as Python keeps it: days (may be negative), 0 &lt;= seconds &lt; 86400, 0 &lt;= microseconds &lt; 10^6.</summary>
    private void WriteTimeDelta(TimeSpan span)
    {
        WriteGlobal("datetime", "timedelta");
        long microseconds = span.Ticks / 10;
        long days = Math.DivRem(microseconds, 86_400_000_000L, out long rest);
        if (rest < 0)
        {
            days--;
            rest += 86_400_000_000L;
        }

        WriteInt(days);
        WriteInt(rest / 1_000_000);
        WriteInt(rest % 1_000_000);
        Op(0x87); // TUPLE3
        Op((byte)'R');
    }

    // ---- buffer and frames -----------------------------------------------------------------------------------------

    private void Op(byte opcode)
    {
        Reserve(1)[0] = opcode;
        _length++;
    }

    private Span<byte> Reserve(int count)
    {
        if (_buffer.Length - _length < count)
        {
            byte[] bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + count));
            _buffer.AsSpan(0, _length).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }

        return _buffer.AsSpan(_length);
    }

    private void MaybeFlush()
    {
        if (_length >= FrameTarget)
        {
            Flush();
        }
    }

    private void Flush()
    {
        if (_length == 0)
        {
            return;
        }

        Span<byte> span = _output.GetSpan(9 + _length);
        span[0] = 0x95; // FRAME
        BinaryPrimitives.WriteUInt64LittleEndian(span[1..], (ulong)_length);
        _buffer.AsSpan(0, _length).CopyTo(span[9..]);
        _output.Advance(9 + _length);
        _length = 0;
    }

    private sealed class Frame
    {
        public bool IsObject { get; init; }

        public IEnumerator<KeyValuePair<string, JsonNode?>>? Properties { get; init; }

        public JsonArray? Array { get; init; }

        public int Count { get; init; }

        public int Index { get; set; }

        public int BatchStart { get; set; }

        public int BatchEnd { get; set; }
    }
}
