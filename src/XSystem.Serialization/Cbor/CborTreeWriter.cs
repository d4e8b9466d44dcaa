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
            var stack = new FrameStack();
            Open(tree, writer, stack, cbor.Deterministic);
            while (stack.Count > 0)
            {
                ref Frame frame = ref stack.Top;
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

    private static void Open(JsonNode? node, CborWriter writer, FrameStack stack, bool deterministic)
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
                    stack.Push(deterministic ? new Frame { Sorted = SortedPairs(obj) } : new Frame { Object = obj });
                    return;
                case JsonArray array:
                    writer.WriteStartArray(array.Count);
                    stack.Push(new Frame { Array = array });
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

    private static KeyValuePair<string, JsonNode?>[] SortedPairs(JsonObject obj)
    {
        var keyed = new (byte[] Utf8, KeyValuePair<string, JsonNode?> Pair)[obj.Count];
        int i = 0;
        foreach (KeyValuePair<string, JsonNode?> pair in obj)
        {
            keyed[i++] = (Encoding.UTF8.GetBytes(pair.Key), pair);
        }

        System.Array.Sort(keyed, CompareEncodedKeys);
        return System.Array.ConvertAll(keyed, k => k.Pair);
    }

    /// <summary>Orders text keys by the bytewise order of their CBOR encodings: shorter UTF-8 first, then byte by byte.</summary>
    private static int CompareEncodedKeys((byte[] Utf8, KeyValuePair<string, JsonNode?> Pair) left, (byte[] Utf8, KeyValuePair<string, JsonNode?> Pair) right)
    {
        int byLength = left.Utf8.Length.CompareTo(right.Utf8.Length);
        return byLength != 0 ? byLength : left.Utf8.AsSpan().SequenceCompareTo(right.Utf8);
    }

    /// <summary>One open container; a struct kept in an array so writing allocates nothing per container.</summary>
    private struct Frame
    {
        public JsonObject? Object;
        public KeyValuePair<string, JsonNode?>[]? Sorted;
        public JsonArray? Array;
        public int Index;

        public readonly bool IsMap => Array is null;

        public bool MoveNext(out string? key, out JsonNode? child)
        {
            key = null;
            child = null;
            if (Sorted is not null)
            {
                if (Index >= Sorted.Length)
                {
                    return false;
                }

                (key, child) = Sorted[Index++];
                return true;
            }

            if (Object is not null)
            {
                if (Index >= Object.Count)
                {
                    return false;
                }

                (key, child) = Object.GetAt(Index++);
                return true;
            }

            if (Index >= Array!.Count)
            {
                return false;
            }

            child = Array[Index++];
            return true;
        }
    }

    /// <summary>A stack of <see cref="Frame"/> values with by-reference access to the top.</summary>
    private sealed class FrameStack
    {
        private Frame[] _frames = new Frame[16];

        public int Count { get; private set; }

        public ref Frame Top => ref _frames[Count - 1];

        public void Push(Frame frame)
        {
            if (Count == _frames.Length)
            {
                System.Array.Resize(ref _frames, Count * 2);
            }

            _frames[Count++] = frame;
        }

        public void Pop() => _frames[--Count] = default;
    }
}
