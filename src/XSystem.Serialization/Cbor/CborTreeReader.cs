using System.Formats.Cbor;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json.Nodes;

namespace XSystem.Serialization.Internal;

/// <summary>
/// Reads one CBOR data item into the tree without recursion: containers live on an explicit stack whose depth is
/// checked against <see cref="SerializerOptions.MaxDepth"/> before it grows, and nothing is allocated from a claimed length.
/// </summary>
internal static class CborTreeReader
{
    /// <summary>The longest bignum (tags 2/3) accepted: 8 KiB of magnitude, 65,536 bits.</summary>
    internal const int MaxBignumBytes = 8 * 1024;

    private const string Format = CborFormat.FormatName;
    private const ulong SelfDescribeTag = 55799;
    private const ulong FullDateTag = 1004;

    public static JsonNode? Read(byte[] data, SerializerOptions options, CborOptions cbor)
    {
        if (data.Length == 0)
        {
            throw new SerializationException(Format, "the input is empty; a CBOR document holds exactly one data item");
        }

        var reader = new CborReader(data, cbor.Strict ? CborConformanceMode.Strict : CborConformanceMode.Lax);
        var state = new ReadState(reader, options, data.Length);
        try
        {
            JsonNode? root = state.ReadDocument();
            if (reader.BytesRemaining > 0)
            {
                throw state.Fail($"{reader.BytesRemaining.ToString(CultureInfo.InvariantCulture)} bytes follow the data item; a CBOR document holds exactly one");
            }

            return root;
        }
        catch (CborContentException ex)
        {
            throw state.Fail($"malformed CBOR: {ex.Message}", ex);
        }
        catch (InvalidOperationException ex)
        {
            throw state.Fail($"malformed CBOR: {ex.Message}", ex);
        }
        catch (OverflowException ex)
        {
            throw state.Fail($"a value is out of range: {ex.Message}", ex);
        }
        catch (DecoderFallbackException ex)
        {
            throw state.Fail("a text string is not valid UTF-8", ex);
        }
        catch (ArgumentException ex)
        {
            throw state.Fail($"malformed CBOR: {ex.Message}", ex);
        }
        catch (FormatException ex) when (ex is not SerializationException)
        {
            throw state.Fail($"malformed CBOR: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Scores a sample: the self-describe tag 55799 is near certain; otherwise a map or array header followed by
    /// well-formed items scores low to medium.
    /// </summary>
    public static double Probe(ReadOnlySpan<byte> sample)
    {
        if (sample.Length < 2)
        {
            return 0;
        }

        if (sample.StartsWith((ReadOnlySpan<byte>)[0xD9, 0xD9, 0xF7]))
        {
            return 0.95;
        }

        int major = sample[0] >> 5;
        if (major is not (4 or 5))
        {
            return 0;
        }

        var reader = new CborReader(sample.ToArray(), CborConformanceMode.Lax);
        int depth = 0;
        int items = 0;
        try
        {
            while (true)
            {
                switch (reader.PeekState())
                {
                    case CborReaderState.StartArray:
                        reader.ReadStartArray();
                        depth++;
                        break;
                    case CborReaderState.StartMap:
                        reader.ReadStartMap();
                        depth++;
                        break;
                    case CborReaderState.EndArray:
                        reader.ReadEndArray();
                        depth--;
                        break;
                    case CborReaderState.EndMap:
                        reader.ReadEndMap();
                        depth--;
                        break;
                    case CborReaderState.Tag:
                        reader.ReadTag();
                        break;
                    case CborReaderState.Finished:
                        if (reader.BytesRemaining > 0)
                        {
                            return 0;
                        }

                        return major == 5 ? 0.6 : 0.45;
                    default:
                        reader.SkipValue();
                        items++;
                        break;
                }

                if (depth > 256)
                {
                    return 0.3;
                }
            }
        }
#pragma warning disable CA1031 // A probe never throws: any malformation just lowers the score.
        catch (Exception)
#pragma warning restore CA1031
        {
            // A detection sample is cut off: well-formed items up to near its end are still a good sign.
            bool truncatedSample = sample.Length >= 1024 && reader.BytesRemaining < 64 && items >= 4;
            return truncatedSample ? 0.35 : 0;
        }
    }

    private sealed class Frame(JsonNode container, FrameKind kind, int depth)
    {
        public JsonNode Container { get; } = container;

        public FrameKind Kind { get; } = kind;

        public int Depth { get; } = depth;

        public string? Key { get; set; }
    }

    private enum FrameKind
    {
        Array,
        Map,
        Tag,
    }

    private sealed class ReadState(CborReader reader, SerializerOptions options, int length)
    {
        private readonly List<Frame> _stack = [];

        public JsonNode? ReadDocument()
        {
            JsonNode? root = null;
            while (true)
            {
                Frame? top = _stack.Count > 0 ? _stack[^1] : null;
                CborReaderState peek = reader.PeekState();
                if (top is not null)
                {
                    if (top.Kind == FrameKind.Array && peek == CborReaderState.EndArray)
                    {
                        reader.ReadEndArray();
                        _stack.RemoveAt(_stack.Count - 1);
                        if (_stack.Count == 0)
                        {
                            return root;
                        }

                        continue;
                    }

                    if (top.Kind == FrameKind.Map && top.Key is null)
                    {
                        if (peek == CborReaderState.EndMap)
                        {
                            reader.ReadEndMap();
                            _stack.RemoveAt(_stack.Count - 1);
                            if (_stack.Count == 0)
                            {
                                return root;
                            }

                            continue;
                        }

                        top.Key = ReadKey();
                        continue;
                    }
                }

                int depth = (top?.Depth ?? 0) + 1;
                JsonNode? node;
                FrameKind? opened = null;
                switch (peek)
                {
                    case CborReaderState.StartArray:
                        CheckDepth(depth);
                        reader.ReadStartArray();
                        node = new JsonArray();
                        opened = FrameKind.Array;
                        break;
                    case CborReaderState.StartMap:
                        CheckDepth(depth);
                        reader.ReadStartMap();
                        node = new JsonObject();
                        opened = FrameKind.Map;
                        break;
                    case CborReaderState.Tag:
                        ulong tag = (ulong)reader.ReadTag();
                        if (tag == SelfDescribeTag)
                        {
                            continue;
                        }

                        if (IsKnownScalarTag(tag))
                        {
                            node = ReadTaggedScalar(tag);
                            break;
                        }

                        CheckDepth(depth);
                        node = new JsonObject { ["$tag"] = TagValue(tag) };
                        opened = FrameKind.Tag;
                        break;
                    default:
                        node = ReadScalar();
                        break;
                }

                if (top is null)
                {
                    root = node;
                }
                else
                {
                    Attach(top, node);
                }

                if (opened is { } kind)
                {
                    _stack.Add(new Frame(node!, kind, depth));
                }
                else if (_stack.Count == 0)
                {
                    return root;
                }
            }
        }

        private void Attach(Frame top, JsonNode? node)
        {
            switch (top.Kind)
            {
                case FrameKind.Array:
                    ((JsonArray)top.Container).Add(node);
                    break;
                case FrameKind.Map:
                    try
                    {
                        ((JsonObject)top.Container).Add(top.Key!, node);
                    }
                    catch (ArgumentException ex)
                    {
                        throw Fail($"the map key '{top.Key}' occurs twice (after non-text keys became strings); a tree cannot hold duplicate keys", ex);
                    }

                    top.Key = null;
                    break;
                default:
                    ((JsonObject)top.Container).Add("value", node);
                    _stack.RemoveAt(_stack.Count - 1);
                    break;
            }
        }

        private static JsonValue TagValue(ulong tag) =>
            tag <= long.MaxValue ? JsonValue.Create((long)tag) : JsonValue.Create(new BigInteger(tag))!;

        private void CheckDepth(int depth)
        {
            if (depth > options.MaxDepth)
            {
                FormatGuards.ThrowTooDeep(options, Format, path: _stack.Count > 0 ? _stack[^1].Container.GetPath() : "$");
            }
        }

        private static bool IsKnownScalarTag(ulong tag) => tag is 0 or 1 or 2 or 3 or FullDateTag;

        private string ReadKey()
        {
            while (true)
            {
                CborReaderState state = reader.PeekState();
                if (state == CborReaderState.TextString)
                {
                    return reader.ReadTextString();
                }

                if (state == CborReaderState.Tag)
                {
                    ulong tag = (ulong)reader.PeekTag();
                    if (tag == SelfDescribeTag)
                    {
                        reader.ReadTag();
                        continue;
                    }

                    if (!IsKnownScalarTag(tag))
                    {
                        throw Fail($"a map key carries tag {tag.ToString(CultureInfo.InvariantCulture)}; only text, numbers, booleans, null, byte strings and dates can become string keys");
                    }

                    reader.ReadTag();
                    return KeyText(ReadTaggedScalar(tag));
                }

                if (state is CborReaderState.StartArray or CborReaderState.StartMap)
                {
                    throw Fail("a map key is an array or a map; only scalar keys can become string keys");
                }

                return KeyText(ReadScalar());
            }
        }

        private static string KeyText(JsonNode? key)
        {
            switch (key)
            {
                case null:
                    return "null";
                case JsonObject simple:
                    return "simple(" + simple["$simple"]!.ToJsonString() + ")";
                case JsonValue value:
                    if (value.TryGetValue(out string? text))
                    {
                        return text;
                    }

                    if (value.TryGetValue(out double d))
                    {
                        return d.ToString("R", CultureInfo.InvariantCulture);
                    }

                    if (value.TryGetValue(out byte[]? bytes))
                    {
                        return Convert.ToBase64String(bytes);
                    }

                    if (value.TryGetValue(out DateTimeOffset date))
                    {
                        return CborTreeWriter.FormatDateTime(date);
                    }

                    if (value.TryGetValue(out BigInteger big))
                    {
                        return big.ToString(CultureInfo.InvariantCulture);
                    }

                    if (value.TryGetValue(out DateOnly day))
                    {
                        return day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                    }

                    return value.ToJsonString();
                default:
                    return key.ToJsonString();
            }
        }

        private JsonNode? ReadScalar()
        {
            CborReaderState state = reader.PeekState();
            switch (state)
            {
                case CborReaderState.UnsignedInteger:
                    ulong u = reader.ReadUInt64();
                    return u <= long.MaxValue ? JsonValue.Create((long)u) : JsonValue.Create(new BigInteger(u));
                case CborReaderState.NegativeInteger:
                    ulong n = reader.ReadCborNegativeIntegerRepresentation();
                    return n <= long.MaxValue ? JsonValue.Create(-1L - (long)n) : JsonValue.Create(BigInteger.MinusOne - n);
                case CborReaderState.TextString:
                case CborReaderState.StartIndefiniteLengthTextString:
                    return JsonValue.Create(reader.ReadTextString());
                case CborReaderState.ByteString:
                case CborReaderState.StartIndefiniteLengthByteString:
                    return JsonValue.Create(reader.ReadByteString());
                case CborReaderState.HalfPrecisionFloat:
                case CborReaderState.SinglePrecisionFloat:
                case CborReaderState.DoublePrecisionFloat:
                    return JsonValue.Create(reader.ReadDouble());
                case CborReaderState.Null:
                    reader.ReadNull();
                    return null;
                case CborReaderState.Boolean:
                    return JsonValue.Create(reader.ReadBoolean());
                case CborReaderState.SimpleValue:
                    CborSimpleValue simple = reader.ReadSimpleValue();
                    return simple == CborSimpleValue.Undefined ? null : new JsonObject { ["$simple"] = (long)simple };
                default:
                    throw Fail($"unexpected {state} where a data item should start");
            }
        }

        private JsonValue ReadTaggedScalar(ulong tag)
        {
            CborReaderState state = reader.PeekState();
            switch (tag)
            {
                case 0:
                    if (state is not (CborReaderState.TextString or CborReaderState.StartIndefiniteLengthTextString))
                    {
                        throw Fail("tag 0 (date/time string) must enclose a text string");
                    }

                    string text = reader.ReadTextString();
                    if (!TryParseRfc3339(text, out DateTimeOffset date))
                    {
                        throw Fail($"tag 0 encloses '{Shorten(text)}', which is not an RFC 3339 date/time such as 2013-03-21T20:04:00Z");
                    }

                    return JsonValue.Create(date);
                case 1:
                    return JsonValue.Create(ReadEpoch(state));
                case 2:
                case 3:
                    if (state is not (CborReaderState.ByteString or CborReaderState.StartIndefiniteLengthByteString))
                    {
                        throw Fail($"tag {tag.ToString(CultureInfo.InvariantCulture)} (bignum) must enclose a byte string");
                    }

                    byte[] magnitude = reader.ReadByteString();
                    if (magnitude.Length > MaxBignumBytes)
                    {
                        throw Fail($"a bignum of {magnitude.Length.ToString(CultureInfo.InvariantCulture)} bytes is longer than the {MaxBignumBytes.ToString(CultureInfo.InvariantCulture)} bytes accepted");
                    }

                    var big = new BigInteger(magnitude, isUnsigned: true, isBigEndian: true);
                    if (tag == 3)
                    {
                        big = BigInteger.MinusOne - big;
                    }

                    return big >= long.MinValue && big <= long.MaxValue ? JsonValue.Create((long)big) : JsonValue.Create(big)!;
                default:
                    if (state != CborReaderState.TextString)
                    {
                        throw Fail("tag 1004 (full date) must enclose a text string");
                    }

                    string dayText = reader.ReadTextString();
                    if (!DateOnly.TryParseExact(dayText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly day))
                    {
                        throw Fail($"tag 1004 encloses '{Shorten(dayText)}', which is not a full date such as 2013-03-21");
                    }

                    return JsonValue.Create(day)!;
            }
        }

        private DateTimeOffset ReadEpoch(CborReaderState state)
        {
            const long MinSeconds = -62135596800; // 0001-01-01T00:00:00Z
            const long MaxSeconds = 253402300799; // 9999-12-31T23:59:59Z
            switch (state)
            {
                case CborReaderState.UnsignedInteger:
                case CborReaderState.NegativeInteger:
                    long seconds;
                    try
                    {
                        seconds = reader.ReadInt64();
                    }
                    catch (OverflowException ex)
                    {
                        throw Fail("tag 1 (epoch seconds) encloses an integer beyond the years 1-9999", ex);
                    }

                    if (seconds is < MinSeconds or > MaxSeconds)
                    {
                        throw Fail("tag 1 (epoch seconds) encloses an integer beyond the years 1-9999");
                    }

                    return DateTimeOffset.FromUnixTimeSeconds(seconds);
                case CborReaderState.HalfPrecisionFloat:
                case CborReaderState.SinglePrecisionFloat:
                case CborReaderState.DoublePrecisionFloat:
                    double value = reader.ReadDouble();
                    if (!double.IsFinite(value) || value < MinSeconds || value >= MaxSeconds + 1)
                    {
                        throw Fail("tag 1 (epoch seconds) encloses a number beyond the years 1-9999");
                    }

                    double whole = Math.Floor(value);
                    long ticks = ((long)whole * TimeSpan.TicksPerSecond) + (long)Math.Round((value - whole) * TimeSpan.TicksPerSecond);
                    return DateTimeOffset.UnixEpoch.AddTicks(ticks);
                default:
                    throw Fail("tag 1 (epoch seconds) must enclose an integer or a float");
            }
        }

        private static bool TryParseRfc3339(string text, out DateTimeOffset date)
        {
            date = default;
            ReadOnlySpan<char> s = text;
            if (s.Length < 20 || s[4] != '-' || s[7] != '-' || (s[10] | 0x20) != 't' || s[13] != ':' || s[16] != ':')
            {
                return false;
            }

            char last = s[^1];
            bool zone = (last | 0x20) == 'z' || (s.Length >= 25 && s[^3] == ':' && s[^6] is '+' or '-');
            return zone && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
        }

        private static string Shorten(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "…");

        public SerializationException Fail(string problem, Exception? inner = null)
        {
            long offset = length - reader.BytesRemaining;
            string? path = _stack.Count > 0 ? _stack[^1].Container.GetPath() : null;
            return new SerializationException(
                Format,
                $"{problem} (at byte offset {offset.ToString(CultureInfo.InvariantCulture)})",
                path: path,
                innerException: inner);
        }
    }
}
