using System.Buffers;
using System.Formats.Cbor;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json.Nodes;

namespace XSystem.Serialization.Internal;

/// <summary>
/// Writes the tree as one CBOR data item without recursion, in the preferred serialization (System.Formats.Cbor picks the
/// shortest integer, length and float encodings that keep the value); with <see cref="CborOptions.Deterministic"/> map keys
/// are sorted by their encodings (RFC 8949 §4.2.1).
/// </summary>
internal static class CborTreeWriter
{
    private const string Format = CborFormat.FormatName;

    public static void Write(JsonNode? tree, IBufferWriter<byte> output, SerializerOptions options, CborOptions cbor)
    {
        var writer = new CborWriter(CborConformanceMode.Lax, convertIndefiniteLengthEncodings: false, allowMultipleRootLevelValues: false);
        JsonNode? current = tree;
        try
        {
            var stack = new Stack<Frame>();
            Open(tree, writer, stack, cbor.Deterministic);
            while (stack.Count > 0)
            {
                Frame frame = stack.Peek();
                if (!frame.MoveNext(out string? key, out JsonNode? child))
                {
                    if (frame.IsMap)
                    {
                        writer.WriteEndMap();
                    }
                    else
                    {
                        writer.WriteEndArray();
                    }

                    stack.Pop();
                    continue;
                }

                current = child;
                if (key is not null)
                {
                    writer.WriteTextString(key);
                }

                Open(child, writer, stack, cbor.Deterministic);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or EncoderFallbackException or FormatException and not SerializationException)
        {
            throw new SerializationException(Format, $"the value cannot be written as CBOR: {ex.Message}", path: current?.GetPath(), innerException: ex);
        }

        int size = writer.BytesWritten;
        Span<byte> target = output.GetSpan(size);
        writer.Encode(target);
        output.Advance(size);
    }

    /// <summary>Formats a date/time as RFC 3339 for tag 0: UTC as <c>Z</c>, fractional seconds only when present.</summary>
    public static string FormatDateTime(DateTimeOffset date) =>
        date.Offset == TimeSpan.Zero
            ? date.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFF'Z'", CultureInfo.InvariantCulture)
            : date.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFFzzz", CultureInfo.InvariantCulture);

    private static void Open(JsonNode? node, CborWriter writer, Stack<Frame> stack, bool deterministic)
    {
        while (true)
        {
            switch (node)
            {
                case JsonObject obj:
                    if (IsTag(obj, out ulong tag, out JsonNode? content))
                    {
                        writer.WriteTag((CborTag)tag);
                        node = content;
                        continue;
                    }

                    if (IsSimple(obj, out byte simple))
                    {
                        writer.WriteSimpleValue((CborSimpleValue)simple);
                        return;
                    }

                    writer.WriteStartMap(obj.Count);
                    stack.Push(new Frame(obj, deterministic));
                    return;
                case JsonArray array:
                    writer.WriteStartArray(array.Count);
                    stack.Push(new Frame(array));
                    return;
                default:
                    WriteScalar(TreeScalar.From(node as JsonValue), writer);
                    return;
            }
        }
    }

    private static bool IsTag(JsonObject obj, out ulong tag, out JsonNode? content)
    {
        tag = 0;
        content = null;
        if (obj.Count != 2 || !obj.TryGetPropertyValue("$tag", out JsonNode? tagNode) || !obj.TryGetPropertyValue("value", out content))
        {
            return false;
        }

        if (tagNode is not JsonValue tagValue)
        {
            return false;
        }

        TreeScalar scalar = TreeScalar.From(tagValue);
        if (scalar.Kind == ScalarKind.Integer && scalar.Integer >= 0)
        {
            tag = (ulong)scalar.Integer;
            return true;
        }

        if (scalar.Kind == ScalarKind.BigInteger && scalar.Big > 0 && scalar.Big <= ulong.MaxValue)
        {
            tag = (ulong)scalar.Big;
            return true;
        }

        return false;
    }

    private static bool IsSimple(JsonObject obj, out byte simple)
    {
        simple = 0;
        if (obj.Count != 1 || !obj.TryGetPropertyValue("$simple", out JsonNode? node) || node is not JsonValue value)
        {
            return false;
        }

        TreeScalar scalar = TreeScalar.From(value);
        if (scalar.Kind == ScalarKind.Integer && scalar.Integer is >= 0 and <= 255)
        {
            simple = (byte)scalar.Integer;
            return true;
        }

        return false;
    }

    private static void WriteScalar(TreeScalar scalar, CborWriter writer)
    {
        switch (scalar.Kind)
        {
            case ScalarKind.Null:
                writer.WriteNull();
                break;
            case ScalarKind.Boolean:
                writer.WriteBoolean(scalar.Boolean);
                break;
            case ScalarKind.Integer:
                writer.WriteInt64(scalar.Integer);
                break;
            case ScalarKind.BigInteger:
                WriteBigInteger(scalar.Big, writer);
                break;
            case ScalarKind.Real:
                writer.WriteDouble(scalar.Real);
                break;
            case ScalarKind.String:
                writer.WriteTextString(scalar.Text);
                break;
            case ScalarKind.Bytes:
                writer.WriteByteString(scalar.Bytes);
                break;
            case ScalarKind.DateTimeOffset:
                writer.WriteTag(CborTag.DateTimeString);
                writer.WriteTextString(FormatDateTime(scalar.Date));
                break;
            case ScalarKind.DateOnly:
                writer.WriteTag((CborTag)1004);
                writer.WriteTextString(((DateOnly)scalar.Reference!).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                break;
            case ScalarKind.TimeOnly:
                writer.WriteTextString(((TimeOnly)scalar.Reference!).ToString("HH':'mm':'ss.FFFFFFF", CultureInfo.InvariantCulture));
                break;
        }
    }

    private static void WriteBigInteger(BigInteger value, CborWriter writer)
    {
        if (value.Sign >= 0)
        {
            if (value <= ulong.MaxValue)
            {
                writer.WriteUInt64((ulong)value);
                return;
            }

            writer.WriteTag(CborTag.UnsignedBigNum);
            writer.WriteByteString(value.ToByteArray(isUnsigned: true, isBigEndian: true));
            return;
        }

        BigInteger magnitude = BigInteger.MinusOne - value;
        if (magnitude <= ulong.MaxValue)
        {
            writer.WriteCborNegativeIntegerRepresentation((ulong)magnitude);
            return;
        }

        writer.WriteTag(CborTag.NegativeBigNum);
        writer.WriteByteString(magnitude.ToByteArray(isUnsigned: true, isBigEndian: true));
    }

    /// <summary>Orders text keys by the bytewise order of their CBOR encodings: shorter UTF-8 first, then byte by byte.</summary>
    private static int CompareEncodedKeys((byte[] Utf8, KeyValuePair<string, JsonNode?> Pair) left, (byte[] Utf8, KeyValuePair<string, JsonNode?> Pair) right)
    {
        int byLength = left.Utf8.Length.CompareTo(right.Utf8.Length);
        return byLength != 0 ? byLength : left.Utf8.AsSpan().SequenceCompareTo(right.Utf8);
    }

    private sealed class Frame
    {
        private readonly IEnumerator<KeyValuePair<string, JsonNode?>>? _properties;
        private readonly KeyValuePair<string, JsonNode?>[]? _sorted;
        private readonly JsonArray? _array;
        private int _index;

        public Frame(JsonObject obj, bool sorted)
        {
            IsMap = true;
            if (sorted)
            {
                var keyed = new (byte[] Utf8, KeyValuePair<string, JsonNode?> Pair)[obj.Count];
                int i = 0;
                foreach (KeyValuePair<string, JsonNode?> pair in obj)
                {
                    keyed[i++] = (Encoding.UTF8.GetBytes(pair.Key), pair);
                }

                Array.Sort(keyed, CompareEncodedKeys);
                _sorted = Array.ConvertAll(keyed, k => k.Pair);
            }
            else
            {
                _properties = obj.GetEnumerator();
            }
        }

        public Frame(JsonArray array) => _array = array;

        public bool IsMap { get; }

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
            }
            else if (_sorted is not null)
            {
                if (_index < _sorted.Length)
                {
                    key = _sorted[_index].Key;
                    child = _sorted[_index++].Value;
                    return true;
                }
            }
            else if (_index < _array!.Count)
            {
                key = null;
                child = _array[_index++];
                return true;
            }

            key = null;
            child = null;
            return false;
        }
    }
}
